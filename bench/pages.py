"""Each page and API list with an empty cache: server time against the same SQL run bare.

    .venv/bin/python bench/pages.py [--records 1000000] [--repeat 30] [--json out.json]

Needs PostgreSQL and Redis. Seeds its database through bench/seed.py (N export records through
the import path, 5,000 licences, 5,000 approvals, 500 automakers; a database that already holds
those counts is reused). Then, in this process, under production settings (bench/settings.py:
config.settings.production, DEBUG off, HTTP allowed) and django.test.Client, it requests each URL
of bench/routes.py (PAGES and API_LISTS) as its role, --repeat times, clearing the app's cache
before every request (--keep-cache clears it once per URL). Per request it times the response,
counts the SQL statements (CaptureQueriesContext) and keeps them with their parameters; right
after, it runs those same statements bare through psycopg 3 on a connection of its own (same
database; executed and fetched in one transaction, rolled back). It prints per URL p50 and p95
server time, queries, the SQL's own time inside the request, the bare SQL p50 and the ratio, and
one line per target: every page p95 <= 150 ms, every API list p95 <= 100 ms, every URL's p50
<= 3 x its bare SQL p50 + 15 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import routes  # noqa: E402
from bench.seed import (  # noqa: E402
    accounts,
    bench_environment,
    bench_ids,
    caches_clear,
    caches_described,
    seed,
    seed_arguments,
    services_arguments,
    summary,
)
from bench.targets import target_line  # noqa: E402

TARGET_P95_MS = {"pages": 150.0, "api-reads": 100.0}
BARE_FACTOR, BARE_PLUS_MS = 3.0, 15.0
KIND_NAMES = {"pages": "page", "api-reads": "API list"}


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with `share` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered) - 1e-9)) - 1]


def clients() -> tuple[dict, dict]:
    """Per role, a Client logged in with a session (pages) and one sending a token (API)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    pages, api = {}, {}
    for role in routes.ROLES:
        user = get_user_model().objects.get(username=accounts(role, 1)[0])
        pages[role] = Client()
        pages[role].force_login(user)
        token = Token.objects.get_or_create(user=user)[0].key
        api[role] = Client(headers={"authorization": f"Token {token}"})
    return pages, api


class Recorder:
    """An execute wrapper that keeps each statement as psycopg received it, and times it."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, object, bool]] = []
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.statements.append((sql, params, many))


def request_timed(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recorder = Recorder()
    with connection.execute_wrapper(recorder), CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        try:
            response = client.get(path)
            status = response.status_code
        except Exception as error:  # noqa: BLE001 - reported as the URL's failure
            status = f"{type(error).__name__}: {error}"
        seconds = time.perf_counter() - started
    return {
        "ms": seconds * 1000,
        "status": status,
        "queries": len(captured),
        "sql_ms": recorder.seconds * 1000,
        "statements": recorder.statements,
    }


def bare_timed(bare, statements: list) -> float:
    """The statements as Django sent them (client-side binding, as Django's psycopg backend),
    each result fetched; in one transaction, rolled back, so a write in a GET changes nothing."""
    started = time.perf_counter()
    with bare.cursor() as cursor:
        for sql, params, many in statements:
            if many:
                cursor.executemany(sql, params)
            elif params is None:
                cursor.execute(sql)
            else:
                cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
    seconds = time.perf_counter() - started
    bare.rollback()
    return seconds * 1000


def url_measured(client, bare, path: str, *, repeat: int, keep_cache: bool) -> dict:
    caches_clear()
    request_timed(client, path)  # templates, URL resolver, plans: what a running worker has
    server, queries, sql, bare_ms, failures = [], [], [], [], []
    for index in range(repeat):
        if not keep_cache or index == 0:
            caches_clear()
        done = request_timed(client, path)
        if done["status"] != 200:
            failures.append(str(done["status"]))
            continue
        server.append(done["ms"])
        queries.append(done["queries"])
        sql.append(done["sql_ms"])
        try:
            bare_ms.append(bare_timed(bare, done["statements"]))
        except Exception as error:  # noqa: BLE001 - reported, and the figure left out
            bare.rollback()
            failures.append(f"bare SQL failed: {type(error).__name__}: {error}")
    result = {"path": path, "requests": len(server), "failures": failures}
    if server:
        result |= {
            "p50_ms": percentile(server, 0.5),
            "p95_ms": percentile(server, 0.95),
            "queries_min": min(queries),
            "queries_max": max(queries),
            "sql_in_request_p50_ms": statistics.median(sql),
            "server_ms": server,
        }
    if bare_ms:
        result |= {"bare_p50_ms": percentile(bare_ms, 0.5), "bare_ms": bare_ms}
    return result


def targets(results: list[dict]) -> list[tuple[str, str, bool]]:
    lines = []
    kinds = {kind: name for kind, name in KIND_NAMES.items() if any_of(results, kind)}
    for kind, name in kinds.items():
        rows = [row for row in results if row["kind"] == kind]
        limit = TARGET_P95_MS[kind]
        worst = max(rows, key=lambda row: row.get("p95_ms", float("inf")))
        over = [row for row in rows if row["failures"] or row["p95_ms"] > limit]
        figure = f"worst {fmt(worst.get('p95_ms'))} ms at {worst['path']}"
        figure += f", {len(over)} of {len(rows)} over"
        lines.append((f"every {name} p95 <= {limit:.0f} ms", figure, not over))
    for kind, name in kinds.items():
        rows = [row for row in results if row["kind"] == kind]
        worst = max(rows, key=lambda row: row.get("server_over_limit", float("inf")))
        over = [row for row in rows if row.get("server_over_limit", float("inf")) > 1]
        figure = (
            f"worst {fmt(worst.get('p50_ms'))} ms against {fmt(worst.get('bare_limit_ms'))} ms"
            f" at {worst['path']}, {len(over)} of {len(rows)} over"
        )
        what = f"every {name} p50 <= {BARE_FACTOR:.0f} x bare SQL p50 + {BARE_PLUS_MS:.0f} ms"
        lines.append((what, figure, not over))
    return lines


def any_of(results: list[dict], kind: str) -> bool:
    return any(row["kind"] == kind for row in results)


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def report(args, found: dict, results: list[dict], lines: list, cache: str) -> None:
    print()
    print(
        f"Pages and API lists, in process (django.test.Client, production settings, DEBUG off),"
        f" {args.repeat} requests each; {summary(found)}"
    )
    cleared = "once per URL" if args.keep_cache else "before every request"
    print(f"cache cleared {cleared} ({cache})")
    header = (
        f"  {'url':<46} {'role':<10} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7}"
        f" {'sql ms':>7} {'bare ms':>7} {'ratio':>6} {'3b+15':>7}"
    )
    for kind, name in KIND_NAMES.items():
        if not any_of(results, kind):
            continue
        print()
        print(f"{name}s")
        print(header)
        for row in (row for row in results if row["kind"] == kind):
            queries = (
                str(row.get("queries_min", "n/a"))
                if row.get("queries_min") == row.get("queries_max")
                else f"{row.get('queries_min')}-{row.get('queries_max')}"
            )
            ratio = f"{row['ratio']:.1f}" if "ratio" in row else "n/a"
            print(
                f"  {row['path']:<46} {row['role']:<10} {fmt(row.get('p50_ms')):>7}"
                f" {fmt(row.get('p95_ms')):>7} {queries:>7}"
                f" {fmt(row.get('sql_in_request_p50_ms')):>7} {fmt(row.get('bare_p50_ms')):>7}"
                f" {ratio:>6} {fmt(row.get('bare_limit_ms')):>7}"
            )
            for failure in sorted(set(row["failures"])):
                print(f"    FAILED {row['failures'].count(failure)}x: {failure}")
    print()
    print(
        "p50/p95: server time of the request in process; queries: SQL statements per request;"
        " sql ms: their execution inside the request (p50); bare ms: the same statements run"
        " bare through psycopg (p50); ratio: p50 / bare; 3b+15: the limit 3 x bare + 15 ms"
    )
    print()
    for what, figure, met in lines:
        print(target_line(what, figure, met))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    seed_arguments(parser)
    services_arguments(parser)
    parser.add_argument("--repeat", type=int, default=30, help="requests per URL")
    parser.add_argument(
        "--keep-cache", action="store_true", help="clear the cache once per URL, not per request"
    )
    parser.add_argument("--only", metavar="TEXT", help="only the URLs that contain TEXT")
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    args = parser.parse_args(argv)

    media = tempfile.mkdtemp(prefix="raregate-pages-")
    env = bench_environment(args, media)
    env["DJANGO_ALLOWED_HOSTS"] += ",testserver"
    # Three users make every request here; the per-user API throttle is for people.
    env["RAREGATE_API_USER_RATE"] = "1000000/minute"
    found = seed(env, args)

    import psycopg

    page_clients, api_clients = clients()
    bare = psycopg.connect(
        args.database_url,
        cursor_factory=psycopg.ClientCursor,
        options="-c TimeZone=UTC -c jit=off",  # as the app's connections
    )
    cache = caches_described()
    results = []
    ids = bench_ids()
    urls = [("pages", path.format(**ids), role) for path, role in routes.PAGES]
    urls += [("api-reads", path.format(**ids), role) for path, role in routes.API_LISTS]
    for kind, path, role in urls:
        if args.only and args.only not in path:
            continue
        client = (page_clients if kind == "pages" else api_clients)[role]
        row = url_measured(client, bare, path, repeat=args.repeat, keep_cache=args.keep_cache)
        row |= {"kind": kind, "role": role}
        if "p50_ms" in row and "bare_p50_ms" in row:
            row["ratio"] = row["p50_ms"] / row["bare_p50_ms"]
            row["bare_limit_ms"] = BARE_FACTOR * row["bare_p50_ms"] + BARE_PLUS_MS
            row["server_over_limit"] = row["p50_ms"] / row["bare_limit_ms"]
        print(
            f"  {path}: p50 {fmt(row.get('p50_ms'))} ms, bare {fmt(row.get('bare_p50_ms'))} ms",
            flush=True,
        )
        results.append(row)
    bare.close()
    caches_clear()
    lines = targets(results)
    report(args, found, results, lines, cache)
    if args.json:
        figures = {"counts": found, "repeat": args.repeat, "keep_cache": args.keep_cache}
        figures |= {"urls": results, "targets": [list(line) for line in lines]}
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
