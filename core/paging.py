"""Pagination for every list, on the web and in the API: counting stops at ``settings.LIST_COUNT_LIMIT`` rows.

A list shows "N results" and page links. Counting every visible activity or case of a province on every page
costs a scan of the scope (a second or more at a million cases, measured by ``bench/``); beyond the limit the
list says "more than N results" and offers the pages up to it — past that, filters narrow it, and exports and
reports carry the full figures. Lists whose total is kept elsewhere (the regional tallies) pass it in instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """A paginator whose ``count`` is exact up to the limit and the limit beyond it (``count_is_exact`` tells)."""

    count_is_exact = True

    def __init__(self, *args: Any, count: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if count is not None:  # told by the caller (kept figures): exact, nothing to count
            self.__dict__["count"] = count

    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list
        if not isinstance(queryset, QuerySet):  # django-tables2 passes its rows, whose table data holds the query
            queryset = getattr(getattr(queryset, "data", None), "data", None)
        if not isinstance(queryset, QuerySet):
            return len(self.object_list)
        limit = settings.LIST_COUNT_LIMIT
        # SELECT COUNT(*) FROM (SELECT id … LIMIT limit + 1): no order, no annotations (an attendance figure per
        # row), no joins the filters do not need.
        counted = queryset.order_by().values("pk")[: limit + 1].count()
        self.count_is_exact = counted <= limit
        return min(counted, limit)
