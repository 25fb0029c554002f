"""Dashboards under load: the summary rebuild against a bare GROUP BY, then pages under wrk.

    .venv/bin/python bench/dashboard_load.py [--rows 1000000] [--duration 20] [--clients 8]

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; defaults below) and `wrk`
(`apt-get install wrk`). It uses its own database (raregate_bench_dash by default), which it
empties first. Steps, all in one run:

1. load N export records through the import path (a generated RareGate CSV, plus the demo
   data in data/exports/ so that the overview has its headline series);
2. time the summary rebuild against a bare GROUP BY of the same rows;
3. serve the app with gunicorn (2 workers, production settings plus a constant-JSON baseline
   view, bench/settings.py) and drive the overview, the charts page, /api/v1/summaries/ and the
   baseline with wrk from loopback (C clients, D seconds each), logged in as a Manager.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/raregate_bench_dash"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"
SERIES = ["comtrade-280530", "comtrade-284610", "comtrade-284690", "comtrade-850511"]
PARTNERS_COUNT = 200  # as many partners as China's exports reach, roughly


def partners() -> list[str]:
    import pycountry

    return sorted(country.alpha_3 for country in pycountry.countries)[:PARTNERS_COUNT]


TARGETS = {"rebuild_ratio": 5.0, "throughput_ratio": 0.25, "p99_ms": 100.0}


def environment(args) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_MEDIA_ROOT": args.media_root,
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def database_create(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def records_csv(path: Path, rows: int) -> None:
    """Distinct figures: series × partners × months back from December 2024."""
    codes = partners()
    with open(path, "w") as out:
        out.write("series,period,partner,tonnes,value,value_unit,source_url\n")
        written, month = 0, 0
        while written < rows:
            year, month_of_year = 2024 - month // 12, 12 - month % 12
            for series in SERIES:
                for index, partner in enumerate(codes):
                    tonnes = (written * 7 + index) % 900 + 0.125
                    out.write(
                        f"{series},{year}-{month_of_year:02d},{partner},{tonnes},"
                        f"{tonnes * 5000:.0f},USD,\n"
                    )
                    written += 1
                    if written == rows:
                        return
            month += 1


def django_ready(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def redis_flush(url: str) -> None:
    subprocess.run(["redis-cli", "-u", url, "flushdb"], check=True, stdout=subprocess.DEVNULL)


def app_prepare(env: dict, args, work: Path) -> float:
    """A migrated database with the reference data, emptied of customs data, then N generated
    records and the demo data imported through the import path; returns the import's seconds."""
    database_create(args.database_url)
    manage(env, "migrate", "-v0")
    manage(env, "load_reference")
    manage(env, "collectstatic", "--noinput", "-v0")  # production serves the manifest
    redis_flush(args.redis_url)
    django_ready(env)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE dashboards_monthlysummary, exports_exportrecord, "
            "exports_yeartodatefigure, exports_importbatch CASCADE"
        )
    csv = work / "records.csv"
    records_csv(csv, args.rows)
    started = time.perf_counter()
    manage(
        env, "import_exports", str(csv), *map(str, sorted((ROOT / "data/exports").glob("*.csv")))
    )
    return time.perf_counter() - started


def rebuild_timed() -> dict:
    from django.db import connection

    from dashboards.services import monthly_summaries_rebuild

    group_by = (
        "SELECT series_id, partner, period_start, period_end, sum(tonnes), count(*) "
        "FROM exports_exportrecord WHERE is_current GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM exports_exportrecord WHERE is_current")
        records = cursor.fetchone()[0]
        cursor.execute(group_by)  # warm the cache the same way for both
        cursor.fetchall()
        started = time.perf_counter()
        cursor.execute(group_by)
        groups = len(cursor.fetchall())
        group_by_s = time.perf_counter() - started
    started = time.perf_counter()
    summaries = monthly_summaries_rebuild()
    rebuild_s = time.perf_counter() - started
    return {
        "records": records,
        "groups": groups,
        "group_by_s": group_by_s,
        "summaries": summaries,
        "rebuild_s": rebuild_s,
    }


def manager_session() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-manager")
    user.groups.set([Group.objects.get(name="Manager")])
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def gunicorn_start(env: dict, port: int, workers: int = 2) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/baseline/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, *, cookie: str, clients: int, duration: int) -> dict:
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
            "-H",
            f"Cookie: sessionid={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def check(url: str, cookie: str) -> None:
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200 or response.url != url:
            raise SystemExit(f"{url} answered {response.status} at {response.url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    work = Path(tempfile.mkdtemp(prefix="raregate-bench-"))
    args.media_root = str(work / "media")
    env = environment(args)
    try:
        seconds = app_prepare(env, args, work)
        print(f"loaded {args.rows:,} generated records (+ demo data) in {seconds:.1f} s")
        from django.db import connection

        rebuild = rebuild_timed()
        cookie = manager_session()
        connection.close()

        server = gunicorn_start(env, args.port)
        base = f"http://127.0.0.1:{args.port}"
        targets = {
            "baseline (constant JSON)": f"{base}/bench/baseline/",
            "overview page": f"{base}/",
            "charts page": f"{base}/charts/?series=comtrade-850511&partner=DEU",
            "/api/v1/summaries/": f"{base}/api/v1/summaries/?series=gacc-rare-earths",
        }
        results = {}
        try:
            for name, url in targets.items():
                check(url, cookie)  # also fills the figure cache
                results[name] = wrk(
                    url, cookie=cookie, clients=args.clients, duration=args.duration
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report(args, rebuild, results)
    return 0


def report(args, rebuild: dict, results: dict) -> None:
    from bench.targets import target_line  # the project root is on the path by now

    ratio = rebuild["rebuild_s"] / rebuild["group_by_s"]
    print()
    print(
        f"Summary rebuild over {rebuild['records']:,} current records "
        f"({rebuild['summaries']:,} summaries written)"
    )
    print(f"  bare GROUP BY ({rebuild['groups']:,} groups fetched): {rebuild['group_by_s']:.2f} s")
    print(f"  rebuild:                                   {rebuild['rebuild_s']:.2f} s")
    print(f"  ratio rebuild / GROUP BY: {ratio:.1f}x")
    print()
    print(
        f"Load: gunicorn 2 workers, wrk {args.clients} clients x {args.duration} s each, "
        "logged in as a Manager"
    )
    baseline = results["baseline (constant JSON)"]["rps"]
    print(
        f"  {'endpoint':<26} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
        f" {'x baseline':>11}"
    )
    for name, result in results.items():
        share = result["rps"] / baseline
        print(
            f"  {name:<26} {result['rps']:>8.0f} {result['p50_ms']:>8.2f} "
            f"{result['p99_ms']:>8.2f} {result['errors']:>7} {share:>10.2f}x"
        )
    print()
    print(
        target_line(
            f"rebuild / GROUP BY <= {TARGETS['rebuild_ratio']:g}x",
            f"{ratio:.1f}x",
            ratio <= TARGETS["rebuild_ratio"],
        )
    )
    for name, result in list(results.items())[1:]:
        share = result["rps"] / baseline
        ok = share >= TARGETS["throughput_ratio"] and result["p99_ms"] < TARGETS["p99_ms"]
        print(
            target_line(
                f"{name} >= {TARGETS['throughput_ratio']:g}x baseline and p99 < "
                f"{TARGETS['p99_ms']:g} ms",
                f"{share:.2f}x, p99 {result['p99_ms']:.1f} ms",
                ok,
            )
        )


if __name__ == "__main__":
    sys.exit(main())
