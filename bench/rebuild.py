"""Summary rebuilds: a full one against the incremental one after a one-month, one-series import.

    .venv/bin/python bench/rebuild.py                     # 1,000,000 export records
    .venv/bin/python bench/rebuild.py --records 50000     # a quick trial

Needs PostgreSQL (DATABASE_URL; Redis is not used). In one run, in this process:

1. loads N export records through the import path (a generated RareGate CSV: 4 Comtrade series
   × 200 partners × as many months back from December 2024 as N needs), with the dashboards'
   reaction to imports switched off, then builds every summary once;
2. times full rebuilds (`monthly_summaries_rebuild()`: every summary deleted and made again);
3. imports one series' figures for one month (June 2023, every partner: 200 revised rows)
   through the import path, takes what the import announced it changed, and times the rebuild
   the dashboards run for it (`monthly_summaries_update(batch_id=…, changed=…)`);
4. checks that the incremental rebuild wrote exactly what a full rebuild writes (every column
   of every summary) and left every summary outside its scope untouched (same id).

It ends with one line per target, `target <what>: <figure> (met)` or `(MISSED)`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/raregate_bench_rebuild"
SERIES = ["comtrade-280530", "comtrade-284610", "comtrade-284690", "comtrade-850511"]
PARTNERS_COUNT = 200
LAST_MONTH = (2024, 12)
REVISED_SERIES = SERIES[0]
REVISED_MONTH = "2023-06"
TARGET_SHARE = 0.05
HEADER = "series,period,partner,tonnes,value,value_unit,source_url\n"
COMPARED = (
    "series_id, partner, period_start, period_end, tonnes, value, value_unit, mom_pct, yoy_pct, "
    "ytd_tonnes, ytd_complete, ytd_yoy_pct, record_id, batch_id, source_url"
)


class BenchError(Exception):
    """The benchmark cannot go on; its message says why."""


def partners() -> list[str]:
    import pycountry

    return sorted(country.alpha_3 for country in pycountry.countries)[:PARTNERS_COUNT]


def months_back(count: int) -> list[str]:
    year, month = LAST_MONTH
    last = year * 12 + month - 1
    return [f"{index // 12}-{index % 12 + 1:02d}" for index in range(last - count + 1, last + 1)]


def records_csv(path: Path, records: int) -> None:
    """Distinct figures: series × partners × months, the newest month last."""
    codes = partners()
    per_month = len(SERIES) * len(codes)
    with open(path, "w") as out:
        out.write(HEADER)
        written = 0
        for month in months_back(-(-records // per_month)):
            lines = []
            for series in SERIES:
                for index, partner in enumerate(codes):
                    if written == records:
                        break
                    tonnes = (written * 7 + index) % 900 + 0.125
                    lines.append(f"{series},{month},{partner},{tonnes},{tonnes * 5000:.0f},USD,\n")
                    written += 1
            out.write("".join(lines))


def revision_csv() -> bytes:
    """One series, one month, every partner: each figure revised."""
    lines = [
        f"{REVISED_SERIES},{REVISED_MONTH},{partner},{1000 + index}.5,,,\n"
        for index, partner in enumerate(partners())
    ]
    return (HEADER + "".join(lines)).encode()


def django_setup(database_url: str, media_root: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url,
        REDIS_URL="",  # tasks eager, cache in memory: nothing here needs Redis
        DJANGO_DEBUG="false",  # as a worker runs: no SQL log kept in memory
        DJANGO_MEDIA_ROOT=media_root,
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def database_prepare(database_url: str, *, allow_truncate: bool) -> None:
    """Create the database if missing, migrate it, and empty the customs and summary tables."""
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not found.fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise BenchError(f"PostgreSQL is unreachable at {server}: {error}") from error
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--noinput", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM exports_exportrecord")
        if cursor.fetchone()[0] and "bench" not in name and not allow_truncate:
            raise BenchError(
                f"Database {name} holds export records and its name does not say it is a bench "
                "database; the benchmark empties it. Pass --allow-truncate, or use another URL."
            )
        cursor.execute(
            "TRUNCATE dashboards_monthlysummary, dashboards_summaryrebuild, "
            "exports_exportrecord, exports_yeartodatefigure, exports_importbatch CASCADE"
        )


def import_file(path: Path) -> tuple:
    """Import one file through the services; the batch and what the import announced."""
    from django.core.files import File

    from exports.services import import_batch_process, import_batch_register
    from exports.signals import import_committed

    heard: list[dict] = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    import_committed.connect(listen, dispatch_uid="bench-rebuild")
    try:
        with open(path, "rb") as handle:
            batch, _ = import_batch_register(
                file=File(handle, name=path.name), original_name=path.name, enqueue=False
            )
        batch = import_batch_process(batch_id=batch.pk)
    finally:
        import_committed.disconnect(dispatch_uid="bench-rebuild")
    if batch.status != "succeeded":
        raise BenchError(f"Importing {path.name} failed: {batch.message} {batch.errors[:3]}")
    return batch, heard[0]["changed"]


def sql(statement: str, params: list | None = None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def timed(function, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(**kwargs)
    return time.perf_counter() - started, result


def run(args) -> int:
    with tempfile.TemporaryDirectory(prefix="raregate-bench-rebuild-") as work:
        django_setup(args.database_url, str(Path(work) / "media"))
        database_prepare(args.database_url, allow_truncate=args.allow_truncate)
        from dashboards.services import monthly_summaries_rebuild, monthly_summaries_update
        from exports.signals import import_committed

        # The load is not what is measured: the dashboards do not react to it.
        import_committed.disconnect(dispatch_uid="dashboards-summaries-on-import")

        csv = Path(work) / "records.csv"
        records_csv(csv, args.records)
        print(f"loading {args.records:,} export records through the import path …", flush=True)
        loaded, (batch, _) = timed(import_file, path=csv)
        print(f"    {loaded:.1f} s (batch {batch.pk}, {batch.rows_stored:,} rows)", flush=True)
        sql("ANALYZE exports_exportrecord")
        monthly_summaries_rebuild()  # the summaries a full rebuild then replaces
        sql("ANALYZE dashboards_monthlysummary")

        full_runs = []
        for run_number in range(args.repeat):
            # Production's autovacuum would have cleared the last rebuild's dead rows.
            sql("VACUUM ANALYZE dashboards_monthlysummary")
            seconds, count = timed(monthly_summaries_rebuild)
            full_runs.append(seconds)
            print(f"full rebuild {run_number + 1}: {seconds:.2f} s, {count:,} summaries")
        full = statistics.median(full_runs)

        sql("DROP TABLE IF EXISTS bench_before")
        sql(
            "CREATE TABLE bench_before AS SELECT id, series_id, partner, period_start "
            "FROM dashboards_monthlysummary"
        )
        revision = Path(work) / "revision.csv"
        revision.write_bytes(revision_csv())
        revised, changed = import_file(revision)
        sql("VACUUM ANALYZE dashboards_monthlysummary")
        print(
            f"imported {revised.rows_stored} revised figures of {REVISED_SERIES} "
            f"{REVISED_MONTH} ({revised.rows_superseding} superseding); the import announced "
            f"{len(changed)} (series, partner) pairs"
        )
        incremental_runs = []
        for run_number in range(args.repeat):
            seconds, written = timed(monthly_summaries_update, batch_id=revised.pk, changed=changed)
            incremental_runs.append(seconds)
            print(f"incremental rebuild {run_number + 1}: {seconds:.3f} s, {written:,} summaries")
        incremental = statistics.median(incremental_runs)

        total = sql("SELECT count(*) FROM dashboards_monthlysummary")[0][0]
        rewritten = sql(
            "SELECT count(*) FROM dashboards_monthlysummary m WHERE NOT EXISTS "
            "(SELECT 1 FROM bench_before b WHERE b.id = m.id)"
        )[0][0]
        kept = sql(
            "SELECT count(*) FROM dashboards_monthlysummary m JOIN bench_before b ON b.id = m.id"
        )[0][0]
        sql("DROP TABLE IF EXISTS bench_incremental")
        sql(f"CREATE TABLE bench_incremental AS SELECT {COMPARED} FROM dashboards_monthlysummary")
        monthly_summaries_rebuild()
        differing = sql(
            f"SELECT count(*) FROM ((SELECT {COMPARED} FROM bench_incremental EXCEPT ALL "
            f"SELECT {COMPARED} FROM dashboards_monthlysummary) UNION ALL "
            f"(SELECT {COMPARED} FROM dashboards_monthlysummary EXCEPT ALL "
            f"SELECT {COMPARED} FROM bench_incremental)) AS difference"
        )[0][0]
        sql("DROP TABLE bench_before, bench_incremental")

    share = incremental / full
    same = differing == 0 and rewritten == written and kept == total - written
    print()
    print("RareGate summary rebuilds")
    print(f"  {args.records:,} export records; {total:,} summaries")
    runs = ", ".join(f"{seconds:.2f}" for seconds in full_runs)
    print(f"  full rebuild: median {full:.2f} s of {args.repeat} ({runs})")
    print(
        f"  incremental rebuild after {REVISED_SERIES} {REVISED_MONTH} ({len(changed)} pairs): "
        f"median {incremental * 1000:.0f} ms of {args.repeat} "
        f"({', '.join(f'{s * 1000:.0f}' for s in incremental_runs)} ms), {written:,} summaries"
    )
    print(
        f"  summaries rewritten {rewritten:,}, kept with their id {kept:,}; "
        f"differing from a full rebuild: {differing:,}"
    )
    print()
    from bench.targets import target_line  # the project root is on the path by now

    print(
        target_line(
            "incremental rebuild equals a full rebuild, outside its scope untouched",
            f"{differing:,} differing, {rewritten:,} rewritten of {written:,} in scope",
            same,
        )
    )
    print(
        target_line(
            f"incremental rebuild / full rebuild <= {TARGET_SHARE:.0%}",
            f"{share:.2%}",
            share <= TARGET_SHARE,
        )
    )
    return 0 if (same and share <= TARGET_SHARE) or not args.strict else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/rebuild.py",
        description="Time a full summary rebuild against the incremental one after a "
        "one-month, one-series import.",
        epilog="Target: incremental rebuild ≤ 5% of a full rebuild, with the same result.",
    )
    parser.add_argument(
        "--records", type=int, default=1_000_000, help="export records (default 1,000,000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each rebuild (median; default 3)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="PostgreSQL URL (default: $DATABASE_URL, else %(default)s)",
    )
    parser.add_argument(
        "--allow-truncate",
        action="store_true",
        help="empty the tables even of a database not named *bench* that holds records",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    if args.records < len(SERIES) * PARTNERS_COUNT * 24:
        parser.error(f"--records must be at least {len(SERIES) * PARTNERS_COUNT * 24:,}")
    try:
        return run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
