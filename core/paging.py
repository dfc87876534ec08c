"""Pagination for every list, on the web and in the API: counting stops at ``settings.LIST_COUNT_LIMIT`` rows.

A list shows "N results" and page links. Counting every visible activity or case of a province on every page
costs a scan of the scope (a second or more at a million cases, measured by ``bench/``); beyond the limit the
list says "more than N results" and offers the pages up to it — past that, filters narrow it, and exports and
reports carry the full figures. Lists whose total is kept elsewhere (the regional tallies) pass it in instead.

A list may also keep its unfiltered count between requests (``cached_count_key``): paging through the demands of
a province, each page would otherwise count the same ~10,000 visible cases again (80–150 ms at a million cases).
The count is kept in ``core.authz_cache`` under the user's key, valid while neither the user's scope nor the
counted table has changed (``COUNTED_MODELS``: any write to it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from core import authz_cache


class CappedCountPaginator(Paginator):
    """A paginator whose ``count`` is exact up to the limit and the limit beyond it (``count_is_exact`` tells)."""

    count_is_exact = True

    def __init__(self, *args: Any, count: int | None = None, cache_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if count is not None:  # told by the caller (kept figures): exact, nothing to count
            self.__dict__["count"] = count
        self.cache_key = cache_key

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
        rows = queryset.order_by().values("pk")[: limit + 1]
        if self.cache_key is not None:
            counted = authz_cache.cached(self.cache_key, rows.count, tables=[queryset.model._meta.label])
        else:
            counted = rows.count()
        self.count_is_exact = counted <= limit
        return min(counted, limit)


def cached_count_key(user: Any, list_name: str, model: Any) -> str | None:
    """The key under which a list keeps its unfiltered count for this user, if the list's table is counted
    (``authz_cache.COUNTED_MODELS``) and the user is signed in; else None (count on every request). ``list_name``
    holds the page's path, so that lists narrowed by the URL (an organization's demands) keep counts of their own."""
    if not getattr(user, "is_authenticated", False) or model._meta.label not in authz_cache.COUNTED_MODELS:
        return None
    return f"count:{list_name}:{user.pk}"
