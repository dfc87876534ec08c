"""The whole benchmark (issue 6): `make bench` runs this. Not part of the test suite.

1. Data: the seeded province at ``--scale`` (default 100k organizations) into PostgreSQL by COPY.
2. HTTP load: every endpoint against the bare JSON reference, same run (``http_load.py``), then where one
   request's time goes, in-process (``request_profile.py``).
3. SQL lower bound: each endpoint's database time against hand-written SQL (``sql_bound.py``), and the subtree
   SQL targets (page, count) on the same data.
4. Growth: p95 of the organization and member lists at 10k, 100k and 1M organizations (``--skip-heavy`` data at
   every scale, like for like), and of the activity and demand lists at 10k and the full scale.
5. Import: a 50k-member workbook through the real import path (``imports.py``).
6. Matching: top-10 latency over 100k resources and P@5 / R@10 on the labelled set (``matching.py``).

Writes ``bench/results/report.md``, ``report.json`` and PNG charts; prints where. Scratch databases (names contain
"bench") are dropped at the end unless ``--keep``.

    .venv/bin/python bench/run.py [--scale 100000] [--duration 10] [--skip growth,import] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import http_load  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432/"
MAIN_DB = PG + "lianmeng_bench"
GROWTH_DB = PG + "lianmeng_bench_growth"
SMALL_DB = PG + "lianmeng_bench_small"
LISTS = ["organizations_1pct", "organizations_20pct", "members_1pct", "members_20pct"]
HEAVY_LISTS = ["activities", "demands"]
GROWTH_SCALES = [10_000, 100_000, 1_000_000]


def python(script: str, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, str(BENCH / script), *args], cwd=ROOT, check=True,
                   env={**os.environ, **(env or {})})


def generate(scale: int, url: str, skip_heavy: bool, out: Path) -> dict[str, Any]:
    args = ["--scale", str(scale), "--seed", "1", "--database-url", url, "--out", str(out)]
    python("generate.py", *args, *(["--skip-heavy"] if skip_heavy else []))
    return json.loads(out.read_text())


def subtree_sql(url: str, figures: dict[str, Any], repeat: int = 7) -> dict[str, Any]:
    """The subtree SQL targets on the loaded data: a 50-row page in tree order and a count, 1 % and 20 %."""
    out: dict[str, Any] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for label, subtree in figures["subtrees"].items():
            path = subtree["organization_path"]
            for kind, sql in [
                ("page", "SELECT id, name, path FROM organizations_organization WHERE path >= %s AND path < %s "
                         "ORDER BY path LIMIT 50"),
                ("count", "SELECT count(*) FROM organizations_organization WHERE path >= %s AND path < %s"),
            ]:
                times = []
                for _ in range(repeat):
                    plan = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, (path, path + "~")).fetchone()[0]
                    times.append(plan[0]["Execution Time"])
                out[f"{kind}_{label}"] = round(sorted(times)[len(times) // 2], 4)
    return out


def drop(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    assert "bench" in name
    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- targets ---------------------------------------------------------------------------------------------------


def check(label: str, value: Any, target: str, met: bool | None, note: str = "") -> dict[str, Any]:
    return {"target": label, "measured": value, "limit": target, "met": met, "note": note}


def evaluate(r: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    http = r.get("http", {}).get("endpoints", {})
    for name, limit in [("organizations_1pct", 0.20), ("organizations_20pct", 0.15), ("members_1pct", 0.20),
                        ("members_20pct", 0.15)]:
        if name in http:
            e = http[name]
            rows.append(check(f"{name}: share of the reference's req/s", f"{e['ratio']:.1%} ({e['rps']:.0f} req/s)",
                              f"≥ {limit:.0%}", e["ratio"] >= limit, EXPLAIN.get(name, "")))
            single = e.get("single_client")
            alone = (f"One client alone: p50 {single['p50_ms']:.1f} ms, p99/p50 "
                     f"{single['p99_ms'] / single['p50_ms']:.2f}. " if single and single["p50_ms"] else "")
            rows.append(check(f"{name}: p99 / p50", f"{e['p99_over_p50']:.2f}", "≤ 2", e["p99_over_p50"] <= 2,
                              alone + (EXPLAIN["p99"] if e["p99_over_p50"] > 2 else "")))
    growth = r.get("growth", {})
    # The list's own latency (one client alone) when measured: under 16 connections p95 is mostly queueing, which
    # follows the machine's speed of the moment (the reference drifted by half within one run).
    measured = growth.get("single_client_p95_ms") or growth.get("p95_ms", {})
    which = "one client" if growth.get("single_client_p95_ms") else "under load"
    for name, series in measured.items():
        scales = sorted(int(s) for s in series)
        if len(scales) >= 2 and series[str(scales[0])]:
            first, last = series[str(scales[0])], series[str(scales[-1])]
            change = last / first - 1
            rows.append(check(f"{name}: p95 ({which}) growth {scales[0]:,} → {scales[-1]:,} organizations",
                              f"{change:+.0%} ({first:.1f} → {last:.1f} ms)", "≤ +30 %", change <= 0.30,
                              # the heavy lists always say how they are served (a kept count, for demands)
                              EXPLAIN.get(f"growth_{name}", "") if change > 0.30 or name in HEAVY_LISTS else ""))
    sql = r.get("subtree_sql", {})
    for key, limit in [("page_1pct", 0.1), ("page_20pct", 0.1), ("count_1pct", 1.0), ("count_20pct", 5.0)]:
        if key in sql:
            rows.append(check(f"subtree SQL {key.replace('_', ' ')} at {r['scale']:,}", f"{sql[key]:.3f} ms",
                              f"≤ {limit} ms", sql[key] <= limit,
                              EXPLAIN.get(f"subtree_{key}", "") if sql[key] > limit else ""))
    if "dashboard" in http:
        loaded = http["dashboard"]["p95_ms"]
        single = http["dashboard"].get("single_client")
        if single:
            rows.append(check("dashboard summary, whole province: p95 (one client: the service time)",
                              f"{single['p95_ms']:.1f} ms", "≤ 50 ms", single["p95_ms"] <= 50,
                              f"Under 16 connections: p95 {loaded:.1f} ms. " + EXPLAIN["dashboard_loaded"]))
        else:
            rows.append(check("dashboard summary, whole province: p95 under load", f"{loaded:.1f} ms", "≤ 50 ms",
                              loaded <= 50))
    imports = r.get("import")
    if imports:
        ratio = imports.get("ratio_to_parse")
        if ratio is not None:
            rows.append(check("import: rows/s as a share of openpyxl's parse-only rate", f"{ratio:.0%}", "≥ 60 %",
                              ratio >= 0.6, EXPLAIN.get("import", "")))
        growth_mem = imports.get("memory_growth")
        if growth_mem is not None:
            rows.append(check("import: peak memory, 50k rows vs 10k rows", f"×{growth_mem:.2f}", "flat (≤ ×1.5)",
                              growth_mem <= 1.5))
    matching = r.get("matching")
    if matching:
        rows.append(check("matching top-10 p95 over 100k resources", f"{matching['search_ms']['p95']:.2f} ms",
                          "≤ 10 ms", matching["search_ms"]["p95"] <= 10))
    if "total_seconds" in r:
        rows.append(check("whole benchmark run", f"{r['total_seconds'] / 60:.1f} min", "< 30 min",
                          r["total_seconds"] < 1800 if r.get("scale") == 100_000 else None))
    return rows


# Measured causes of the misses seen on this machine (see docs/architecture.md, "Performance").
EXPLAIN = {
    "p99": "Not the list's own work: with one client alone through gunicorn the same list's p99 is 1.4–1.8 × its "
           "p50 (last column of the HTTP table). Under 16 connections on 5 sync workers and 2 cores shared with "
           "PostgreSQL and wrk a request also waits for a worker and a core, and the spread varies from run to run. "
           "Before workers loaded the views in gunicorn's master (core.warmup), a worker's first request took "
           "0.9–1.2 s and was the p99 of any run that met a fresh worker.",
    "dashboard_loaded": "Under load the summary waits behind the other 15 connections' requests on 5 workers "
                        "(queueing: p95 ≈ connections / workers × service time), not in its own work.",
    "organizations_1pct": "Python per request, no longer the scope (profile table): 6–9 ms in-process against "
                          "0.2–0.3 ms for the reference. The page (one query: 1–2 ms of round trip and execution, "
                          "the rest the ORM building it and 100 row objects) is 3–4.3 ms, serialization 0.9–1.5 ms; "
                          "token, roles, region spans and the count come from the shared cache in ~1.5 ms "
                          "(core.authz_cache: four queries and ~6 ms before); DRF and middleware ~1–1.4 ms. Under "
                          "load PostgreSQL and wrk share the 2 cores: 2 cores / 200 req/s is 10 ms of CPU per "
                          "request. 20 % of this run's reference (~600 req/s) leaves ~3 ms of CPU per request for "
                          "everything, about what the page's SQL and Django's own request handling take before any "
                          "list work: it would take a list path without the ORM and DRF (hand-written SQL and JSON, "
                          "outside the one scope rule), which we do not build. The issue's own starting point, a "
                          "plain DRF list in tree order, measured 12 %.",
    "organizations_20pct": "As the 1 % list (profile table): Python per request, not SQL or the scope.",
    "members_1pct": "As the organization list (profile table). ID and phone numbers are no longer decrypted for the "
                    "list (their masked forms are stored, core.crypto.MaskedCopyField: ~1.5 ms of the request "
                    "before); SQL is ~0.4 ms (SQL table).",
    "members_20pct": "As members 1 % (profile table): Python per request, not SQL or the scope.",
    "subtree_count_20pct": "An index-only scan counting 20,000 path entries; 3.4–3.7 ms on this machine in most "
                           "runs, 5–7 ms when the machine is slower. Department staff lists do not run it: they "
                           "read the regional tallies.",
    "growth_organizations_1pct": "Measured on the 1M data (EXPLAIN ANALYZE): the page query reads all 10,000 "
                                 "organizations of the district through the per-region index and sorts them "
                                 "(6.5–8 ms, against ~1,000 rows and ~1 ms at 100k), because PostgreSQL "
                                 "estimates 89 matching rows: it multiplies the selectivities of the region "
                                 "condition and of the path span as if they were independent, while the span is "
                                 "the district's own. With the right estimate it would walk the path index for 50 "
                                 "rows. Not fixed: the ways around it (a region condition the planner cannot "
                                 "estimate, per-region pages merged, a deferred join on a narrow index) each "
                                 "weaken the one scope rule or only halve the cost.",
    "growth_members_20pct": "The member list in tree order reads the members of the page's organizations only; a "
                            "20 % scope holds ten times the regions at 1M, and the count comes from the regional "
                            "tallies (a few hundred rows).",
    "growth_activities": "Visibility is kept on the activity row (organizations.reach: the paths of the "
                         "organizations it is seen through, a GIN index on PostgreSQL): a page read newest first "
                         "checks ~300 rows (1.4 ms for the 20 % scope at 100k, against 76 ms for the OR-ed "
                         "semi-joins before) and the count of up to 10,000 visible activities comes from the GIN "
                         "index and the alliance index (17–25 ms, against 127 ms). What still grows is that count "
                         "(4,000 visible activities at 10k, 10,000 at 100k) and the Python of 50 activities.",
    "growth_demands": "Visibility is kept on the demand row as for activities, so a page reads ~450 rows newest "
                      "first (2.4 ms at 100k, against 16 ms). Counting up to 10,000 visible cases of a 20 % scope "
                      "at 1M demands still reads ~100,000 rows (80–150 ms, from the GIN index or row by row: the "
                      "matching cases are spread over the whole table), so an unfiltered list keeps its count "
                      "between pages until a demand is written or the reader's scope changes "
                      "(core.paging.cached_count_key); filtered lists count every time.",
}


# -- report ----------------------------------------------------------------------------------------------------


def charts(r: dict[str, Any]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    http = r.get("http", {}).get("endpoints", {})
    if http:
        names = list(http)
        fig, ax = plt.subplots(figsize=(9, 4.5))
        ax.barh(names, [http[n]["ratio"] * 100 for n in names], color="#b22222")
        for limit in (15, 20):
            ax.axvline(limit, color="grey", linestyle="--", linewidth=0.8)
        ax.set_xlabel("req/s as % of the bare Django JSON reference (same run)")
        ax.invert_yaxis()
        ax.set_title(f"HTTP throughput at {r['scale']:,} organizations")
        fig.tight_layout()
        fig.savefig(RESULTS / "throughput.png", dpi=110)
        plt.close(fig)
        made.append("throughput.png")
    growth = r.get("growth", {}).get("p95_ms", {})
    if growth:
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for name, series in growth.items():
            scales = sorted(int(s) for s in series)
            ax.plot(scales, [series[str(s)] for s in scales], marker="o", label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("organizations in the province")
        ax.set_ylabel("p95 latency under load (ms)")
        ax.set_title("Growth: p95 of each list")
        ax.legend(fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
        fig.tight_layout()
        fig.savefig(RESULTS / "growth.png", dpi=110)
        plt.close(fig)
        made.append("growth.png")
    return made


def markdown(r: dict[str, Any], targets: list[dict[str, Any]], images: list[str]) -> str:
    lines = [f"# Lianmeng benchmark — {r['date']}", "",
             f"Machine: {r['machine']['cpus']} cores, Python {r['machine']['python']}, {r['machine']['platform']}. "
             f"Scale {r['scale']:,} organizations, seed 1. Total {r.get('total_seconds', 0) / 60:.1f} min.", "",
             "## Targets", "", "| target | measured | limit | met | measured cause of a miss |", "|---|---|---|---|---|"]
    for t in targets:
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {t['measured']} | {t['limit']} | {met} | {t['note']} |")
    data = r.get("data")
    if data:
        checks = [v for v in data["verify"].values() if isinstance(v, dict)]  # plus an overall "ok" flag
        lines += ["", "## Data", "", f"{sum(t['rows'] for t in data['tables']):,} rows loaded by COPY in "
                  f"{data['load_seconds']:.0f} s (verification: "
                  f"{sum(1 for v in checks if v['ok'])}/{len(checks)} checks passed).", "",
                  "| table | rows | s |", "|---|---|---|"]
        for t in data["tables"]:
            lines.append(f"| {t['table']} | {t['rows']:,} | {t.get('seconds', '')} |")
    http = r.get("http")
    if http:
        ref = http["reference"]
        lines += ["", "## HTTP load", "",
                  f"gunicorn ({http['setup']['workers']} {http['setup']['worker_class']} workers, production settings, "
                  f"persistent database connections), wrk -t2 -c{http['setup']['connections']}, "
                  f"{http['setup']['seconds']:.0f} s per endpoint after {http['setup']['warm_up']:.0f} s warm-up. "
                  f"Reference `/bench/hello/`: {ref['rps']:.0f} req/s (mean of the first and last run: "
                  f"{ref['runs'][0]['rps']:.0f} / {ref['runs'][1]['rps']:.0f}).", "",
                  "| endpoint | user | req/s | × reference | p50 ms | p95 ms | p99 ms | p99/p50 | errors "
                  "| one client: p50 / p95 / p99 ms |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for name, e in http["endpoints"].items():
            single = e.get("single_client")
            alone = (f"{single['p50_ms']:.1f} / {single['p95_ms']:.1f} / {single['p99_ms']:.1f}"
                     if single else "—")
            lines.append(f"| {name} (`{e['path']}`) | {e['user']} | {e['rps']:.1f} | {e['ratio']:.1%} | "
                         f"{e['p50_ms']:.1f} | {e['p95_ms']:.1f} | {e['p99_ms']:.1f} | {e['p99_over_p50']} | "
                         f"{e['errors']} | {alone} |")
    profile = r.get("profile")
    if profile:
        phases = ["auth_and_permissions", "queryset", "filter", "count_and_page", "serialize", "render", "other",
                  "sql"]
        lines += ["", "## Where a request's time goes", "",
                  f"In-process (`bench/request_profile.py`, median of {profile['repeat']} requests, ms): DRF's "
                  "list phases timed by wrapping them. `sql` is the time inside `cursor.execute` (round trips, "
                  "part of the phases before it); `other` is middleware, URL resolving, the test client and "
                  "choosing the columns to load.", "",
                  "| endpoint | total | total p99 | " + " | ".join(phases) + " |",
                  "|---|---|---|" + "---|" * len(phases)]
        for name, e in profile["endpoints"].items():
            lines.append(f"| {name} | {e['total']:.2f} | {e.get('total_p99', 0):.2f} | "
                         + " | ".join(f"{e[p]:.2f}" for p in phases) + " |")
    sql = r.get("sql")
    if sql:
        lines += ["", "## SQL lower bound", "",
                  "Database execution time (EXPLAIN ANALYZE, median) of the queries the app sends for one request, "
                  "against hand-written SQL for the same answer.", "",
                  "| endpoint | app queries | app ms | hand ms | app / hand | note |", "|---|---|---|---|---|---|"]
        for name, e in sql["endpoints"].items():
            lines.append(f"| {name} | {e['queries']} | {e['app_db_ms']:.3f} | {e['hand_db_ms']:.3f} | "
                         f"{e['ratio']} | {e['note']} |")
    if r.get("subtree_sql"):
        lines += ["", "Subtree SQL on the same data (ms): " + ", ".join(
            f"{k} {v:.3f}" for k, v in r["subtree_sql"].items())]
    growth = r.get("growth")
    if growth:
        lines += ["", "## Growth", "", "p95 (ms) under the same load at each scale. Organization and member lists on "
                  "`--skip-heavy` data (3 members per organization) at every scale; activity and demand lists on "
                  "full data at 10k and the main scale (full data at 1M would be ~200M rows).", "",
                  "| list | " + " | ".join(f"{s:,}" for s in GROWTH_SCALES) + " |",
                  "|---|" + "---|" * len(GROWTH_SCALES)]
        for name, series in growth["p95_ms"].items():
            lines.append(f"| {name} | " + " | ".join(
                f"{series[str(s)]:.1f}" if str(s) in series else "—" for s in GROWTH_SCALES) + " |")
        if growth.get("single_client_p95_ms"):
            lines += ["", "p95 (ms) of one client alone (the list's own latency, no queueing) at each scale:", "",
                      "| list | " + " | ".join(f"{s:,}" for s in GROWTH_SCALES) + " |",
                      "|---|" + "---|" * len(GROWTH_SCALES)]
            for name, series in growth["single_client_p95_ms"].items():
                lines.append(f"| {name} | " + " | ".join(
                    f"{series[str(s)]:.1f}" if str(s) in series else "—" for s in GROWTH_SCALES) + " |")
        lines += ["", "Load time per growth database (s): " + ", ".join(
            f"{k}: {v:.0f}" for k, v in growth["load_seconds"].items())]
    imports = r.get("import")
    if imports:
        lines += ["", "## Import", "", "```json", json.dumps(imports, indent=2, ensure_ascii=False)[:3000], "```"]
    matching = r.get("matching")
    if matching:
        import matching as matching_bench

        lines += ["", "## Matching", "", matching_bench.markdown(matching)]
    for image in images:
        lines += ["", f"![{image}]({image})"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--skip", default="", help="comma-separated: data,http,profile,sql,growth,import,matching")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rebuild report.md and the charts from the last report.json")
    args = parser.parse_args()
    if args.report_only:
        write_report(json.loads((RESULTS / "report.json").read_text()))
        return
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    RESULTS.mkdir(exist_ok=True)
    started = time.perf_counter()
    r: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).date().isoformat(), "scale": args.scale,
                         "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                     "platform": platform.platform()}}

    def step(name: str) -> bool:
        if name in skip:
            return False
        print(f"==> {name} ({(time.perf_counter() - started) / 60:.1f} min)", flush=True)
        return True

    figures = None
    if step("data"):
        figures = generate(args.scale, MAIN_DB, False, RESULTS / "generate.json")
        r["data"] = {k: figures[k] for k in ("tables", "load_seconds", "verify", "subtrees", "total_seconds")}
    elif (RESULTS / "generate.json").exists():
        figures = json.loads((RESULTS / "generate.json").read_text())
    if step("http"):
        r["http"] = http_load.measure(MAIN_DB, args.duration, probe=3)
    if step("profile"):
        python("request_profile.py", "--database-url", MAIN_DB, "--repeat", "200", "--out",
               str(RESULTS / "profile.json"))
        r["profile"] = json.loads((RESULTS / "profile.json").read_text())
    if step("sql"):
        python("sql_bound.py", "--database-url", MAIN_DB, "--repeat", "3", "--out", str(RESULTS / "sql.json"))
        r["sql"] = json.loads((RESULTS / "sql.json").read_text())
        if figures:
            r["subtree_sql"] = subtree_sql(MAIN_DB, figures)
    if step("growth"):
        p95: dict[str, dict[str, float]] = {}
        single: dict[str, dict[str, float]] = {}
        loaded: dict[str, float] = {}
        for scale in GROWTH_SCALES:
            g = generate(scale, GROWTH_DB, True, RESULTS / f"generate-growth-{scale}.json")
            loaded[f"{scale:,} (skip-heavy)"] = g["load_seconds"]
            run = http_load.measure(GROWTH_DB, args.duration, LISTS, warm=2, probe=3)
            for name, e in run["endpoints"].items():
                p95.setdefault(name, {})[str(scale)] = e["p95_ms"]
                single.setdefault(name, {})[str(scale)] = e["single_client"]["p95_ms"]
        g = generate(10_000, SMALL_DB, False, RESULTS / "generate-growth-10000-full.json")
        loaded["10,000 (full)"] = g["load_seconds"]
        run = http_load.measure(SMALL_DB, args.duration, HEAVY_LISTS, warm=2, probe=3)
        for name, e in run["endpoints"].items():
            p95.setdefault(name, {})["10000"] = e["p95_ms"]
            single.setdefault(name, {})["10000"] = e["single_client"]["p95_ms"]
        for name in HEAVY_LISTS:
            main = r.get("http", {}).get("endpoints", {}).get(name)
            if main:
                p95[name][str(args.scale)] = main["p95_ms"]
                if "single_client" in main:
                    single[name][str(args.scale)] = main["single_client"]["p95_ms"]
        r["growth"] = {"p95_ms": p95, "single_client_p95_ms": single, "load_seconds": loaded}
        if not args.keep:
            drop(GROWTH_DB)
            drop(SMALL_DB)
    if step("import"):
        python("imports.py", "--database-url", PG + "lianmeng_bench_imports", "--out", str(RESULTS / "imports.json"))
        r["import"] = json.loads((RESULTS / "imports.json").read_text())
        if not args.keep:
            drop(PG + "lianmeng_bench_imports")
    if step("matching"):
        python("matching.py", "--n", "100000", "--out", str(RESULTS / "matching.json"))
        r["matching"] = json.loads((RESULTS / "matching.json").read_text())
    if not args.keep and "data" not in skip:
        drop(MAIN_DB)
    r["total_seconds"] = round(time.perf_counter() - started, 1)
    write_report(r)


def write_report(r: dict[str, Any]) -> None:
    targets = evaluate(r)
    images = charts(r)
    r["targets"] = targets
    (RESULTS / "report.json").write_text(json.dumps(r, indent=2, ensure_ascii=False, default=str))
    (RESULTS / "report.md").write_text(markdown(r, targets, images))
    print(f"==> done in {r['total_seconds'] / 60:.1f} min: bench/results/report.md, report.json, "
          + ", ".join(images))


if __name__ == "__main__":
    main()
