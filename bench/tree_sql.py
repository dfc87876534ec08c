"""Subtree SQL at province scale, on our real schema (migrations included).

Loads a synthetic organization tree in the real shape — province committee → 10 city committees → 10 district
committees each → 10 street committees each → general branches → branches — into a scratch PostgreSQL database
with COPY, then times (EXPLAIN ANALYZE execution time, median of repeated runs) the queries the app issues:

* a 50-row page in tree order under a subtree (1 % and 20 % of the organizations),
* a count by type of the same subtrees,
* an insert under a parent and a move of a 1 % subtree (as core.tree does them),

and compares the path range against ``LIKE 'P%'`` on SQLite. Usage:

    .venv/bin/python bench/tree_sql.py --orgs 100000 [--database-url postgres://postgres@127.0.0.1:5432/lianmeng_bench]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django  # noqa: E402

django.setup()
from core.tree import RANGE_END, encode_step  # noqa: E402

TYPES = ("committee", "general_branch", "branch")


def build_rows(total: int) -> list[tuple[str, int, int | None, str, str]]:
    """(path, depth, parent_index, type, name) in tree order; ~total rows."""
    rows: list[tuple[str, int, int | None, str, str]] = []

    def add(path: str, depth: int, parent: int | None, type_: str) -> int:
        rows.append((path, depth, parent, type_, f"org-{len(rows)}"))
        return len(rows) - 1

    leaves_per_gb = 10
    per_street = max(1, round((total / 1000 - 1) / (leaves_per_gb + 1)))  # general branches per street committee
    root = add(encode_step(1), 1, None, "committee")
    for c in range(1, 11):
        city_path = encode_step(1) + encode_step(c)
        city = add(city_path, 2, root, "committee")
        for d in range(1, 11):
            district_path = city_path + encode_step(d)
            district = add(district_path, 3, city, "committee")
            for s in range(1, 11):
                street_path = district_path + encode_step(s)
                street = add(street_path, 4, district, "committee")
                for g in range(1, per_street + 1):
                    gb_path = street_path + encode_step(g)
                    gb = add(gb_path, 5, street, "general_branch")
                    for b in range(1, leaves_per_gb + 1):
                        add(gb_path + encode_step(b), 6, gb, "branch")
    return rows


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def load_pg(conn: psycopg.Connection, rows: list[tuple[str, int, int | None, str, str]]) -> float:
    start = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("TRUNCATE organizations_organization, organizations_region RESTART IDENTITY CASCADE")
        cur.execute("""INSERT INTO organizations_region (path, depth, name, name_en, code, level, created_at,
                       updated_at) VALUES ('0001', 1, 'P', '', '100000', 'province', now(), now()) RETURNING id""")
        region_id = cur.fetchone()[0]
        buf = io.StringIO()
        now = "2026-01-01 00:00:00+00"
        for i, (path, depth, parent, type_, name) in enumerate(rows, start=1):
            parent_id = "\\N" if parent is None else str(parent + 1)
            buf.write(f"{i}\t{path}\t{depth}\t{parent_id}\t{name}\t{type_}\t{region_id}\tpark\t0\t\t\t\t{now}\t{now}\n")
        buf.seek(0)
        with cur.copy("""COPY organizations_organization (id, path, depth, parent_id, name, type, region_id, sector,
                         member_count, short_name, contact_name, contact_phone, created_at, updated_at)
                         FROM STDIN""") as copy:
            copy.write(buf.read())
        cur.execute("SELECT setval(pg_get_serial_sequence('organizations_organization', 'id'), %s)", [len(rows)])
    conn.commit()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE organizations_organization")
    return time.perf_counter() - start


def explain_ms(cur: psycopg.Cursor, sql: str, params: list[object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        times.append(cur.fetchone()[0][0]["Execution Time"])
    return statistics.median(times)


def subtree_paths(rows: list[tuple[str, int, int | None, str, str]]) -> dict[str, str]:
    district = next(r[0] for r in rows if r[1] == 3)  # ~1 %
    city = next(r[0] for r in rows if r[1] == 2)  # ~10 %; two cities ~20 %
    return {"1 %": district, "10 %": city}


def run_pg(url: str, rows: list[tuple[str, int, int | None, str, str]], repeat: int) -> dict[str, object]:
    migrate(url)
    results: dict[str, object] = {}
    with psycopg.connect(url, autocommit=False) as conn:
        results["load_seconds"] = round(load_pg(conn, rows), 2)
        conn.autocommit = True
        cur = conn.cursor()
        total = len(rows)
        district = next(r[0] for r in rows if r[1] == 3)
        cities = [r[0] for r in rows if r[1] == 2][:2]
        scopes = {"1 %": [district], "20 %": cities}
        for label, prefixes in scopes.items():
            where = " OR ".join("(path >= %s AND path < %s)" for _ in prefixes)
            params: list[object] = [p for prefix in prefixes for p in (prefix, prefix + RANGE_END)]
            cur.execute(f"SELECT count(*) FROM organizations_organization WHERE {where}", params)
            size = cur.fetchone()[0]
            page = explain_ms(cur, f"SELECT * FROM organizations_organization WHERE {where} ORDER BY path LIMIT 50",
                              params, repeat)
            deep_page = explain_ms(
                cur, f"SELECT * FROM organizations_organization WHERE {where} ORDER BY path LIMIT 50 OFFSET 500",
                params, repeat)
            count = explain_ms(cur, f"SELECT type, count(*) FROM organizations_organization WHERE {where} "
                                    "GROUP BY type", params, repeat)
            results[label] = {"rows": size, "share": round(100 * size / total, 1), "page_ms": round(page, 3),
                              "page_offset_500_ms": round(deep_page, 3), "count_by_type_ms": round(count, 3)}
        # Insert under a street committee and move a 1 % subtree, the way core.tree does them.
        street = next(r for r in rows if r[1] == 4)
        street_id = rows.index(street) + 1
        t = []
        for i in range(repeat):
            start = time.perf_counter()
            with conn.transaction():
                cur.execute("SELECT id FROM organizations_organization WHERE id = %s FOR UPDATE", [street_id])
                cur.execute("SELECT path FROM organizations_organization WHERE parent_id = %s ORDER BY path DESC "
                            "LIMIT 1", [street_id])
                cur.execute("INSERT INTO organizations_organization (path, depth, parent_id, name, type, region_id, "
                            "sector, member_count, short_name, contact_name, contact_phone, created_at, updated_at) "
                            "VALUES (%s, 5, %s, %s, 'branch', 1, 'park', 0, '', '', '', now(), now())",
                            [street[0] + encode_step(1000 + i), street_id, f"new-{i}"])
            t.append((time.perf_counter() - start) * 1000)
        results["insert_ms"] = round(statistics.median(t), 2)
        old = district
        new_parent = [r for r in rows if r[1] == 2][5][0]
        new = new_parent + encode_step(500)
        start = time.perf_counter()
        with conn.transaction():
            cur.execute("UPDATE organizations_organization SET path = %s || substr(path, %s), depth = depth + 0 "
                        "WHERE path >= %s AND path < %s", [new, len(old) + 1, old, old + RANGE_END])
            moved = cur.rowcount
        results["move_1pct_ms"] = round((time.perf_counter() - start) * 1000, 1)
        results["move_rows"] = moved
    return results


def run_sqlite(rows: list[tuple[str, int, int | None, str, str]], repeat: int) -> dict[str, float]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE org (id INTEGER PRIMARY KEY, path TEXT UNIQUE, depth INT, type TEXT)")
    db.executemany("INSERT INTO org (path, depth, type) VALUES (?, ?, ?)", [(r[0], r[1], r[3]) for r in rows])
    db.execute("ANALYZE")
    city = next(r[0] for r in rows if r[1] == 2)

    def timed(sql: str, params: tuple[str, ...]) -> float:
        t = []
        for _ in range(repeat):
            start = time.perf_counter()
            db.execute(sql, params).fetchall()
            t.append((time.perf_counter() - start) * 1000)
        return round(statistics.median(t), 3)

    return {
        "range_count_ms": timed("SELECT count(*) FROM org WHERE path >= ? AND path < ?", (city, city + RANGE_END)),
        "like_count_ms": timed("SELECT count(*) FROM org WHERE path LIKE ?", (city + "%",)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lianmeng_bench")
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    base = args.database_url.rsplit("/", 1)[0]
    name = args.database_url.rsplit("/", 1)[1]
    with psycopg.connect(base + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    rows = build_rows(args.orgs)
    results = {"organizations": len(rows), "postgresql": run_pg(args.database_url, rows, args.repeat),
               "sqlite": run_sqlite(rows, args.repeat)}
    out = ROOT / "bench" / "results" / f"tree_sql_{len(rows)}.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
