from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

# Query parameters that change neither which rows a list holds nor how many.
PAGING_PARAMS = frozenset({"page", "page_size", "ordering", "format"})


class KnownCountPaginator(Paginator):
    """A paginator told its count instead of running COUNT(*) over the whole list."""

    def __init__(self, *args: Any, count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached property


class StandardPagination(PageNumberPagination):
    """Numbered pages of 50. A viewset may define ``known_count(request) -> int | None``: the size of its
    unfiltered list from figures kept up to date elsewhere (for members, the regional tallies); it is used only
    when the request filters nothing, so a province-wide list does not count millions of rows on every page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        known: Callable[[Request], int | None] | None = getattr(view, "known_count", None)
        if known is not None and set(request.query_params) <= PAGING_PARAMS:
            count = known(request)
            if count is not None:
                self.django_paginator_class = partial(KnownCountPaginator, count=count)  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)
