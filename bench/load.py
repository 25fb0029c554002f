"""RareGate as production runs it, under a mixed load of analysts, managers and compliance staff.

    .venv/bin/python bench/load.py [--rows 1000000] [--duration 60] [--levels 8,32,64] [--strict]

Needs PostgreSQL, Redis and `wrk` (`apt-get install wrk`); uses its own database
(raregate_bench_load by default), which it empties first. It loads N export records through the
import path plus 5,000 licences and 5,000 approvals, runs ANALYZE, and serves the app with gunicorn
(2 workers, one per core; --workers picks another count; production settings) beside a Celery
worker. At each level of concurrency it runs for D seconds, from loopback, three kinds of client at
once, so that each kind has its own latency distribution: `pages` and `api-reads` (API GETs), from
a wrk process each, and `api-writes` (Compliance records approvals through the API, each with a
unique statement). Of N clients, max(1, N // 16) are writers and the other readers are split
between pages and API reads as their weights in MIX (13 : 10), pages rounded to nearest. A writer
is a person, not a flood: a thread of this script that waits 500 ms, then posts one approval on a
new connection, as a browser's form would (wrk's delay() would open the connection first and hold a
sync worker for the whole wait), so that writes stay a few percent of the traffic. It prints per
level and kind clients, req/s, p50/p99 latency, errors and statuses; checks that each write
acknowledged with 201 is stored exactly once; and says whether the targets are met at 32 clients
(or the level closest to it): no request fails, p99 under 500 ms for pages and under 250 ms for API
reads. `--strict` exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dashboard_load import (  # noqa: E402
    DEFAULT_REDIS,
    PYTHON,
    ROOT,
    UNITS,
    app_prepare,
    check,
    environment,
    gunicorn_start,
    redis_flush,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/raregate_bench_load"
TARGET_LEVEL = 32
PAGES_P99_MS, API_READS_P99_MS = 500.0, 250.0
WRITER_THINK_MS = 500
MARK = "load-test write"

# What a working day looks like: (kind, role, path, weight); wrk picks requests within a kind in
# proportion to the weights.
MIX = [
    ("pages", "manager", "/", 4),
    ("pages", "manager", "/charts/?series=comtrade-850511&partner=DEU", 2),
    ("pages", "analyst", "/automakers/", 3),
    ("pages", "analyst", "/licences/?expiring_within=30", 2),
    ("pages", "analyst", "/approvals/", 2),
    ("api-reads", "manager", "/api/v1/summaries/?series=gacc-rare-earths", 3),
    ("api-reads", "analyst", "/api/v1/licences/?status=issued", 3),
    ("api-reads", "analyst", "/api/v1/automakers/", 2),
    ("api-reads", "compliance", "/api/v1/approvals/?status=pending", 2),
    ("api-writes", "compliance", "/api/v1/approvals/", 1),
]
KINDS = ["pages", "api-reads", "api-writes"]
READ_KINDS = KINDS[:2]
WEIGHTS = {kind: sum(entry[3] for entry in MIX if entry[0] == kind) for kind in KINDS}

# One wrk thread (-t 1) reads its requests from WRK_CONFIG and picks one after another in
# proportion to the weights.
LUA = r"""
local config = dofile(os.getenv("WRK_CONFIG"))
local requests = {}
for _, entry in ipairs(config.requests) do
  for _ = 1, entry.weight do table.insert(requests, entry) end
end
local the_thread
counts = {}

function setup(thread) the_thread = thread end

function request()
  local entry = requests[math.random(#requests)]
  return wrk.format(entry.method, entry.path, entry.headers)
end

-- wrk keeps no count by status, so the thread counts and done() prints them.
function response(status, headers, body)
  local key = tostring(status)
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local parts = {}
  for key, n in pairs(the_thread:get("counts")) do
    table.insert(parts, string.format("%q:%d", key, n))
  end
  io.write("COUNTS {" .. table.concat(parts, ",") .. "}\n")
end
"""


def clients_split(level: int) -> dict[str, int]:
    """Writers are a few people; the other clients read pages and the API as MIX weighs them."""
    writers = max(1, level // 16)
    readers = level - writers
    share = WEIGHTS["pages"] / (WEIGHTS["pages"] + WEIGHTS["api-reads"])
    pages = int(readers * share + 0.5)
    return {"pages": pages, "api-reads": readers - pages, "api-writes": writers}


def clients_explained(level: int) -> str:
    clients = clients_split(level)
    writers, pages = clients["api-writes"], clients["pages"]
    readers, weights = level - writers, WEIGHTS["pages"] + WEIGHTS["api-reads"]
    return (
        f"level {level}: writers max(1, {level} // 16) = {writers}; readers {level} - {writers} ="
        f" {readers}: pages {readers} x {WEIGHTS['pages']}/{weights} ="
        f" {readers * WEIGHTS['pages'] / weights:.2f} -> {pages},"
        f" API reads {readers} - {pages} = {clients['api-reads']}"
    )


def config_write(path: Path, kind: str, *, cookies: dict, tokens: dict) -> None:
    """The Lua table of the reads of `kind`, with the credentials of each role."""
    requests = []
    for entry_kind, role, url, weight in MIX:
        if entry_kind != kind:
            continue
        if kind == "pages":
            headers = {"Cookie": f"sessionid={cookies[role]}"}
        else:
            headers = {"Authorization": f"Token {tokens[role]}"}
        requests.append({"method": "GET", "path": url, "weight": weight, "headers": headers})

    def lua(value) -> str:
        if isinstance(value, dict):
            return "{" + ",".join(f"[{json.dumps(k)}]={lua(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "{" + ",".join(lua(v) for v in value) + "}"
        return json.dumps(value)

    path.write_text("return " + lua({"requests": requests}) + "\n")


def writer(base: str, token: str, automaker_id: int, name: str, duration: int) -> list:
    """One person recording approvals: think, then POST one, for `duration` seconds.

    A thread, not wrk: wrk's delay() would open the connection first and send the request
    after the think time, holding a sync worker for all of it, as no browser does.
    """
    url = urlsplit(base)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    deadline, done, count = time.monotonic() + duration, [], 0
    while True:
        time.sleep(WRITER_THINK_MS / 1000)
        if time.monotonic() >= deadline:
            return done
        count += 1
        claim = {
            "automaker": automaker_id,
            "status": "pending",
            "evidence_grade": "news_report",
            "claimed_on": "2026-11-20",
            "statement": f"{MARK} {name}-{count}",
            "source_url": "https://example.org/load",
        }
        started = time.monotonic()
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        try:
            connection.request("POST", "/api/v1/approvals/", json.dumps(claim), headers)
            response = connection.getresponse()
            response.read()
            status = str(response.status)
        except OSError as error:
            status = type(error).__name__
        finally:
            connection.close()
        done.append((status, (time.monotonic() - started) * 1000))


def writers_result(done: list, *, clients: int, duration: int) -> dict:
    latencies = sorted(ms for _, ms in done) or [0.0]
    counts: dict[str, int] = {}
    for status, _ in done:
        counts[status] = counts.get(status, 0) + 1
    socket_errors = {key: n for key, n in counts.items() if not key.isdigit()}
    failed = sum(n for key, n in counts.items() if not re.fullmatch(r"[23]\d\d", key))
    return {
        "clients": clients,
        "rps": len(done) / duration,
        "p50_ms": latencies[len(latencies) // 2],
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "counts": counts,
        "socket_errors": socket_errors,
        "errors": failed,
    }


def licensing_load(count: int) -> int:
    """`count` licences and `count` approvals, as a year of compliance work would leave."""
    from datetime import date, timedelta

    from licensing.models import Approval, Automaker, Exporter, Licence

    exporters = [Exporter.objects.get_or_create(name=f"Bench exporter {n}")[0] for n in range(50)]
    automakers = [
        Automaker.objects.get_or_create(name=f"Bench automaker {n}", country="USA")[0]
        for n in range(100)
    ]
    start = date(2026, 1, 1)
    licences = Licence.objects.bulk_create(
        Licence(
            exporter=exporters[n % 50],
            kind="individual",
            number=f"BENCH-{n}",
            status="issued",
            issued_on=start,
            valid_from=start,
            valid_until=start + timedelta(days=200 + n % 400),
            source_url="https://example.org/licence",
        )
        for n in range(count)
    )
    Approval.objects.bulk_create(
        Approval(
            automaker=automakers[n % 100],
            exporter=licence.exporter,
            licence=licence,
            licence_kind="individual",
            status="approved",
            evidence_grade="internal_document",
            claimed_on=start,
            statement=f"Bench approval {n}",
            source_url="https://example.org/claim",
        )
        for n, licence in enumerate(licences)
    )
    return automakers[0].pk


def data_prepare(env: dict, args, work: Path) -> tuple[int, dict, dict]:
    """Records, licensing data and summaries, analysed; an automaker's id, cookies and tokens."""
    app_prepare(env, args, work)
    from django.db import connection

    from dashboards.services import monthly_summaries_rebuild

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM licensing_approval WHERE statement LIKE 'Bench%%' OR statement LIKE %s",
            [MARK + "%"],
        )
        cursor.execute("DELETE FROM licensing_licence WHERE number LIKE 'BENCH-%%'")
    automaker_id = licensing_load(args.licensing)
    monthly_summaries_rebuild()
    with connection.cursor() as cursor:
        # Autovacuum is off here: gather the statistics production's would after a bulk load.
        cursor.execute("ANALYZE")
    # The imports queued summary rebuilds for a worker: done above, so drop them (and the cache)
    # before the load starts.
    redis_flush(args.redis_url)
    cookies, tokens = sessions_and_tokens()
    connection.close()
    return automaker_id, cookies, tokens


def sessions_and_tokens() -> tuple[dict, dict]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from rest_framework.authtoken.models import Token

    cookies, tokens = {}, {}
    for role in ("analyst", "manager", "compliance"):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-{role}")
        user.groups.set([Group.objects.get(name=role.title())])
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies["sessionid"].value
        tokens[role] = Token.objects.get_or_create(user=user)[0].key
    return cookies, tokens


def wrk_result(process: subprocess.Popen, *, clients: int) -> dict:
    output = process.communicate()[0]
    if process.returncode or "COUNTS" not in output:
        raise SystemExit(f"wrk failed: {output}")

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    counts = json.loads(re.search(r"^COUNTS (\{.*\})$", output, re.M).group(1))
    line = re.search(r"Socket errors: (.*)$", output, re.M)
    socket_errors = {k: int(n) for k, n in re.findall(r"(\w+) (\d+)", line[1] if line else "")}
    failed = sum(n for status, n in counts.items() if not re.fullmatch(r"[23]\d\d", status))
    return {
        "clients": clients,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "counts": counts,
        "socket_errors": socket_errors,
        "errors": failed + sum(socket_errors.values()),
    }


def level_run(base: str, script: Path, configs: dict, writing: dict, *, level: int, duration: int):
    """Pages and API reads from a wrk process each, writers from threads, all at once."""
    clients, processes = clients_split(level), {}
    for kind in READ_KINDS:
        command = ["wrk", "-t", "1", "-c", str(clients[kind]), "-d", f"{duration}s", "--latency"]
        command += ["--timeout", "10s", "-s", str(script), base]
        env = dict(os.environ, LUA_PATH="", WRK_CONFIG=str(configs[kind]))
        processes[kind] = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    writers = clients["api-writes"]
    with ThreadPoolExecutor(writers) as pool:
        names = [f"{level}-{n}" for n in range(writers)]
        runs = pool.map(lambda name: writer(base, **writing, name=name, duration=duration), names)
        done = [write for run in runs for write in run]
    results = {
        kind: wrk_result(process, clients=clients[kind]) for kind, process in processes.items()
    }
    results["api-writes"] = writers_result(done, clients=writers, duration=duration)
    return results


def writes_check(level: int, result: dict) -> dict:
    from licensing.models import Approval

    rows = Approval.objects.filter(statement__startswith=f"{MARK} {level}-")
    acknowledged, in_flight = result["counts"].get("201", 0), sum(result["socket_errors"].values())
    stored, distinct = rows.count(), rows.values("statement").distinct().count()
    # A write whose answer never came (a timeout) may still have been stored. A write stored
    # twice would show as stored > distinct.
    once = stored == distinct and acknowledged <= stored <= acknowledged + in_flight
    return {
        "acknowledged": acknowledged,
        "stored": stored,
        "distinct": distinct,
        "in_flight": in_flight,
        "once": once,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--licensing", type=int, default=5_000)
    parser.add_argument("--duration", type=int, default=60, help="seconds per level")
    parser.add_argument("--levels", default="8,32,64")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers (default: one per core here)"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--json", metavar="FILE", help="write the raw figures to FILE")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    levels = [int(n) for n in args.levels.split(",")]
    if min(levels) < 3:
        raise SystemExit("each level needs at least 3 clients: one per kind")

    work = Path(tempfile.mkdtemp(prefix="raregate-load-"))
    args.media_root = str(work / "media")
    env = environment(args)
    # Three accounts stand for many people here: the per-user API throttle would count them as
    # three very busy users and answer 429.
    env["RAREGATE_API_USER_RATE"] = "1000000/minute"
    processes: list[subprocess.Popen] = []
    results = {}
    try:
        automaker_id, cookies, tokens = data_prepare(env, args, work)
        celery = [PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency", "1"]
        processes.append(subprocess.Popen([*celery, "--loglevel", "WARNING"], cwd=ROOT, env=env))
        processes.append(gunicorn_start(env, args.port, workers=args.workers))
        base = f"http://127.0.0.1:{args.port}"
        configs = {kind: work / f"{kind}.lua.config" for kind in READ_KINDS}
        for kind, path in configs.items():
            config_write(path, kind, cookies=cookies, tokens=tokens)
        writing = {"token": tokens["compliance"], "automaker_id": automaker_id}
        script = work / "mix.lua"
        script.write_text(LUA)
        for url in ("/", "/charts/?series=comtrade-850511&partner=DEU"):
            check(base + url, cookies["manager"])  # warm the caches as a first visit would
        for level in levels:
            print(clients_explained(level), flush=True)
            results[level] = level_run(
                base, script, configs, writing, level=level, duration=args.duration
            )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    writes = {level: writes_check(level, kinds["api-writes"]) for level, kinds in results.items()}
    target_level = min(results, key=lambda level: abs(level - TARGET_LEVEL))
    targets = targets_check(results[target_level], writes[target_level])
    report(args, results, writes, target_level, targets)
    if args.json:
        figures = {"levels": results, "writes": writes, "target_level": target_level}
        figures["targets"] = [{"target": text, "met": met} for text, met in targets]
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if args.strict and not all(met for _, met in targets) else 0


def targets_check(kinds: dict, writes: dict) -> list[tuple[str, bool]]:
    pages, api = kinds["pages"]["p99_ms"], kinds["api-reads"]["p99_ms"]
    errors = sum(result["errors"] for result in kinds.values())
    return [
        (f"pages p99 {pages:.1f} ms < {PAGES_P99_MS:.0f}", pages < PAGES_P99_MS),
        (f"API reads p99 {api:.1f} ms < {API_READS_P99_MS:.0f}", api < API_READS_P99_MS),
        (f"no failed request ({errors} errors in all kinds)", errors == 0),
        ("writes each stored exactly once", writes["once"]),
    ]


def report(args, results: dict, writes: dict, target_level: int, targets: list) -> None:
    print()
    print(
        f"Mixed load: {args.rows:,} export records, {args.licensing:,} licences and approvals;"
        f" gunicorn {args.workers} workers + a Celery worker; {args.duration} s per level;"
        " a wrk per kind of read, a thread per writer;"
        f" writers wait {WRITER_THINK_MS} ms before each write"
    )
    header = f"{'level':>5}  {'kind':<10} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"  {header} {'errors':>6}  statuses")
    for level, kinds in results.items():
        for kind, result in kinds.items():
            statuses = ", ".join(f"{key}: {n}" for key, n in sorted(result["counts"].items()))
            failures = [f"{name} {n}" for name, n in result["socket_errors"].items() if n]
            if failures:
                statuses += "; socket errors: " + ", ".join(failures)
            print(
                f"  {level if kind == KINDS[0] else '':>5}  {kind:<10} {result['clients']:>7}"
                f" {result['rps']:>8.1f} {result['p50_ms']:>8.1f} {result['p99_ms']:>8.1f}"
                f" {result['errors']:>6}  {statuses}"
            )
        total = sum(result["rps"] for result in kinds.values())
        print(f"  {'':>5}  {'total':<10} {level:>7} {total:>8.1f}")
    print()
    for level, stored in writes.items():
        print(
            f"  writes at {level} clients: {stored['acknowledged']:,} acknowledged (201),"
            f" {stored['stored']:,} stored, {stored['distinct']:,} distinct ("
            f"{stored['in_flight']} unanswered, which may be stored or not) -> "
            f"{'each stored exactly once' if stored['once'] else 'MISMATCH'}"
        )
    print()
    for text, met in targets:
        print(f"  target at {target_level} clients: {text} ({'met' if met else 'NOT met'})")


if __name__ == "__main__":
    sys.exit(main())
