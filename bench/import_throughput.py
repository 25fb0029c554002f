"""Import throughput: a million-row UN Comtrade API CSV through RareGate's import, against COPY.

Run from the project root, with PostgreSQL up (see bench/README.md):

    .venv/bin/python bench/import_throughput.py              # 1,000,000 rows
    .venv/bin/python bench/import_throughput.py --rows 50000 # a quick trial

In one run it generates the file (China's monthly exports of the four tracked HS codes to about
200 partners over enough months), then times against PostgreSQL:

  (a) the whole import through RareGate's services (import_batch_register + import_batch_process:
      storing, reading, parsing, validating and writing the file),
  (b) PostgreSQL's own COPY of the same normalised rows into a table with the same columns,
      indexes and constraints as exports_exportrecord, its foreign keys included (checked at
      commit, as Django declares them),
  (c) the import of a second file with the same keys and every value revised.

It ends with one line per target, `target <what>: <figure> (met)` or `(MISSED)`.

Each import runs in a fresh process (this script with --phase import), which reports its own
time, peak RSS and where the time went, so the memory figure is the import's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/raregate_bench"
RESULT_MARK = "BENCH-RESULT "
MiB = 1024 * 1024
DEFAULT_UPLOAD_LIMIT = 100 * MiB  # settings.IMPORT_MAX_BYTES unless RAREGATE_IMPORT_MAX_BYTES
TARGET_IMPORT_RATIO = 2.0
TARGET_REVISION_RATIO = 3.0
TARGET_PEAK_RSS = 1024 * MiB

TRACKED_COMMODITIES = ("280530", "284610", "284690", "850511")
TABLE = "exports_exportrecord"
COLUMNS = (
    "series_id, period_start, period_end, partner, tonnes, value, value_unit, source_url, "
    "batch_id, source_line, is_current"
)
# The 47 columns of the Comtrade API CSV (as in tests/exports/samples/), in order.
API_HEADER = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
    "reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,"
    "partner2Desc,classificationCode,classificationSearchCode,isOriginalClassification,cmdCode,"
    "cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,mosCode,motCode,motDesc,qtyUnitCode,"
    "qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,isAltQtyEstimated,"
    "netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,"
    "legacyEstimationFlag,isReported,isAggregate"
)
API_COLUMNS = API_HEADER.split(",")
# One row as the API writes it (descriptions empty, as in the sample); {placeholders} vary.
ROW_FIELDS = {
    "typeCode": "C",
    "freqCode": "M",
    "refPeriodId": "{year}{month:02d}01",
    "refYear": "{year}",
    "refMonth": "{month}",
    "period": "{year}{month:02d}",
    "reporterCode": "156",
    "flowCode": "X",
    "partnerCode": "{partner}",
    "partner2Code": "0",
    "classificationCode": "H6",
    "classificationSearchCode": "HS",
    "isOriginalClassification": "True",
    "cmdCode": "{commodity}",
    "aggrLevel": "6",
    "isLeaf": "True",
    "customsCode": "C00",
    "mosCode": "0",
    "motCode": "0",
    "qtyUnitCode": "8",
    "qty": "{kg}.0",
    "isQtyEstimated": "False",
    "altQtyUnitCode": "-1",
    "isAltQtyEstimated": "False",
    "netWgt": "{kg}.0",
    "isNetWgtEstimated": "False",
    "isGrossWgtEstimated": "False",
    "fobvalue": "{usd}.0",
    "primaryValue": "{usd}.0",
    "legacyEstimationFlag": "0",
    "isReported": "True",
    "isAggregate": "False",
}
ROW_TEMPLATE = ",".join(ROW_FIELDS.get(column, "") for column in API_COLUMNS) + "\n"


class BenchError(Exception):
    """The benchmark cannot go on; its message says why."""


# --- The Comtrade files ----------------------------------------------------------------------


def comtrade_partners(count: int) -> list[str]:
    """`count` Comtrade partner codes, World (0) first, each mapping to a different ISO code."""
    sys.path.insert(0, str(ROOT))
    import pycountry

    from exports.parsers.countries import COMTRADE_SPECIAL_CODES, comtrade_partner_iso

    candidates = list(COMTRADE_SPECIAL_CODES) + sorted(
        (str(int(country.numeric)) for country in pycountry.countries), key=int
    )
    codes, seen = [], set()
    for code in candidates:
        iso = comtrade_partner_iso(code)
        if iso is not None and iso not in seen:
            seen.add(iso)
            codes.append(code)
    if len(codes) < count:
        raise BenchError(f"Only {len(codes)} distinct Comtrade partner codes map to ISO codes.")
    return codes[:count]


def months_back(count: int, last: tuple[int, int] = (2025, 12)) -> list[tuple[int, int]]:
    """`count` consecutive months ending with `last`, oldest first."""
    year, month = last
    first = year * 12 + month - 1 - (count - 1)
    return [divmod(index, 12) for index in range(first, first + count)]


def write_comtrade_files(
    directory: Path, *, rows: int, partners: int, seed: int = 2025
) -> tuple[Path, Path, dict]:
    """The original file and its revision (same keys, every netWgt and primaryValue changed)."""
    codes = comtrade_partners(partners)
    per_month = len(codes) * len(TRACKED_COMMODITIES)
    months = [(y, m + 1) for y, m in months_back(-(-rows // per_month))]
    random = np.random.default_rng(seed)
    kg = random.integers(1, 2_000_000, size=rows)
    usd = kg * random.integers(2, 90, size=rows)
    revised_kg = kg + random.integers(1, 5_000, size=rows)
    revised_usd = usd + random.integers(1, 500_000, size=rows)
    header = API_HEADER + "\n"
    original, revised = directory / "comtrade_original.csv", directory / "comtrade_revised.csv"
    with open(original, "w", encoding="utf-8") as out, open(revised, "w", encoding="utf-8") as rev:
        out.write(header)
        rev.write(header)
        kg, usd = kg.tolist(), usd.tolist()
        revised_kg, revised_usd = revised_kg.tolist(), revised_usd.tolist()
        row = 0
        template = ROW_TEMPLATE.format
        for year, month in months:
            lines, revised_lines = [], []
            for commodity in TRACKED_COMMODITIES:
                for partner in codes:
                    if row == rows:
                        break
                    key = {"year": year, "month": month, "partner": partner, "commodity": commodity}
                    lines.append(template(**key, kg=kg[row], usd=usd[row]))
                    revised_lines.append(template(**key, kg=revised_kg[row], usd=revised_usd[row]))
                    row += 1
            out.write("".join(lines))
            rev.write("".join(revised_lines))
    shape = {
        "partners": len(codes),
        "commodities": len(TRACKED_COMMODITIES),
        "months": len(months),
        "first_month": f"{months[0][0]}-{months[0][1]:02d}",
        "last_month": f"{months[-1][0]}-{months[-1][1]:02d}",
    }
    return original, revised, shape


# --- PostgreSQL ------------------------------------------------------------------------------


def connection_params(url: str, *, dbname: str | None = None) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "psql"):
        raise BenchError(f"DATABASE_URL must be a PostgreSQL URL, not {parts.scheme}://…")
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "dbname": dbname or unquote(parts.path.lstrip("/")) or "raregate_bench",
        "connect_timeout": 5,
    }
    if parts.password:
        params["password"] = unquote(parts.password)
    return params


def connect(url: str, *, dbname: str | None = None, autocommit: bool = False):
    params = connection_params(url, dbname=dbname)
    try:
        return psycopg.connect(**params, autocommit=autocommit)
    except psycopg.OperationalError as error:
        where = f"{params['host']}:{params['port']} (database {params['dbname']})"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise BenchError(
            f"PostgreSQL is unreachable at {where}: {reason}\n"
            "Start PostgreSQL, or point DATABASE_URL at one, e.g. "
            f"DATABASE_URL={DEFAULT_DATABASE_URL}"
        ) from error


def database_prepare(url: str, env: dict, *, allow_truncate: bool) -> str:
    """Create the database if missing, migrate it, empty the import tables; its version."""
    dbname = connection_params(url)["dbname"]
    with connect(url, dbname="postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{dbname}"')
            print(f"created database {dbname}")
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if migrate.returncode:
        raise BenchError(f"manage.py migrate failed:\n{migrate.stdout}{migrate.stderr}")
    with connect(url) as conn:
        stored = conn.execute(
            f"SELECT (SELECT count(*) FROM {TABLE}) + (SELECT count(*) FROM exports_importbatch)"
        ).fetchone()[0]
        if stored and "bench" not in dbname and not allow_truncate:
            raise BenchError(
                f"Database {dbname} holds {stored:,} export records and import batches, and its "
                "name does not say it is a bench database. The benchmark empties the import "
                "tables (and what refers to them): pass "
                "--allow-truncate if that is what you want, or use another DATABASE_URL."
            )
        tables_empty(conn)
        version = conn.execute("SHOW server_version").fetchone()[0]
    return f"{version}; {server_settings(url)}"


def tables_empty(conn) -> None:
    conn.execute("DROP TABLE IF EXISTS bench_copy")
    conn.execute(
        "TRUNCATE exports_exportrecord, exports_yeartodatefigure, exports_importbatch CASCADE"
    )
    conn.commit()


def rows_export(url: str, batch_id: int, path: Path) -> None:
    """The batch's rows, exactly as stored, as a CSV file for COPY FROM (not timed)."""
    with connect(url) as conn, conn.cursor() as cursor, open(path, "wb") as out:
        sql = (
            f"COPY (SELECT {COLUMNS} FROM {TABLE} WHERE batch_id = {int(batch_id)} ORDER BY id) "
            "TO STDOUT (FORMAT csv)"
        )
        with cursor.copy(sql) as copy:
            for data in copy:
                out.write(data)


def table_like_records(conn, table: str) -> list[str]:
    """Make `table` a twin of exports_exportrecord: columns, defaults, identity, check and unique
    constraints, indexes (LIKE … INCLUDING ALL), and the foreign keys, which LIKE leaves out,
    copied from the catalogue as they are declared there; their definitions."""
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(f"CREATE TABLE {table} (LIKE {TABLE} INCLUDING ALL)")
    foreign_keys = [
        definition
        for (definition,) in conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [TABLE],
        )
    ]
    if len(foreign_keys) != 3:
        raise BenchError(
            f"{TABLE} has {len(foreign_keys)} foreign keys, expected 3 (series, batch, "
            "superseding batch): is the database migrated?"
        )
    for definition in foreign_keys:
        conn.execute(f"ALTER TABLE {table} ADD {definition}")
    return foreign_keys


def constraints_of(conn, table: str) -> list[tuple[str, str]]:
    """(kind, definition) of every constraint and index of a table, names left out."""
    constraints = conn.execute(
        "SELECT contype::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass",
        [table],
    ).fetchall()
    indexes = conn.execute(
        "SELECT 'index', CASE WHEN indisunique THEN 'unique ' ELSE '' END || "
        "regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') "
        "FROM pg_index WHERE indrelid = %s::regclass",
        [table],
    ).fetchall()
    return sorted(constraints + indexes)


def copy_timed(url: str, path: Path, *, table: str) -> tuple[float, int, int]:
    """Seconds to COPY the CSV into a fresh twin of exports_exportrecord and commit (which checks
    the deferred foreign keys); rows copied; bytes of WAL the server wrote meanwhile."""
    with connect(url) as conn:
        table_like_records(conn, table)
        if constraints_of(conn, table) != constraints_of(conn, TABLE):
            raise BenchError(f"{table} does not have the constraints and indexes of {TABLE}.")
        conn.commit()
        conn.execute("CHECKPOINT")  # start from the same state as the imports do
        conn.commit()
        wal_start = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
        conn.commit()
        with open(path, "rb") as source, conn.cursor() as cursor:
            start = time.perf_counter()
            with cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN (FORMAT csv)") as copy:
                while data := source.read(1 << 20):
                    copy.write(data)
            conn.commit()
            seconds = time.perf_counter() - start
        wal_sql = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)"
        wal_bytes = int(conn.execute(wal_sql, [wal_start]).fetchone()[0])
        copied = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        conn.execute(f"DROP TABLE {table}")
        conn.commit()
    return seconds, copied, wal_bytes


def records_state(url: str) -> tuple[int, int]:
    with connect(url) as conn:
        return conn.execute(
            f"SELECT count(*), count(*) FILTER (WHERE is_current) FROM {TABLE}"
        ).fetchone()


def checkpoint(url: str) -> None:
    with connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")


def server_settings(url: str) -> str:
    with connect(url, autocommit=True) as conn:
        names = ("shared_buffers", "max_wal_size", "synchronous_commit", "full_page_writes")
        return ", ".join(f"{name} {conn.execute(f'SHOW {name}').fetchone()[0]}" for name in names)


# --- One import, in its own process ------------------------------------------------------------


class Timers:
    """Seconds spent in wrapped functions and SQL statements, by label."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.slow: list[tuple[str, float]] = []  # other SQL statements that took long

    def add(self, label: str, seconds: float) -> None:
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds

    def wrap(self, owner, name: str, label: str) -> None:
        function = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(label, time.perf_counter() - start)

        setattr(owner, name, timed)


SQL_LABELS = (
    (re.compile(r"\s*(DROP TABLE IF EXISTS import_staging|CREATE TEMP TABLE)"), "sql_staging"),
    (re.compile(r"\s*ANALYZE import_staging"), "sql_analyze"),
    (re.compile(r"\s*DELETE FROM import_staging"), "sql_delete_unchanged"),
    (re.compile(r"\s*UPDATE exports_exportrecord"), "sql_update_superseded"),
    (re.compile(r"\s*INSERT INTO exports_exportrecord"), "sql_insert_select"),
    (re.compile(r"\s*SELECT pg_advisory_xact_lock"), "sql_write_lock"),
)


def instrument(timers: Timers) -> None:
    """Time the stages of RareGate's import from the outside: nothing in exports/ is changed."""
    import pandas as pd
    from django.db import connections

    import exports.parsers
    import exports.parsers.comtrade
    import exports.services.batches
    import exports.services.checks
    import exports.services.writing

    for owner, name, label in (
        (exports.services.batches, "parse_file", "parse_file"),
        (exports.parsers, "detect", "detect"),
        (exports.parsers, "parse_comtrade_csv", "parse_comtrade_csv"),
        (exports.parsers.comtrade, "normalise", "normalise"),
        (exports.parsers.comtrade, "_candidates", "candidates"),
        (exports.parsers.comtrade, "validate_rows", "validate_rows"),
        (exports.services.checks, "span_conflicts", "span_conflicts"),
        (exports.services.checks, "cumulative_warnings", "cumulative_warnings"),
        (exports.services.checks, "year_to_date_store", "year_to_date_store"),
        (exports.services.batches, "records_write", "records_write"),
        (exports.services.batches, "_transition", "transition"),
        (exports.services.batches, "_report", "report"),
        (exports.services.writing, "table_frame", "table_frame"),
        (exports.services.writing, "_has_current_overlap", "overlap_test"),
        (exports.services.writing, "_copy", "copy"),
        (pd.DataFrame, "to_csv", "to_csv"),
    ):
        timers.wrap(owner, name, label)

    database = connections["default"]
    database.ensure_connection()
    timers.wrap(database, "_commit", "commit")
    base = database.connection.cursor_factory

    class TimedCursor(base):
        def execute(self, query, *args, **kwargs):
            start = time.perf_counter()
            try:
                return super().execute(query, *args, **kwargs)
            finally:
                text = query if isinstance(query, str) else str(query)
                label = next((lb for pattern, lb in SQL_LABELS if pattern.match(text)), None)
                seconds = time.perf_counter() - start
                timers.add(label or "sql_other", seconds)
                if not label and seconds > 0.5:
                    timers.slow.append((" ".join(text.split())[:100], seconds))

    database.connection.cursor_factory = TimedCursor


def tasks_hold() -> list:
    """Keep the Celery tasks the import sends (on commit) from running inside it.

    Without REDIS_URL Celery runs tasks eagerly, in the caller; in production a worker runs them
    after the import has finished. They are recorded here and run afterwards, timed on their own.
    """
    from celery.app.task import Task

    queued: list = []

    def apply_async(self, args=None, kwargs=None, **options):
        queued.append((self, args or (), kwargs or {}))

    Task.apply_async = apply_async
    return queued


def tasks_run(queued: list, *, run: bool) -> list[dict]:
    """Run the held tasks one by one (eagerly, as without Redis), each timed."""
    from celery.app.task import Task

    done = []
    for task, args, kwargs in queued:
        seconds = None
        if run:
            start = time.perf_counter()
            Task.apply(task, args, kwargs, throw=True)
            seconds = time.perf_counter() - start
        done.append({"name": task.name, "seconds": seconds})
    return done


def wal_lsn(since: str | None = None):
    """The server's WAL position now; or, given an earlier one, the bytes written since."""
    from django.db import connection

    with connection.cursor() as cursor:
        if since is None:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
        else:
            cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)", [since])
        return cursor.fetchone()[0] if since is None else int(cursor.fetchone()[0])


def memory_now() -> dict:
    status = Path("/proc/self/status").read_text()
    found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
    return {key: int(value) * 1024 for key, value in found.items()}


def phase_import(path: Path, *, run_queued: bool) -> dict:
    """Import one file through the services; what happened, how long it took, peak memory."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.files import File

    from exports.services.batches import import_batch_process, import_batch_register

    timers = Timers()
    instrument(timers)
    queued = tasks_hold()
    stages: dict[str, float] = {}
    memory: dict[str, dict] = {"start": memory_now()}

    def on_stage(stage: str) -> None:
        stages[stage] = time.perf_counter() - start
        memory[stage] = memory_now()

    wal_start = wal_lsn()
    start = time.perf_counter()
    with open(path, "rb") as handle:
        batch, created = import_batch_register(
            file=File(handle, name=path.name), original_name=path.name, enqueue=False
        )
    registered = time.perf_counter() - start
    timers.seconds.clear()  # the breakdown starts after registering
    batch = import_batch_process(batch_id=batch.pk, on_stage=on_stage)
    seconds = time.perf_counter() - start
    memory["end"] = memory_now()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    wal_bytes = wal_lsn(since=wal_start)
    spent, slow = dict(timers.seconds), list(timers.slow)  # not the queued tasks' SQL
    return {
        "seconds": seconds,
        "registered": registered,
        "stages": stages,
        "timers": spent,
        "slow_sql": slow,
        "wal_bytes": wal_bytes,
        "memory": memory,
        "peak_rss": peak_rss,
        "queued_tasks": tasks_run(queued, run=run_queued),
        "batch": {
            "id": batch.pk,
            "created": created,
            "status": batch.status,
            "message": batch.message,
            "format": batch.format,
            "rows_read": batch.rows_read,
            "rows_stored": batch.rows_stored,
            "rows_superseding": batch.rows_superseding,
            "rows_unchanged": batch.rows_unchanged,
            "rows_in_error": batch.rows_in_error,
            "first_errors": batch.errors[:5],
        },
    }


def import_run(path: Path, env: dict, label: str, *, run_queued: bool) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", "import", str(path)]
    if not run_queued:
        command.append("--skip-queued-tasks")
    child = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    results = [line for line in child.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if child.returncode or not results:
        raise BenchError(
            f"The import process for {label} failed (exit {child.returncode}):\n"
            f"{child.stdout[-3000:]}{child.stderr[-3000:]}"
        )
    return json.loads(results[-1][len(RESULT_MARK) :])


def batch_check(result: dict, label: str, *, rows: int, superseding: int) -> None:
    batch = result["batch"]
    problems = []
    if batch["status"] != "succeeded":
        problems.append(f"status {batch['status']}: {batch['message']} {batch['first_errors']}")
    if not batch["created"]:
        problems.append("the file was already imported (same SHA-256)")
    if batch["rows_stored"] != rows:
        problems.append(f"rows_stored {batch['rows_stored']:,}, expected {rows:,}")
    if batch["rows_superseding"] != superseding:
        problems.append(f"rows_superseding {batch['rows_superseding']:,}, expected {superseding:,}")
    if problems:
        raise BenchError(f"Import {label} did not do what was expected: " + "; ".join(problems))


# --- The report ----------------------------------------------------------------------------------


def mib(size: float) -> str:
    return f"{size / MiB:,.0f} MiB"


def breakdown(result: dict) -> list[tuple[str, float]]:
    """(label, seconds) rows of where one import's time went; indented rows are parts."""
    t = result["timers"].get
    stages = result["stages"]
    reading = stages.get("reading", result["registered"])
    parsing = stages.get("parsing", reading)
    normalise = t("normalise", 0.0)
    copy = t("copy", 0.0)
    to_csv = t("to_csv", 0.0)
    sql = {
        "sql_write_lock": "  advisory write lock",
        "sql_staging": "  staging table: drop, create",
        "sql_analyze": "  ANALYZE staging",
        "sql_delete_unchanged": "  DELETE unchanged rows from staging",
        "sql_update_superseded": "  UPDATE superseded records",
        "sql_insert_select": "  INSERT … SELECT from staging",
    }
    records_write = t("records_write", 0.0)
    top = [
        ("register: SHA-256, store the upload in MEDIA_ROOT", result["registered"]),
        ("claim the batch (lock, status running)", reading - result["registered"]),
        ("read the stored file into memory", parsing - reading),
        ("parse_file", t("parse_file", 0.0)),
        ("span_conflicts against stored Jan/Feb", t("span_conflicts", 0.0)),
        ("cumulative_warnings", t("cumulative_warnings", 0.0)),
        ("records_write", records_write),
        ("year_to_date_store", t("year_to_date_store", 0.0)),
        ("COMMIT (deferred foreign-key checks)", t("commit", 0.0)),
    ]
    parse_parts = [
        ("  detect layout and encoding (UTF-8 check)", t("detect", 0.0)),
        ("  pandas read_csv", t("parse_comtrade_csv", 0.0) - normalise),
        (
            "  scope checks, partner codes",
            normalise - t("candidates", 0.0) - t("validate_rows", 0.0),
        ),
        ("  candidate rows (series, period, tonnes)", t("candidates", 0.0)),
        ("  validate_rows", t("validate_rows", 0.0)),
    ]
    write_parts = [
        ("  table_frame (ExportRecord columns)", t("table_frame", 0.0)),
        ("  overlap test", t("overlap_test", 0.0)),
        ("  DataFrame.to_csv (COPY text)", to_csv),
        ("  COPY … FROM STDIN (server side)", copy - to_csv),
        *[(label, t(key, 0.0)) for key, label in sql.items()],
    ]
    write_parts.append(("  other", records_write - sum(seconds for _, seconds in write_parts)))
    rows = []
    for label, seconds in top:
        rows.append((label, seconds))
        if label == "parse_file":
            rows += parse_parts
        if label == "records_write":
            rows += write_parts
    rows.append(("other (status updates, …)", result["seconds"] - sum(s for _, s in top)))
    rows.append(("total", result["seconds"]))
    return rows


def memory_lines(result: dict) -> str:
    memory = result["memory"]
    parts = [
        f"{stage} {mib(memory[stage]['VmHWM'])}"
        for stage in ("start", "reading", "parsing", "writing", "done")
        if stage in memory
    ]
    return "peak RSS so far at start / stage: " + ", ".join(parts)


def report(args, version, shape, sizes, generated, a, b, c, state, limit_note, wal) -> bool:
    rows = args.rows
    ratio_a, ratio_c = a["seconds"] / b, c["seconds"] / b
    peak = max(a["peak_rss"], c["peak_rss"])
    ok_a = ratio_a <= TARGET_IMPORT_RATIO
    ok_c = ratio_c <= TARGET_REVISION_RATIO
    ok_mem = peak < TARGET_PEAK_RSS
    print()
    print("RareGate import throughput")
    print(f"  database {connection_params(args.database_url)['dbname']}: PostgreSQL {version}")
    print(
        f"  {rows:,} rows: {shape['partners']} partners (World and countries) × "
        f"{shape['commodities']} HS codes × {shape['months']:,} months "
        f"({shape['first_month']} … {shape['last_month']}); China (156), exports (X), monthly"
    )
    print(
        f"  Comtrade API CSV, 47 columns: {sizes[0] / MiB:,.1f} MiB, revised "
        f"{sizes[1] / MiB:,.1f} MiB{' (uploaded gzip-compressed)' if args.gzip else ''}; "
        f"generated in {generated:.1f} s"
    )
    if limit_note:
        print(f"  note: {limit_note}")
    print()
    print(f"  {'':40}{'seconds':>9}{'rows/s':>11}{'peak RSS':>11}{'WAL¹':>11}")
    lines = [
        ("(a) import through the services", a["seconds"], a["peak_rss"], wal.get("a")),
        ("(b) COPY into the constrained twin", b, None, wal.get("b")),
        ("(c) revising import", c["seconds"], c["peak_rss"], wal.get("c")),
    ]
    for label, seconds, rss, wal_bytes in lines:
        print(
            f"  {label:40}{seconds:9.2f}{rows / seconds:11,.0f}"
            f"{mib(rss) if rss else '':>11}{mib(wal_bytes) if wal_bytes else '':>11}"
        )
    print("  ¹ WAL the whole server wrote meanwhile (other sessions' included)")
    print(
        f"  batches: (a) stored {a['batch']['rows_stored']:,}; (c) stored "
        f"{c['batch']['rows_stored']:,}, superseding {c['batch']['rows_superseding']:,}; "
        f"records now {state[0]:,}, current {state[1]:,}"
    )
    tasks = [
        (name, task) for name, result in (("a", a), ("c", c)) for task in result["queued_tasks"]
    ]
    if tasks:
        print()
        print(
            "  background tasks the imports queued on commit (a worker runs them in production;"
            " not in the times above):"
        )
        for name, task in tasks:
            took = "not run" if task["seconds"] is None else f"{task['seconds']:.2f} s"
            print(f"    after ({name}): {task['name']}: {took}")
    print()
    print("  where the imports spent their time (seconds)")
    print(f"    {'':52}{'(a)':>8}{'(c)':>8}")
    for (label, seconds_a), (_, seconds_c) in zip(breakdown(a), breakdown(c), strict=True):
        print(f"    {label:52}{seconds_a:8.2f}{seconds_c:8.2f}")
    for name, result in (("a", a), ("c", c)):
        for statement, seconds in result.get("slow_sql", []):
            print(f"    ({name}) slow other SQL, {seconds:.2f} s: {statement}")
    print(f"    (a) {memory_lines(a)}")
    print(f"    (c) {memory_lines(c)}")
    # Last, one line per target, for a script to read.
    print()
    from bench.targets import target_line  # the project root is on the path by now

    what_a = f"import / constrained COPY (a/b) <= {TARGET_IMPORT_RATIO:g}"
    print(target_line(what_a, f"{ratio_a:.2f}", ok_a))
    what_c = f"revising import / constrained COPY (c/b) <= {TARGET_REVISION_RATIO:g}"
    print(target_line(what_c, f"{ratio_c:.2f}", ok_c))
    print(target_line("peak memory of an import < 1 GiB", mib(peak), ok_mem))
    return ok_a and ok_c and ok_mem


# --- Main ----------------------------------------------------------------------------------------


def gzip_file(path: Path) -> Path:
    import gzip

    target = path.with_suffix(".csv.gz")
    with open(path, "rb") as source, gzip.open(target, "wb", compresslevel=6) as out:
        shutil.copyfileobj(source, out, 1 << 20)
    return target


def child_env(database_url: str, media_root: Path, upload_limit: int | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_DEBUG="false",  # as a worker runs: no SQL log kept in memory
    )
    # The settings read .env too, but the environment wins: an empty REDIS_URL means eager tasks.
    env["REDIS_URL"] = ""
    if upload_limit is not None:
        env["RAREGATE_IMPORT_MAX_BYTES"] = str(upload_limit)
    return env


def run(args) -> int:
    if args.rows < 1:
        raise BenchError("--rows must be at least 1.")
    workdir = Path(tempfile.mkdtemp(prefix="raregate-bench-", dir=args.tmpdir))
    try:
        media = workdir / "media"
        media.mkdir()
        print(f"working in {workdir}")
        version = database_prepare(
            args.database_url,
            child_env(args.database_url, media, None),
            allow_truncate=args.allow_truncate,
        )
        print(f"generating {args.rows:,} rows …", flush=True)
        start = time.perf_counter()
        original, revised, shape = write_comtrade_files(
            workdir, rows=args.rows, partners=args.partners
        )
        if args.gzip:
            original, revised = gzip_file(original), gzip_file(revised)
        generated = time.perf_counter() - start
        sizes = (original.stat().st_size, revised.stat().st_size)

        limit = int(os.environ.get("RAREGATE_IMPORT_MAX_BYTES", DEFAULT_UPLOAD_LIMIT))
        upload_limit, limit_note = None, ""
        if max(sizes) > limit:
            upload_limit = max(sizes) + MiB
            limit_note = (
                f"the file is over the upload limit ({limit / MiB:,.0f} MiB, "
                f"RAREGATE_IMPORT_MAX_BYTES); the bench raises it to {upload_limit / MiB:,.0f} MiB "
                "for its imports (or run with --gzip)"
            )
            print(f"note: {limit_note}")
        env = child_env(args.database_url, media, upload_limit)

        run_queued = not args.skip_queued_tasks
        checkpoint(args.database_url)
        print("(a) importing through the services …", flush=True)
        a = import_run(original, env, "(a)", run_queued=run_queued)
        batch_check(a, "(a)", rows=args.rows, superseding=0)
        print(f"    {a['seconds']:.2f} s", flush=True)

        print("(b) COPY of the same rows into a constrained twin of the records …", flush=True)
        exported = workdir / "normalised_rows.csv"
        rows_export(args.database_url, a["batch"]["id"], exported)
        b, copied, b_wal = copy_timed(args.database_url, exported, table="bench_copy")
        if copied != args.rows:
            raise BenchError(f"COPY stored {copied:,} rows, expected {args.rows:,}.")
        print(f"    {b:.2f} s", flush=True)

        checkpoint(args.database_url)
        print("(c) importing the revised file …", flush=True)
        c = import_run(revised, env, "(c)", run_queued=run_queued)
        wal = {"a": a["wal_bytes"], "b": b_wal, "c": c["wal_bytes"]}
        batch_check(c, "(c)", rows=args.rows, superseding=args.rows)
        print(f"    {c['seconds']:.2f} s", flush=True)
        state = records_state(args.database_url)
        if state != (2 * args.rows, args.rows):
            raise BenchError(
                f"After (c) there are {state[0]:,} records, {state[1]:,} current; expected "
                f"{2 * args.rows:,} and {args.rows:,}."
            )
        met = report(args, version, shape, sizes, generated, a, b, c, state, limit_note, wal)
        if args.json:
            Path(args.json).write_text(
                json.dumps({"rows": args.rows, "a": a, "b": b, "c": c, "wal": wal}, indent=2)
            )
        if not args.keep_data:
            with connect(args.database_url) as conn:
                tables_empty(conn)
        return 0 if met or not args.strict else 1
    finally:
        if args.keep_files:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/import_throughput.py",
        description=(
            "Time a UN Comtrade API CSV import through RareGate's services against PostgreSQL's "
            "own COPY of the same rows, and a revising import of the same keys. Needs "
            f"PostgreSQL: DATABASE_URL (default {DEFAULT_DATABASE_URL}) is created if missing, "
            "migrated, and its import tables are emptied."
        ),
        epilog="Targets, (b) being COPY into a twin of the records table, foreign keys included: "
        "a/b ≤ 2, c/b ≤ 3, peak memory of each import process < 1 GiB.",
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="rows in the file (default 1,000,000)"
    )
    parser.add_argument(
        "--partners", type=int, default=200, help="partners, World included (default 200)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="PostgreSQL URL (default: $DATABASE_URL, else %(default)s)",
    )
    parser.add_argument(
        "--gzip", action="store_true", help="upload the files gzip-compressed (under 100 MB)"
    )
    parser.add_argument(
        "--skip-queued-tasks",
        action="store_true",
        help="do not run (and time) the background tasks an import queues, e.g. the dashboards' "
        "summary rebuild; they are never part of the import's time",
    )
    parser.add_argument("--tmpdir", help="where to make the temporary directory")
    parser.add_argument("--keep-files", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--keep-data", action="store_true", help="leave the imported records in the database"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    parser.add_argument(
        "--allow-truncate",
        action="store_true",
        help="empty the import tables even of a database not named *bench* that holds records",
    )
    parser.add_argument("--phase", choices=["import"], help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if (args.phase is None) != (args.file is None):
        parser.error("unexpected argument: see --help")

    if args.phase == "import":
        result = phase_import(Path(args.file), run_queued=not args.skip_queued_tasks)
        print(RESULT_MARK + json.dumps(result), flush=True)
        return 0
    try:
        return run(args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
