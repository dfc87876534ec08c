"""Where one request's time goes (issue 6: the measured cause of a throughput miss).

Serves each list endpoint in-process (Django's test client, the bench settings, the benchmark users' tokens) and
times the phases of DRF's list view by wrapping them: authentication and permissions (``initial``), building the
scoped queryset (``get_queryset``), filtering, counting and reading the page (``paginate_queryset``, SQL and row
objects), serialization, JSON rendering; the rest is middleware, URL resolving and the test client. SQL time is
the time spent in ``cursor.execute`` (a database round trip, psycopg's parsing excluded). The reference endpoint
is served the same way. Medians over ``--repeat`` requests after a warm-up, and the p99 of the whole request (the
spread of the app's own work, without a server, a network or other clients).

    .venv/bin/python bench/request_profile.py --database-url postgres://postgres@127.0.0.1:5432/lianmeng_bench \
        [--repeat 200] [--out bench/results/profile.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from http_load import BY_NAME, bench_env  # noqa: E402 - one table of endpoints

PHASES = ["auth_and_permissions", "queryset", "filter", "count_and_page", "serialize", "render"]


def profile(database_url: str, names: list[str], repeat: int) -> dict[str, Any]:
    os.environ.update(bench_env(database_url))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from rest_framework import generics, renderers, serializers, views
    from rest_framework.authtoken.models import Token

    from accounts.models import User

    spent: dict[str, float] = defaultdict(float)

    def timed(owner: Any, attribute: str, phase: str) -> None:
        original: Callable[..., Any] = getattr(owner, attribute)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[phase] += time.perf_counter() - started

        setattr(owner, attribute, wrapper)

    timed(views.APIView, "initial", "auth_and_permissions")
    timed(generics.GenericAPIView, "filter_queryset", "filter")
    timed(generics.GenericAPIView, "paginate_queryset", "count_and_page")
    timed(serializers.ListSerializer, "to_representation", "serialize")
    timed(renderers.JSONRenderer, "render", "render")

    def sql_timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started

    @contextmanager
    def queryset_timer(view_class: Any) -> Iterator[None]:
        original = view_class.get_queryset

        def wrapper(self: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(self)
            finally:
                spent["queryset"] += time.perf_counter() - started

        view_class.get_queryset = wrapper
        try:
            yield
        finally:
            view_class.get_queryset = original

    from django.urls import resolve

    results: dict[str, Any] = {}
    for name in ["reference", *names]:
        endpoint = BY_NAME[name]
        headers = {"HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https", "HTTP_ACCEPT": "application/json"}
        if endpoint.user:
            token, _ = Token.objects.get_or_create(user=User.objects.get(username=endpoint.user))
            headers["HTTP_AUTHORIZATION"] = f"Token {token.key}"
        client = Client(**headers)
        path = endpoint.path
        match = resolve(path)
        view_class = getattr(match.func, "cls", None)
        runs: dict[str, list[float]] = defaultdict(list)
        with queryset_timer(view_class) if view_class and hasattr(view_class, "get_queryset") else _nothing():
            for _ in range(20):
                client.get(path)
            with connection.execute_wrapper(sql_timer):
                for _ in range(repeat):
                    spent.clear()
                    started = time.perf_counter()
                    response = client.get(path)
                    total = time.perf_counter() - started
                    assert response.status_code == 200, (name, response.status_code)
                    runs["total"].append(total * 1000)
                    for phase in [*PHASES, "sql"]:
                        runs[phase].append(spent.get(phase, 0.0) * 1000)
        medians = {phase: round(statistics.median(values), 3) for phase, values in runs.items()}
        totals = sorted(runs["total"])
        medians["total_p99"] = round(totals[min(len(totals) - 1, int(len(totals) * 0.99))], 3)
        # count_and_page and filter include the SQL they send; queryset building sends none (it is lazy) except
        # the role look-up, which runs inside auth_and_permissions or queryset, whichever asks first.
        medians["other"] = round(medians["total"] - sum(medians[p] for p in PHASES), 3)
        results[name] = medians
        print(f"  {name:22s} total {medians['total']:6.2f} ms (p99 {medians['total_p99']:.2f})  " + "  ".join(
            f"{p} {medians[p]:.2f}" for p in [*PHASES, "other", "sql"]), flush=True)
    return {"repeat": repeat, "endpoints": results}


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lianmeng_bench")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--only", default="organizations_1pct,organizations_20pct,members_1pct,members_20pct")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = profile(args.database_url, [n.strip() for n in args.only.split(",") if n.strip()], args.repeat)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
        print(f"Written to {args.out}")


if __name__ == "__main__":
    main()
