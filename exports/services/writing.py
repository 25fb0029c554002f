"""Writing a batch's validated rows: all of them in the caller's transaction, or none.

A row equal to the current figure for its key is left alone; a row that differs supersedes
the current figure (kept, marked superseded by this batch); a new key is inserted. On PostgreSQL
rows go through COPY (row-by-row ORM writes are far too slow for a million rows); elsewhere
through the ORM.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import connection

from exports.models import ExportRecord, ImportBatch, Series
from exports.units import FACTORS

# Imports write one at a time, so two batches never race for the same figure.
WRITE_LOCK = 7_310_001
COPY_CHUNK_ROWS = 100_000

COLUMNS = [
    "series_id",
    "period_start",
    "period_end",
    "partner",
    "tonnes",
    "value",
    "value_unit",
    "source_url",
    "batch_id",
    "source_line",
    "is_current",
]
KEY = ["series_id", "period_start", "period_end", "partner"]

# A figure is revised when its tonnes change, or its value changes by more than the rounding of
# the coarser unit (3.497 CNY 100M and 34,971.6 CNY 10K are the same value). A row without a
# value, or with one in another currency, does not revise the value already stored.
UNIT_FACTORS = FACTORS
_FACTOR = "CASE {0} " + " ".join(f"WHEN '{u}' THEN {f}" for u, f in UNIT_FACTORS.items()) + " END"
SAME_VALUE_SQL = (
    "(s.value IS NULL OR (r.value IS NOT NULL AND left(r.value_unit, 3) <> left(s.value_unit, 3)) "
    f"OR abs(r.value * {_FACTOR.format('r.value_unit')} - s.value * "
    f"{_FACTOR.format('s.value_unit')}) <= 0.0005 * greatest("
    f"{_FACTOR.format('r.value_unit')}, {_FACTOR.format('s.value_unit')}))"
)


def same_value(old_value, old_unit: str, new_value, new_unit: str) -> bool:
    """The Python twin of SAME_VALUE_SQL."""
    if new_value is None:
        return True
    if old_value is None:
        return False
    if old_unit[:3] != new_unit[:3]:
        return True
    old_factor, new_factor = UNIT_FACTORS[old_unit], UNIT_FACTORS[new_unit]
    difference = abs(float(old_value) * old_factor - float(new_value) * new_factor)
    return difference <= 0.0005 * max(old_factor, new_factor)


def same_figure(*, old_tonnes, old_value, old_unit: str, tonnes, value, value_unit: str) -> bool:
    """Whether a row (tonnes and value as parsed) leaves the stored figure as it is: its tonnes
    to the stored three decimals, and the same value (same_value). The import's rule in Python
    (the portable writer, the preview); the PostgreSQL writer's twin is in SQL."""
    return float(old_tonnes) == round(float(tonnes), 3) and same_value(
        old_value, old_unit, value, value_unit
    )


@dataclass
class WriteCounts:
    stored: int = 0
    superseding: int = 0
    unchanged: int = 0
    # What the batch changed (see exports.signals.import_committed): a superseded figure has the
    # key of the row that replaced it, so the stored rows alone say which figures changed.
    changed: list[dict] = field(default_factory=list)


def changed_of(frame: pd.DataFrame) -> list[dict]:
    """Per (series, partner) of stored rows, the first period start and the last period end."""
    grouped = frame.groupby(["series_id", "partner"], sort=True).agg(
        first=("period_start", "min"), last=("period_end", "max")
    )
    return [
        {"series_id": int(series_id), "partner": partner, "first": first, "last": last}
        for (series_id, partner), first, last in zip(
            grouped.index, grouped["first"], grouped["last"], strict=True
        )
    ]


def table_frame(rows: pd.DataFrame, *, batch: ImportBatch) -> pd.DataFrame:
    """The parser's normalised rows as ExportRecord columns."""
    series_ids = dict(Series.objects.values_list("code", "id"))
    return pd.DataFrame(
        {
            "series_id": rows["series"].map(series_ids).astype("int64"),
            "period_start": rows["period_start"].astype(str) + "-01",
            "period_end": rows["period_end"].astype(str) + "-01",
            "partner": rows["partner"].fillna("").astype(str),
            "tonnes": pd.to_numeric(rows["tonnes"]).round(3),
            "value": pd.to_numeric(rows["value"]).round(3),
            "value_unit": rows["value_unit"].fillna("").astype(str),
            "source_url": rows["source_url"].fillna("").astype(str),
            "batch_id": batch.pk,
            "source_line": rows["line"].astype("int64"),
            "is_current": True,
        }
    )


def records_write(*, batch: ImportBatch, rows: pd.DataFrame) -> WriteCounts:
    """Store the rows of a batch; the caller holds the transaction."""
    frame = table_frame(rows, batch=batch)
    if frame.empty:
        return WriteCounts()
    if connection.vendor == "postgresql":
        return _write_postgresql(frame, batch=batch)
    return _write_portable(frame, batch=batch)


# PostgreSQL ----------------------------------------------------------------------------------


def _copy(cursor, table: str, frame: pd.DataFrame) -> None:
    columns = ", ".join(COLUMNS)
    # Unquoted empty fields are NULL in CSV; the text columns are never NULL.
    sql = (
        f"COPY {table} ({columns}) FROM STDIN "
        "(FORMAT csv, FORCE_NOT_NULL (partner, value_unit, source_url))"
    )
    with cursor.copy(sql) as copy:
        for start in range(0, len(frame), COPY_CHUNK_ROWS):
            buffer = io.StringIO()
            frame.iloc[start : start + COPY_CHUNK_ROWS][COLUMNS].to_csv(
                buffer, header=False, index=False, float_format="%.3f"
            )
            copy.write(buffer.getvalue())


def _has_current_overlap(cursor, frame: pd.DataFrame) -> bool:
    """Whether any current figure could share a key with the batch (a cheap, coarse test)."""
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM exports_exportrecord WHERE is_current "
        "AND series_id = ANY(%s) AND period_start BETWEEN %s AND %s)",
        [
            [int(s) for s in frame["series_id"].unique()],
            frame["period_start"].min(),
            frame["period_start"].max(),
        ],
    )
    return cursor.fetchone()[0]


def _write_postgresql(frame: pd.DataFrame, *, batch: ImportBatch) -> WriteCounts:
    table = ExportRecord._meta.db_table
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
        if not _has_current_overlap(cursor, frame):
            _copy(cursor, table, frame)
            return WriteCounts(stored=len(frame), changed=changed_of(frame))

        columns = ", ".join(COLUMNS)
        # Inside an outer transaction an earlier import's staging table may still be there.
        cursor.execute("DROP TABLE IF EXISTS import_staging")
        cursor.execute(
            f"CREATE TEMP TABLE import_staging ON COMMIT DROP AS "
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        _copy(cursor, "import_staging", frame)
        cursor.execute("ANALYZE import_staging")
        key_match = " AND ".join(f"r.{column} = s.{column}" for column in KEY)
        same_figure = f"r.tonnes = s.tonnes AND {SAME_VALUE_SQL}"
        cursor.execute(
            f"DELETE FROM import_staging s USING {table} r "
            f"WHERE r.is_current AND {key_match} AND {same_figure}"
        )
        unchanged = cursor.rowcount
        cursor.execute(
            f"UPDATE {table} r SET is_current = false, superseded_by_batch_id = %s "
            f"FROM import_staging s WHERE r.is_current AND {key_match}",
            [batch.pk],
        )
        superseding = cursor.rowcount
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM import_staging")
        stored = cursor.rowcount
        cursor.execute(
            "SELECT series_id, partner, min(period_start), max(period_end) FROM import_staging "
            "GROUP BY series_id, partner ORDER BY series_id, partner"
        )
        changed = [
            {
                "series_id": series_id,
                "partner": partner,
                "first": first.isoformat(),
                "last": last.isoformat(),
            }
            for series_id, partner, first, last in cursor.fetchall()
        ]
    return WriteCounts(stored=stored, superseding=superseding, unchanged=unchanged, changed=changed)


# Other databases (the embedded SQLite default) --------------------------------------------


def _write_portable(frame: pd.DataFrame, *, batch: ImportBatch) -> WriteCounts:
    current = {
        (r.series_id, r.period_start.isoformat(), r.period_end.isoformat(), r.partner): r
        for r in ExportRecord.objects.filter(
            is_current=True,
            series_id__in=[int(s) for s in frame["series_id"].unique()],
            period_start__gte=frame["period_start"].min(),
            period_start__lte=frame["period_start"].max(),
        )
    }
    counts = WriteCounts()
    superseded: list[ExportRecord] = []
    new: list[ExportRecord] = []
    positions: list[int] = []  # of the stored rows in the frame
    for position, row in enumerate(frame.itertuples(index=False)):
        old = current.get((row.series_id, row.period_start, row.period_end, row.partner))
        value = None if np.isnan(row.value) else round(float(row.value), 3)
        if old is not None:
            if same_figure(
                old_tonnes=old.tonnes,
                old_value=old.value,
                old_unit=old.value_unit,
                tonnes=row.tonnes,
                value=value,
                value_unit=row.value_unit,
            ):
                counts.unchanged += 1
                continue
            old.is_current = False
            old.superseded_by_batch = batch
            superseded.append(old)
        positions.append(position)
        new.append(
            ExportRecord(
                series_id=row.series_id,
                period_start=row.period_start,
                period_end=row.period_end,
                partner=row.partner,
                tonnes=f"{row.tonnes:.3f}",
                value=None if value is None else f"{value:.3f}",
                value_unit=row.value_unit,
                source_url=row.source_url,
                batch=batch,
                source_line=row.source_line,
            )
        )
    ExportRecord.objects.bulk_update(superseded, ["is_current", "superseded_by_batch"], 1000)
    ExportRecord.objects.bulk_create(new, batch_size=1000)
    counts.superseding = len(superseded)
    counts.stored = len(new)
    counts.changed = changed_of(frame.iloc[positions])
    return counts
