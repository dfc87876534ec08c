from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from core.paging import CappedCountPaginator, cached_count_key

# Query parameters that change neither which rows a list holds nor how many.
PAGING_PARAMS = frozenset({"page", "page_size", "ordering", "format"})


class StandardPagination(PageNumberPagination):
    """Numbered pages of 50. ``count`` is exact up to ``LIST_COUNT_LIMIT`` rows and that limit beyond it;
    ``count_is_exact`` says which (see ``core.paging``). A viewset may define ``known_count(request) -> int |
    None``: the size of its unfiltered list from figures kept up to date elsewhere (for members, the regional
    tallies); it is used only when the request filters nothing, so a province-wide list does not count millions
    of rows on every page. Otherwise an unfiltered list of a counted table keeps its count between pages
    (``core.paging.cached_count_key``)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedCountPaginator

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        self.django_paginator_class = CappedCountPaginator
        if set(request.query_params) <= PAGING_PARAMS:  # unfiltered: a count kept elsewhere, or kept between pages
            known: Callable[[Request], int | None] | None = getattr(view, "known_count", None)
            count = known(request) if known is not None else None
            if count is not None:
                self.django_paginator_class = partial(CappedCountPaginator, count=count)  # type: ignore[assignment]
            elif view is not None and isinstance(queryset, QuerySet):
                key = cached_count_key(request.user, f"api:{request.path}", queryset.model)
                self.django_paginator_class = partial(CappedCountPaginator, cache_key=key)  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        paginator: Any = self.page.paginator
        return Response({
            "count": paginator.count,
            "count_is_exact": getattr(paginator, "count_is_exact", True),
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": "False when the list holds more rows than were counted; count is then a lower bound.",
        }
        result["required"] = [*result.get("required", []), "count_is_exact"]
        return result
