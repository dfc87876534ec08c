"""HTTP load (issue 6, "HTTP load"): the app as in production against a bare Django JSON reference, same run.

Starts gunicorn with ``config/gunicorn.conf.py`` and ``config.settings.bench`` (the production settings plus the
``/bench/hello/`` reference endpoint) on 127.0.0.1, with persistent database connections and the Redis cache, and
drives each endpoint with wrk for a bounded time (after a short warm-up). Requests authenticate with API tokens of
the generator's benchmark users and carry ``X-Forwarded-Proto: https`` as a TLS-terminating proxy would send.

    .venv/bin/python bench/http_load.py --database-url postgres://postgres@127.0.0.1:5432/lianmeng_bench \
        [--duration 10] [--only organizations_1pct,members_1pct] [--out bench/results/http.json]

Needs wrk (``bench/setup.sh`` installs it) and a database loaded by ``bench/generate.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LUA = ROOT / "bench" / "wrk_report.lua"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lianmeng_bench"
HEADERS = {"X-Forwarded-Proto": "https", "Accept": "application/json"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # may contain {organization} / {alliance}, resolved from the database
    user: str | None
    kind: str  # "reference", "list", "detail", "summary"
    description: str


ENDPOINTS = [
    Endpoint("reference", "/bench/hello/", None, "reference", "bare Django JSON response (bench settings only)"),
    Endpoint("organizations_1pct", "/api/v1/organizations/", "bench_staff_1pct", "list",
             "organization list, 50 rows, staff of a 1 % subtree"),
    Endpoint("organizations_20pct", "/api/v1/organizations/", "bench_staff_20pct", "list",
             "organization list, 50 rows, staff of a 20 % subtree"),
    Endpoint("members_1pct", "/api/v1/members/", "bench_staff_1pct", "list",
             "member list, 50 rows, staff of a 1 % subtree"),
    Endpoint("members_20pct", "/api/v1/members/", "bench_staff_20pct", "list",
             "member list, 50 rows, staff of a 20 % subtree"),
    Endpoint("organization_detail", "/api/v1/organizations/{organization}/", "bench_staff_1pct", "detail",
             "one organization (a branch of the 1 % subtree)"),
    Endpoint("alliance_detail", "/api/v1/alliances/{alliance}/", "bench_alliance_admin", "detail",
             "one alliance, as its administrator"),
    Endpoint("activities", "/api/v1/activities/", "bench_staff_20pct", "list",
             "activity list, 50 rows, staff of a 20 % subtree"),
    Endpoint("demands", "/api/v1/demands/", "bench_staff_20pct", "list",
             "demand list, 50 rows, staff of a 20 % subtree"),
    Endpoint("dashboard", "/api/v1/dashboard/", "bench_province", "summary",
             "dashboard summary, whole province"),
]
BY_NAME = {e.name: e for e in ENDPOINTS}


# The server's cache: a Redis database of the benchmark's own (generate.py empties it after loading new data).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


def bench_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of the server (and of anything that must read the data with the same keys)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": database_url,
           "REDIS_URL": REDIS_URL,
           "LIANMENG_WARM_MATCHING": "0", "GUNICORN_LOGLEVEL": "warning", "PYTHONPATH": str(ROOT)}
    env.update(extra)
    return env


def prepare(database_url: str) -> dict[str, Any]:
    """API tokens for the benchmark users and the ids the detail endpoints need (straight SQL: this process does
    not run Django)."""
    tokens: dict[str, str] = {}
    with psycopg.connect(database_url, autocommit=True) as conn:
        users = dict(conn.execute("SELECT username, id FROM accounts_user WHERE username LIKE 'bench\\_%'").fetchall())
        for username, user_id in users.items():
            key = secrets.token_hex(20)
            conn.execute("INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, now(), %s) "
                         "ON CONFLICT (user_id) DO UPDATE SET key = excluded.key", (key, user_id))
            tokens[username] = key
        organization = conn.execute(
            "SELECT o.id FROM organizations_organization o JOIN organizations_region r ON r.id = o.region_id "
            "WHERE r.code LIKE '990201%%' AND o.type = 'branch' ORDER BY o.path LIMIT 1").fetchone()
        alliance = conn.execute(
            "SELECT ra.alliance_id FROM accounts_roleassignment ra JOIN accounts_user u ON u.id = ra.user_id "
            "WHERE u.username = 'bench_alliance_admin' AND ra.alliance_id IS NOT NULL").fetchone()
        counts = dict(conn.execute(
            "SELECT 'organizations', count(*) FROM organizations_organization UNION ALL "
            "SELECT 'activities', count(*) FROM activities_activity UNION ALL "
            "SELECT 'demands', count(*) FROM demands_demand").fetchall())
    return {"tokens": tokens, "ids": {"organization": organization[0] if organization else None,
                                      "alliance": alliance[0] if alliance else None}, "counts": counts}


@contextmanager
def server(database_url: str, port: int = 8077, workers: int | None = None) -> Iterator[str]:
    """gunicorn as in production, on 127.0.0.1:port; yields the base URL once it answers."""
    extra = {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    if workers:
        extra["GUNICORN_WORKERS"] = str(workers)
    log = open(ROOT / "bench" / "results" / "gunicorn.log", "a")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT, env=bench_env(database_url, **extra), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see bench/results/gunicorn.log")
            try:
                fetch(base + "/bench/hello/", None)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def fetch(url: str, token: str | None) -> tuple[int, bytes]:
    headers = dict(HEADERS)
    if token:
        headers["Authorization"] = f"Token {token}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=180) as response:
        return response.status, response.read()


def wrk(url: str, token: str | None, seconds: float, connections: int = 16, threads: int = 2) -> dict[str, Any]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(LUA)]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    if token:
        command += ["-H", f"Authorization: Token {token}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in reversed(out.splitlines()) if line.startswith("{"))
    raw = json.loads(line)
    seconds_run = raw["duration_us"] / 1e6
    errors = sum(raw["errors"].values())
    return {"requests": raw["requests"], "seconds": round(seconds_run, 2),
            "rps": round(raw["requests"] / seconds_run, 1),
            "p50_ms": raw["p50_us"] / 1000, "p90_ms": raw["p90_us"] / 1000, "p95_ms": raw["p95_us"] / 1000,
            "p99_ms": raw["p99_us"] / 1000, "max_ms": raw["max_us"] / 1000, "errors": errors,
            "error_detail": raw["errors"]}


def measure(database_url: str, seconds: float = 10, only: list[str] | None = None, warm: float = 2,
            workers: int | None = None, connections: int = 16, probe: float = 0) -> dict[str, Any]:
    """Every endpoint (or those named in ``only``; the reference always runs, first and last) for ``seconds``.

    ``probe`` seconds: then also one client alone (wrk -t1 -c1), whose latencies are the service time without
    queueing: under 16 connections on a few workers a request mostly waits for a free worker."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: run bench/setup.sh")
    prepared = prepare(database_url)
    wanted = [e for e in ENDPOINTS if e.kind != "reference" and (only is None or e.name in only)]
    results: dict[str, Any] = {}

    def run(endpoint: Endpoint) -> dict[str, Any]:
        # A fresh server per endpoint: what a slow endpoint leaves queued cannot weigh on the next one.
        with server(database_url, workers=workers) as base:
            path = endpoint.path.format(**prepared["ids"])
            token = prepared["tokens"].get(endpoint.user) if endpoint.user else None
            status, body = fetch(base + path, token)  # checks the answer before loading the endpoint
            data = json.loads(body)
            sample = {"status": status, "bytes": len(body),
                      "rows": len(data["results"]) if isinstance(data, dict) and "results" in data else None,
                      "count": data.get("count") if isinstance(data, dict) else None}
            if warm:
                wrk(base + path, token, warm, connections)
            stats = wrk(base + path, token, seconds, connections)
            if probe:
                # After the load, every worker has served the endpoint (before it, the probe's few requests met
                # workers serving their first request: 0.7-1.7 s each). First let the workers drain what the load
                # left queued: at most `connections` requests, ~connections / rps seconds.
                time.sleep(min(30.0, 2 * connections / max(stats["rps"], 0.1) + 0.5))
                wrk(base + path, token, 1, connections=1, threads=1)
                single = wrk(base + path, token, probe, connections=1, threads=1)
                stats["single_client"] = {k: single[k] for k in ("rps", "p50_ms", "p95_ms", "p99_ms")}
        print(f"  {endpoint.name:22s} {stats['rps']:8.1f} req/s  p50 {stats['p50_ms']:7.2f}  "
              f"p95 {stats['p95_ms']:7.2f}  p99 {stats['p99_ms']:7.2f} ms  errors {stats['errors']}", flush=True)
        return {"path": path, "user": endpoint.user, "kind": endpoint.kind,
                "description": endpoint.description, **sample, **stats}

    first = run(BY_NAME["reference"])
    for endpoint in wanted:
        results[endpoint.name] = run(endpoint)
    last = run(BY_NAME["reference"])
    reference_rps = (first["rps"] + last["rps"]) / 2
    for result in results.values():
        result["ratio"] = round(result["rps"] / reference_rps, 4)
        # wrk reports no percentiles when not one request finished in the time (seconds per request)
        result["p99_over_p50"] = round(result["p99_ms"] / result["p50_ms"], 2) if result["p50_ms"] else None
    reference = {**first, "rps": round(reference_rps, 1), "runs": [first, last]}
    return {"reference": reference, "endpoints": results, "data": prepared["counts"],
            "setup": {"seconds": seconds, "warm_up": warm, "connections": connections, "threads": 2,
                      "workers": workers or 2 * os.cpu_count() + 1, "worker_class": "sync",  # type: ignore[operator]
                      "settings": "config.settings.bench"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warm", type=float, default=2)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--probe", type=float, default=0, help="seconds of one client alone after the load")
    parser.add_argument("--only", default="", help="comma-separated endpoint names: " +
                        ", ".join(e.name for e in ENDPOINTS if e.kind != "reference"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    only = [n.strip() for n in args.only.split(",") if n.strip()] or None
    result = measure(args.database_url, args.duration, only, args.warm, args.workers, args.connections,
                     args.probe)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(f"Written to {args.out}")


if __name__ == "__main__":
    main()
