"""RareGate as production runs it, under a mixed load of analysts, managers and compliance staff.

    .venv/bin/python bench/load.py [--rows 1000000] [--duration 60] [--levels 8,32,64]

Needs PostgreSQL, Redis and `wrk` (`apt-get install wrk`); uses its own database
(raregate_bench_load by default), which it empties first. It loads N export records through the
import path plus 5,000 licences and 5,000 approvals, serves the app with gunicorn (2 workers,
production settings) beside a Celery worker, and drives from loopback, for D seconds at each
level of concurrency, a mix of pages and API calls (reads and writes: Compliance records
approvals through the API, each with a unique statement). It prints throughput, p50/p99 latency
and errors per level, then checks that every write acknowledged with 201 is stored exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

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
TARGETS = {"page_p99_ms": 500.0, "api_p99_ms": 250.0}
MARK = "load-test write"

# wrk picks one request after another from this list, in proportion to the weights: what a
# working day looks like (reads mostly; one request in ten a write).
LUA = r"""
local requests = {}
local weights = {}
counts = {}
writes = 0
local thread_id = 0
local counter = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  table.insert(THREADS, thread)
end

THREADS = {}

function init(args)
  local config = dofile(CONFIG)
  for _, entry in ipairs(config.requests) do
    for _ = 1, entry.weight do table.insert(requests, entry) end
  end
  math.randomseed(id * 7919)
end

function request()
  local entry = requests[math.random(#requests)]
  last = entry
  if entry.method == "POST" then
    counter = counter + 1
    local body = string.gsub(entry.body, "__UNIQUE__", id .. "-" .. counter .. "-" .. os.time())
    return wrk.format("POST", entry.path, entry.headers, body)
  end
  return wrk.format("GET", entry.path, entry.headers)
end

function response(status, headers, body)
  -- wrk keeps no request per response, so responses are counted by status: only the API
  -- write answers 201.
  local key = tostring(status)
  counts[key] = (counts[key] or 0) + 1
  if status == 201 then writes = writes + 1 end
end

function done(summary, latency, requests)
  local total = {}
  local written = 0
  for _, thread in ipairs(THREADS) do
    local c = thread:get("counts")
    for key, value in pairs(c) do total[key] = (total[key] or 0) + value end
    written = written + thread:get("writes")
  end
  local parts = {}
  for key, value in pairs(total) do table.insert(parts, string.format("%q:%d", key, value)) end
  io.write("COUNTS {" .. table.concat(parts, ",") .. "}\n")
  io.write("WRITES " .. written .. "\n")
end
"""


def lua_config(path: Path, *, cookies: dict, tokens: dict, automaker_id: int) -> None:
    def page(role: str, url: str, weight: int) -> dict:
        return {
            "kind": "page",
            "method": "GET",
            "path": url,
            "weight": weight,
            "headers": {"Cookie": f"sessionid={cookies[role]}"},
        }

    def api(role: str, url: str, weight: int, body: dict | None = None) -> dict:
        entry = {
            "kind": "api-write" if body else "api-read",
            "method": "POST" if body else "GET",
            "path": url,
            "weight": weight,
            "headers": {"Authorization": f"Token {tokens[role]}"},
        }
        if body:
            entry["headers"]["Content-Type"] = "application/json"
            entry["body"] = json.dumps(body)
        return entry

    claim = {
        "automaker": automaker_id,
        "status": "pending",
        "evidence_grade": "news_report",
        "claimed_on": "2026-11-20",
        "statement": f"{MARK} __UNIQUE__",
        "source_url": "https://example.org/load",
    }
    requests = [
        page("manager", "/", 4),
        page("manager", "/charts/?series=comtrade-850511&partner=DEU", 2),
        api("manager", "/api/v1/summaries/?series=gacc-rare-earths", 3),
        page("analyst", "/automakers/", 3),
        page("analyst", "/licences/?expiring_within=30", 2),
        page("analyst", "/approvals/", 2),
        api("analyst", "/api/v1/licences/?status=issued", 3),
        api("analyst", "/api/v1/automakers/", 2),
        api("compliance", "/api/v1/approvals/?status=pending", 2),
        api("compliance", "/api/v1/approvals/", 1, body=claim),
    ]

    def lua(value) -> str:
        if isinstance(value, dict):
            return "{" + ",".join(f"[{json.dumps(k)}]={lua(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "{" + ",".join(lua(v) for v in value) + "}"
        return json.dumps(value)

    path.write_text("return " + lua({"requests": requests}) + "\n")


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


def wrk(base: str, script: Path, config: Path, *, clients: int, duration: int) -> dict:
    env = {**os.environ, "LUA_PATH": ""}
    source = script.read_text().replace("CONFIG", json.dumps(str(config)))
    script.with_suffix(".run.lua").write_text(source)
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(clients),
            "-d",
            f"{duration}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script.with_suffix(".run.lua")),
            base,
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if output.returncode:
        raise SystemExit(f"wrk failed: {output.stderr or output.stdout}")
    output = output.stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    counts = json.loads(re.search(r"^COUNTS (\{.*\})$", output, re.M).group(1) or "{}")
    socket_errors = re.search(r"Socket errors: (.*)$", output, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "counts": counts,
        "writes": int(re.search(r"^WRITES (\d+)$", output, re.M).group(1)),
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def writes_stored() -> tuple[int, int]:
    from licensing.models import Approval

    rows = Approval.objects.filter(statement__startswith=MARK)
    return rows.count(), rows.values("statement").distinct().count()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--licensing", type=int, default=5_000)
    parser.add_argument("--duration", type=int, default=60, help="seconds per level")
    parser.add_argument("--levels", default="8,32,64")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    work = Path(tempfile.mkdtemp(prefix="raregate-load-"))
    args.media_root = str(work / "media")
    env = environment(args)
    # Three accounts stand for many people here: the per-user API throttle would count them as
    # three very busy users and answer 429.
    env["RAREGATE_API_USER_RATE"] = "1000000/minute"
    processes: list[subprocess.Popen] = []
    results = {}
    try:
        app_prepare(env, args, work)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM licensing_approval WHERE statement LIKE 'Bench%%' "
                "OR statement LIKE %s",
                [MARK + "%"],
            )
            cursor.execute("DELETE FROM licensing_licence WHERE number LIKE 'BENCH-%%'")
        automaker_id = licensing_load(args.licensing)
        from dashboards.services import monthly_summaries_rebuild

        monthly_summaries_rebuild()
        # The imports queued summary rebuilds for a worker: done above, so drop them (and the
        # cache) before the load starts.
        redis_flush(args.redis_url)
        cookies, tokens = sessions_and_tokens()
        connection.close()

        processes.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        processes.append(gunicorn_start(env, args.port))
        base = f"http://127.0.0.1:{args.port}"
        config = work / "mix.lua.config"
        lua_config(config, cookies=cookies, tokens=tokens, automaker_id=automaker_id)
        script = work / "mix.lua"
        script.write_text(LUA)
        for url in ("/", "/charts/?series=comtrade-850511&partner=DEU"):
            check(base + url, cookies["manager"])  # warm the caches as a first visit would
        for level in [int(n) for n in args.levels.split(",")]:
            results[level] = wrk(base, script, config, clients=level, duration=args.duration)
            print(f"level {level}: done", flush=True)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    stored, distinct = writes_stored()
    report(args, results, stored, distinct)
    return 0


def report(args, results: dict, stored: int, distinct: int) -> None:
    print()
    print(
        f"Mixed load: {args.rows:,} export records, {args.licensing:,} licences and approvals;"
        f" gunicorn 2 workers + a Celery worker; {args.duration} s per level"
    )
    print(f"  {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  by status")
    acknowledged = 0
    for level, result in results.items():
        counts = result["counts"]
        errors = sum(n for key, n in counts.items() if not re.fullmatch(r"[23]\d\d", key))
        acknowledged += result["writes"]
        kinds = ", ".join(f"{key}: {n}" for key, n in sorted(counts.items()))
        print(
            f"  {level:>7} {result['rps']:>8.0f} {result['p50_ms']:>8.1f} "
            f"{result['p99_ms']:>8.1f} {errors:>7}  {kinds}; socket errors: "
            f"{result['socket_errors']}"
        )
    print()
    # wrk stops with requests in flight: the server may have stored a write whose 201 wrk never
    # read, at most one per connection. A write stored twice would show as stored > distinct.
    in_flight = max(results) if results else 0
    once = stored == distinct and acknowledged <= stored <= acknowledged + in_flight
    print(
        f"  writes acknowledged (201): {acknowledged:,}; stored: {stored:,}; "
        f"distinct: {distinct:,} (up to {in_flight} may be in flight when wrk stops) -> "
        f"{'each stored exactly once' if once else 'MISMATCH'}"
    )
    print(
        "  (wrk reports one latency distribution for the whole mix; the targets are p99 under"
        f" {TARGETS['page_p99_ms']:.0f} ms for pages and {TARGETS['api_p99_ms']:.0f} ms for"
        " API reads at 32 clients)"
    )


if __name__ == "__main__":
    sys.exit(main())
