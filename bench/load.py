"""RareGate as production runs it, under a working day's people, on Locust: how many it serves.

    .venv/bin/python bench/load.py [--levels 25,50,100,200] [--duration 120] [--stress 32]

Needs PostgreSQL and Redis. Seeds its database through bench/seed.py (N export records, 5,000
licences, 5,000 approvals, 500 automakers; reused when it already holds them), serves the app with
gunicorn (2 workers, production settings: bench/settings.py) beside a Celery worker, and runs
bench/people.py (Locust, headless, in a process of its own): analysts, managers and compliance
staff in the proportions of bench/routes.SHARES, each logging in once and browsing its role's
pages and API lists with 3-8 s between requests, compliance staff also recording approvals
(about 4% of the requests). At each level of users (25, 50, 100, 200; two minutes each) and then
at a closed-loop stress level (32 clients that do not wait) it prints, per kind of request
(pages, API reads, writes), throughput, p50/p99 and errors; the largest number of users served
with p99 < 300 ms and no error; and whether every write acknowledged with 201 is stored exactly
once (each carries a unique statement). It ends with one `target ...: ... (met|MISSED)` line per
target; --strict exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from shutil import rmtree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import routes  # noqa: E402
from bench.dashboard_load import PYTHON, ROOT, gunicorn_start, redis_flush  # noqa: E402
from bench.seed import (  # noqa: E402
    AUTOMAKER_PREFIX,
    PASSWORD,
    WRITE_MARK,
    accounts,
    bench_environment,
    caches_clear,
    caches_described,
    seed,
    seed_arguments,
    services_arguments,
    summary,
    writes_delete,
)
from bench.targets import target_line  # noqa: E402

P99_MS, SERVED_USERS = 300.0, 100
KINDS = ["pages", "api-reads", "writes"]


def servers_start(env: dict, args) -> list[subprocess.Popen]:
    celery = [PYTHON, "-m", "celery", "--quiet", "-A", "config", "worker", "--concurrency", "1"]
    # A container's root user is not what this measures: no warning about it on every run.
    quiet = dict(env, PYTHONWARNINGS="ignore:You're running the worker with superuser")
    worker = subprocess.Popen([*celery, "--loglevel", "WARNING"], cwd=ROOT, env=quiet)
    return [worker, gunicorn_start(env, args.port, workers=args.workers)]


def routines_check() -> None:
    """Every path of every routine answers its role 200, in process, before minutes of load."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    wrong = []
    for role, routine in routes.ROUTINES.items():
        client = Client(headers={"host": "localhost"})
        client.force_login(get_user_model().objects.get(username=accounts(role, 1)[0]))
        for path, _ in routine:
            status = client.get(path).status_code
            if status != 200:
                wrong.append(f"{role} {path}: {status}")
    if wrong:
        raise SystemExit("bench/routes.py ROUTINES: " + "; ".join(wrong))


def cache_beside_broker() -> bool:
    from django.conf import settings

    broker = settings.CELERY_BROKER_URL
    return any(config.get("LOCATION") == broker for config in settings.CACHES.values())


def workers_warm(base: str, *, workers: int) -> None:
    """Each path of each routine a few times, so that each worker has loaded its templates and
    code, as a running server has (the cache is emptied again afterwards)."""
    import urllib.request

    from django.contrib.auth import get_user_model
    from django.test import Client

    for role, routine in routes.ROUTINES.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=accounts(role, 1)[0]))
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        for path, _ in [("/login/", 0), *routine]:
            for _ in range(3 * workers):
                request = urllib.request.Request(base + path, headers={"Cookie": cookie})
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()


def people_run(args, work: Path, *, accounts_by_role: dict, automakers: list[int], mark: str):
    config = {
        "host": f"http://127.0.0.1:{args.port}",
        "accounts": accounts_by_role,
        "password": PASSWORD,
        "automakers": automakers,
        "mark": mark,
        "today": date.today().isoformat(),
        "levels": args.levels,
        "duration": args.duration,
        "stress": args.stress,
        "stress_duration": args.stress_duration or args.duration,
        "spawn_rate": args.spawn_rate,
    }
    (work / "people.json").write_text(json.dumps(config))
    out = work / "results.json"
    command = [PYTHON, str(ROOT / "bench/people.py"), "--config", str(work / "people.json")]
    subprocess.run([*command, "--out", str(out)], cwd=ROOT, check=True)
    return json.loads(out.read_text())


def writes_check(mark: str, writes: dict) -> dict:
    """Each write answered 201 stored exactly once; none stored twice; none stored that was
    refused or never sent. A write left unanswered (a timeout, or cut off at the end) may be
    stored or not."""
    from licensing.models import Approval

    stored = Counter(
        Approval.objects.filter(statement__startswith=f"{mark} ").values_list(
            "statement", flat=True
        )
    )
    acknowledged = writes["acknowledged"]
    refused = {statement for statement, _ in writes["refused"]}
    answered = set(acknowledged) | refused | set(writes["unanswered"])
    in_flight = [statement for statement in writes["sent"] if statement not in answered]
    sent = set(writes["sent"])
    lost = [statement for statement in acknowledged if stored[statement] != 1]
    twice = [statement for statement, n in stored.items() if n > 1]
    refused_but_stored = [statement for statement in stored if statement in refused]
    never_sent = [statement for statement in stored if statement not in sent]
    return {
        "acknowledged": len(acknowledged),
        "stored": sum(stored.values()),
        "distinct": len(stored),
        "unanswered": len(writes["unanswered"]) + len(in_flight),
        "refused": len(refused),
        "not stored once": lost,
        "stored twice": twice,
        "refused but stored": refused_but_stored,
        "never sent": never_sent,
        "once": not lost and not twice and not refused_but_stored and not never_sent,
    }


def served(level: dict) -> bool:
    kinds = level["kinds"]
    errors = sum(kinds[kind]["errors"] for kind in [*KINDS, "login"])
    slow = [kind for kind in KINDS if kinds[kind]["requests"] and kinds[kind]["p99_ms"] >= P99_MS]
    return errors == 0 and not slow


def users_served(levels: dict) -> int:
    """The largest level that, with every smaller one, was served."""
    best = 0
    for users in sorted(int(users) for users in levels):
        if not served(levels[str(users)]):
            break
        best = users
    return best


def targets(results: dict, writes: dict, stress_clients: int) -> list[tuple[str, str, bool]]:
    best = users_served(results["levels"])
    lines = [
        (
            f"users served with p99 < {P99_MS:.0f} ms and 0 errors >= {SERVED_USERS}",
            str(best),
            best >= SERVED_USERS,
        )
    ]
    stress = results["stress"]
    errors = sum(stress["kinds"][kind]["errors"] for kind in KINDS) if stress else None
    lines.append(
        (
            f"stress {stress_clients} clients errors == 0",
            "not run" if errors is None else str(errors),
            errors == 0,
        )
    )
    figure = f"{writes['acknowledged']}/{writes['stored']}/{writes['distinct']}"
    lines.append(("writes stored exactly once", figure, writes["once"]))
    return lines


def rows_print(label: str, level: dict) -> None:
    kinds = level["kinds"]
    everything = {
        "requests": sum(kinds[kind]["requests"] for kind in KINDS),
        "errors": sum(kinds[kind]["errors"] for kind in KINDS),
    }
    for index, kind in enumerate([*KINDS, "login"]):
        result = kinds[kind]
        statuses = ", ".join(f"{key}: {n}" for key, n in sorted(result["statuses"].items()))
        name = "login (ramp)" if kind == "login" else kind
        if kind == "login":
            print(
                f"  {'':>10} {'all':<12} {everything['requests']:>8}"
                f" {everything['requests'] / level['seconds']:>7.1f} {'':>7} {'':>7}"
                f" {everything['errors']:>6}"
            )
        print(
            f"  {label if index == 0 else '':>10} {name:<12} {result['requests']:>8}"
            f" {result['rps']:>7.1f} {result['p50_ms']:>7.1f} {result['p99_ms']:>7.1f}"
            f" {result['errors']:>6}  {statuses}"
        )
        for what, n in sorted(result["failures"].items()):
            print(f"  {'':>10} {'':<12} failed {n}x {what}")


def report(args, found: dict, results: dict, writes: dict, lines: list, cache: str) -> None:
    print()
    print(
        f"Working-day load: {summary(found)}; gunicorn {args.workers} workers + a Celery worker;"
        f" Locust people (shares {routes.SHARES}) waiting 3-8 s; {args.duration} s per level"
        f" after the ramp; cache emptied before the servers started ({cache})"
    )
    print(
        f"  {'users':>10} {'kind':<12} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'errors':>6}  statuses"
    )
    for users, level in results["levels"].items():
        verdict = "served" if served(level) else "not served"
        rows_print(users, level)
        print(f"  {'':>10} -> {verdict} (ramp {level['ramp_s']:.0f} s)")
    stress = results["stress"]
    if stress:
        seconds = args.stress_duration or args.duration
        print(f"  closed loop, no wait, {seconds} s:")
        rows_print(f"stress {stress['clients']}", stress)
    print()
    print(
        f"  writes: {writes['acknowledged']} acknowledged (201), {writes['stored']} stored,"
        f" {writes['distinct']} distinct; {writes['unanswered']} unanswered (stored or not),"
        f" {writes['refused']} refused; not stored exactly once: {len(writes['not stored once'])},"
        f" stored twice: {len(writes['stored twice'])},"
        f" refused but stored: {len(writes['refused but stored'])},"
        f" stored but never sent: {len(writes['never sent'])}"
    )
    print(
        f"  users served: {users_served(results['levels'])} (the largest level that, with every"
        f" smaller one, had p99 < {P99_MS:.0f} ms for each kind and no error, logins included)"
    )
    print()
    for what, figure, met in lines:
        print(target_line(what, figure, met))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    seed_arguments(parser)
    services_arguments(parser)
    parser.add_argument("--levels", default="25,50,100,200", help="users at each level")
    parser.add_argument("--duration", type=int, default=120, help="seconds measured per level")
    parser.add_argument("--stress", type=int, default=32, help="closed-loop clients (0: none)")
    parser.add_argument("--stress-duration", type=int, help="seconds (default: --duration)")
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users added per second")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.levels = sorted(int(n) for n in args.levels.split(","))

    work = Path(tempfile.mkdtemp(prefix="raregate-load-"))
    env = bench_environment(args, str(work / "media"))
    env["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    # The stress clients do not wait: the per-user API throttle, meant for people, would
    # answer them 429.
    env["RAREGATE_API_USER_RATE"] = "1000000/minute"
    processes: list[subprocess.Popen] = []
    try:
        found = seed(env, args)
        from django.db import connection

        from licensing.models import Automaker

        per_role = max(args.levels) + args.stress
        accounts_by_role = {role: accounts(role, per_role) for role in routes.ROLES}
        automakers = list(
            Automaker.objects.filter(name__startswith=AUTOMAKER_PREFIX).values_list("pk", flat=True)
        )
        routines_check()
        mark = f"{WRITE_MARK} {work.name}"
        cache = caches_described()
        caches_clear()
        redis_flush(args.redis_url)  # the broker's queue too: nothing left from an earlier run
        connection.close()
        processes = servers_start(env, args)
        workers_warm(f"http://127.0.0.1:{args.port}", workers=args.workers)
        if cache_beside_broker():
            # Flushing would also drop the worker's queue bindings: tasks sent later would be lost.
            cache += "; not emptied after the warm-up: it shares the broker's Redis database"
        else:
            caches_clear()
            cache += "; emptied again after the warm-up"
        connection.close()
        results = people_run(
            args, work, accounts_by_role=accounts_by_role, automakers=automakers, mark=mark
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        rmtree(work, ignore_errors=True)

    writes = writes_check(mark, results["writes"])
    writes_delete()
    lines = targets(results, writes, args.stress)
    report(args, found, results, writes, lines, cache)
    if args.json:
        figures = {"counts": found, "results": results, "writes": writes}
        figures["targets"] = [list(line) for line in lines]
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if args.strict and not all(met for _, _, met in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
