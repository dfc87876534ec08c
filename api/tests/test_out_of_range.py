"""No integer a client can send makes a 500 (issue 24 §4): every integer or choice filter of every list, web and
API, and every integer in a URL, answer an out-of-range value (beyond the database's 64-bit columns) with a form
error, a 400 or a 404."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from api.urls import router
from core.views import ObjectListView

BIG = "99999999999999999999"  # 2**66 and a bit: no 64-bit column holds it


def routes(patterns: Any = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(full route, pattern) of every path() route outside the admin and the API (the router's regex routes are
    built from its registry below)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + str(pattern.pattern)
        if route.startswith(("admin/", "api/")):
            continue
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route, pattern


def fill(route: str) -> str:
    values = {"int": BIG, "uuid": str(uuid.uuid4())}
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: values.get(m.group(1) or "str", "x"), route)


def checked_filters(filterset: Any) -> list[str]:
    """The filters that take a number or a choice."""
    kinds = (forms.ModelChoiceField, forms.ChoiceField, forms.IntegerField)
    return [name for name, f in filterset.base_filters.items() if issubclass(f.field_class, kinds)]


WEB_INTEGER_ROUTES = sorted(fill(route) for route, _p in routes() if "<int:" in route)
WEB_LISTS = sorted((fill(route), name) for route, p in routes() if "<" not in route
                   for view in [getattr(p.callback, "view_class", None)]
                   if isinstance(view, type) and issubclass(view, ObjectListView)
                   for name in checked_filters(view.filterset))
INNER_GROUP = re.compile(r"[(][?]P<\w+>[^)]*[)]")  # an action's own parameter: (?P<milestone_pk>\d+)
API_VIEWSETS = [(prefix, viewset) for prefix, viewset, _b in router.registry]


def test_the_lists_are_found() -> None:
    assert len(WEB_INTEGER_ROUTES) > 30
    assert {"/demands/", "/activities/"} <= {url for url, _n in WEB_LISTS}
    assert ("/demands/", "category") in WEB_LISTS and ("/activities/", "pair") in WEB_LISTS


@pytest.fixture
def admin(client_for: Any) -> Any:
    client = client_for("admin")
    client.raise_request_exception = False  # a 500 is an answer here, to be reported as such
    return client


def test_web_list_filters(world: Any, admin: Any) -> None:
    failures = []
    for url, name in WEB_LISTS:
        response = admin.get(url, {name: BIG})
        if response.status_code != 200:
            failures.append((url, name, response.status_code))
    assert failures == []


def test_integers_in_web_urls(world: Any, admin: Any) -> None:
    failures = [(url, status) for url in WEB_INTEGER_ROUTES
                if (status := admin.get(url).status_code) >= 500]
    assert failures == []


def test_api_list_filters(world: Any, admin: Any) -> None:
    failures = []
    for prefix, viewset in API_VIEWSETS:
        filterset = getattr(viewset, "filterset_class", None)
        for name in checked_filters(filterset) if filterset else ():
            response = admin.get(f"/api/v1/{prefix}/", {name: BIG})
            body = response.json() if response.status_code < 500 else None
            if response.status_code != 400 or [e["field"] for e in body["errors"]] != [name]:
                failures.append((prefix, name, response.status_code))
    assert failures == []


def test_integers_in_api_urls(world: Any, admin: Any) -> None:
    failures = []
    for prefix, viewset in API_VIEWSETS:
        urls = [f"/api/v1/{prefix}/{BIG}/"]
        urls += [f"/api/v1/{prefix}/{BIG}/{INNER_GROUP.sub(BIG, action.url_path)}/"
                 for action in viewset.get_extra_actions() if action.detail]
        for url in urls:
            response = admin.get(url)
            if response.status_code >= 500 or "errors" not in response.json():
                failures.append((url, response.status_code, response["Content-Type"]))
    assert failures == []
