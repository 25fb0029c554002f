"""Rebuilding the monthly summaries from the current export records: all of them, or only
those that what an import changed reaches."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from core.periods import month_index
from dashboards.models import MonthlySummary, SummaryRebuild
from exports.models import ExportRecord, ImportBatch
from exports.selectors import import_batch_changes

logger = logging.getLogger(__name__)

# A month as a whole number (year * 12 + month - 1), so that "the month before" is "- 1".
MONTH_INDEX = {
    "postgresql": "(date_part('year', {0})::int * 12 + date_part('month', {0})::int - 1)",
    "sqlite": "(CAST(strftime('%Y', {0}) AS INTEGER) * 12"
    " + CAST(strftime('%m', {0}) AS INTEGER) - 1)",
}
# Comparisons, like with like: MoM only between two adjacent single months; YoY only against
# the same span a year earlier; year to date only when the year's periods so far cover every
# month (a January–February span covers two). Periods never overlap, so a RANGE frame of
# exactly 12 months back holds at most the one period a year earlier: window functions, no joins.
# A rebuild of some scopes reads each one's records from the January of the year before its
# first changed period (so the windows see what a full rebuild sees: the month before, the
# period a year before, the year to date and last year's) and writes only from that period on.
SUMMARY_SQL = """
WITH {scopes}base AS (
    -- Partners compared byte by byte: sorting a million rows is the main cost.
    SELECT r.id, r.series_id, r.partner {collate_c} AS partner, r.period_start, r.period_end,
           r.tonnes, r.value, r.value_unit, r.batch_id, r.source_url, {start} AS s, {end} AS e
           {rebuilt_from}
    FROM {records} r{join}
    WHERE r.is_current
), running AS (
    SELECT base.*,
           LAG(s) OVER w AS prev_s, LAG(e) OVER w AS prev_e, LAG(tonnes) OVER w AS prev_tonnes,
           FIRST_VALUE(tonnes) OVER a_year_before AS last_year_tonnes,
           FIRST_VALUE(e) OVER a_year_before AS last_year_e,
           SUM(e - s + 1) OVER y AS months_so_far,
           SUM(tonnes) OVER y AS ytd_tonnes
    FROM base
    WINDOW w AS (PARTITION BY series_id, partner ORDER BY s),
           a_year_before AS (PARTITION BY series_id, partner ORDER BY s
                             RANGE BETWEEN 12 PRECEDING AND 12 PRECEDING),
           y AS (PARTITION BY series_id, partner, s / 12 ORDER BY s ROWS UNBOUNDED PRECEDING)
), compared AS (
    SELECT running.*,
           months_so_far = e % 12 + 1 AS ytd_complete,
           FIRST_VALUE(ytd_tonnes) OVER ended_a_year_before AS last_ytd_tonnes,
           FIRST_VALUE(months_so_far = e % 12 + 1) OVER ended_a_year_before AS last_ytd_complete
    FROM running
    WINDOW ended_a_year_before AS (PARTITION BY series_id, partner ORDER BY e
                                   RANGE BETWEEN 12 PRECEDING AND 12 PRECEDING)
)
INSERT INTO {summaries} (
    series_id, partner, period_start, period_end, tonnes, value, value_unit, mom_pct, yoy_pct,
    ytd_tonnes, ytd_complete, ytd_yoy_pct, record_id, batch_id, source_url
)
SELECT series_id, partner, period_start, period_end, tonnes, value, value_unit,
       CASE WHEN s = e AND prev_s = prev_e AND prev_e = s - 1 AND prev_tonnes > 0
            THEN (tonnes - prev_tonnes) * 100.0 / prev_tonnes END,
       CASE WHEN last_year_e = e - 12 AND last_year_tonnes > 0
            THEN (tonnes - last_year_tonnes) * 100.0 / last_year_tonnes END,
       ytd_tonnes,
       ytd_complete,
       CASE WHEN ytd_complete AND last_ytd_complete AND last_ytd_tonnes > 0
            THEN (ytd_tonnes - last_ytd_tonnes) * 100.0 / last_ytd_tonnes END,
       id, batch_id, source_url
FROM compared{where}
-- The unique index's order: its pages then fill one after another.
ORDER BY series_id, partner, s
"""
# Scopes per statement. Few enough that PostgreSQL reads each scope's records through the
# (series, partner, period_start) index: from about 100 on, it estimates a scan of every record
# cheaper, which at a million records is five times slower. Well under SQLite's 999 parameters.
SCOPES_PER_STATEMENT = 25
# The summaries' own lock: one rebuild at a time; a second one waits, then reads newer records.
REBUILD_LOCK = 7_310_002
# An import that reaches more than this share of the summaries (a first load, a re-import of the
# whole history) is rebuilt in one full pass, which is then faster. Counted only beyond
# REACH_COUNTED_ABOVE months in reach, so that a month's import pays no count.
FULL_REBUILD_SHARE = 0.5
REACH_COUNTED_ABOVE = 50_000


@dataclass(frozen=True)
class Scope:
    """One (series, partner) whose figures changed from `first` (a period start) to `last`."""

    series_id: int
    partner: str
    first: date
    last: date

    @classmethod
    def of(cls, changed: dict) -> Scope:
        """From one entry of exports.signals.import_committed's `changed`."""
        return cls(
            series_id=int(changed["series_id"]),
            partner=str(changed["partner"]),
            first=date.fromisoformat(changed["first"]),
            last=date.fromisoformat(changed["last"]),
        )

    @property
    def read_from(self) -> date:
        return date(self.first.year - 1, 1, 1)

    @property
    def rebuilt_before(self) -> date:
        # MoM reaches the month after, YoY the year after, YTD and its YoY that year's December.
        return date(self.last.year + 2, 1, 1)

    @property
    def months(self) -> int:
        """Months rebuilt: at most one summary each."""
        return month_index(self.rebuilt_before) - month_index(self.first)


def _summary_sql(*, scopes: int = 0) -> str:
    """The rebuild statement: of every current record, or of `scopes` scopes given as params."""
    index = MONTH_INDEX[connection.vendor]
    parts = {
        "collate_c": 'COLLATE "C"' if connection.vendor == "postgresql" else "",
        "start": index.format("r.period_start"),
        "end": index.format("r.period_end"),
        "records": ExportRecord._meta.db_table,
        "summaries": MonthlySummary._meta.db_table,
    }
    if not scopes:
        return SUMMARY_SQL.format(scopes="", rebuilt_from="", join="", where="", **parts)
    # With parameters, a literal % (modulo, strftime) is written %%.
    escaped = {name: text.replace("%", "%%") for name, text in parts.items()}
    values = ", ".join(["(%s, %s, date(%s), date(%s), date(%s))"] * scopes)
    return SUMMARY_SQL.replace("%", "%%").format(
        scopes="scope (series_id, partner, rebuilt_from, read_from, rebuilt_before) AS "
        f"(VALUES {values}),\n",
        rebuilt_from=", scope.rebuilt_from",
        join=" JOIN scope ON r.series_id = scope.series_id AND r.partner = scope.partner"
        " AND r.period_start >= scope.read_from AND r.period_start < scope.rebuilt_before",
        where=" WHERE period_start >= rebuilt_from",
        **escaped,
    )


def _lock(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REBUILD_LOCK])


@transaction.atomic
def monthly_summaries_rebuild() -> int:
    """Replace every summary in one transaction, so readers see the old set or the new one."""
    with connection.cursor() as cursor:
        _lock(cursor)
        # The imports committed by now are in what follows (the owed rebuilds it settles).
        owed = list(ImportBatch.objects.filter(summaries_owed=True).values_list("pk", flat=True))
        if connection.vendor == "postgresql":
            # Sort a million rows in memory rather than in temporary files.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DELETE FROM {MonthlySummary._meta.db_table}")
        cursor.execute(_summary_sql())
    count = MonthlySummary.objects.count()
    # The new version commits with the summaries: no reader sees one without the other.
    SummaryRebuild.objects.create(kind=SummaryRebuild.Kind.FULL, summaries=count)
    ImportBatch.objects.filter(pk__in=owed).update(summaries_owed=False)
    logger.info("Rebuilt %s monthly summaries", count)
    return count


def _chunks(scopes: list[Scope]) -> Iterable[list[Scope]]:
    for start in range(0, len(scopes), SCOPES_PER_STATEMENT):
        yield scopes[start : start + SCOPES_PER_STATEMENT]


@transaction.atomic
def monthly_summaries_update(*, batch_id: int, changed: list[dict] | None = None) -> int:
    """Rebuild only the summaries that an import's changes reach; how many were written.

    `changed` is what the import announced (exports.signals.import_committed); without it, it is
    read from the batch's records.
    """
    if changed is None:
        changed = import_batch_changes(batch_id=batch_id)
    scopes = sorted({Scope.of(entry) for entry in changed}, key=lambda s: (s.series_id, s.partner))
    # Settled with this transaction (the full rebuild below settles it too).
    ImportBatch.objects.filter(pk=batch_id).update(summaries_owed=False)
    if not scopes:
        return 0  # nothing changed: the summaries, and what was derived from them, still hold
    reach = sum(scope.months for scope in scopes)
    if reach > REACH_COUNTED_ABOVE and reach > FULL_REBUILD_SHARE * MonthlySummary.objects.count():
        logger.info("Import %s reaches most summaries: rebuilding them all", batch_id)
        return monthly_summaries_rebuild()
    table = MonthlySummary._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        _lock(cursor)
        for chunk in _chunks(scopes):
            within = " OR ".join(
                ["(series_id = %s AND partner = %s AND period_start >= %s AND period_start < %s)"]
                * len(chunk)
            )
            rebuilt = [
                value
                for s in chunk
                for value in (s.series_id, s.partner, s.first, s.rebuilt_before)
            ]
            cursor.execute(f"DELETE FROM {table} WHERE {within}", rebuilt)
            cursor.execute(
                _summary_sql(scopes=len(chunk)),
                [
                    value
                    for s in chunk
                    for value in (s.series_id, s.partner, s.first, s.read_from, s.rebuilt_before)
                ],
            )
            # Counted, not read from rowcount: SQLite reports none for a WITH … INSERT.
            cursor.execute(f"SELECT count(*) FROM {table} WHERE {within}", rebuilt)
            written += cursor.fetchone()[0]
    SummaryRebuild.objects.create(
        kind=SummaryRebuild.Kind.INCREMENTAL,
        scope={
            "batch_id": batch_id,
            "pairs": len(scopes),
            "from": min(s.first for s in scopes).isoformat(),
            "before": max(s.rebuilt_before for s in scopes).isoformat(),
        },
        summaries=written,
    )
    logger.info("Rebuilt %s monthly summaries of %s series-partner pairs", written, len(scopes))
    return written


def monthly_summaries_owed(*, settled_after_seconds: int = 30) -> list[int]:
    """Rebuild the summaries still owed to imports committed a while ago (their message was
    lost: Redis down, a worker gone), one import at a time; the ids done."""
    cutoff = timezone.now() - timedelta(seconds=settled_after_seconds)
    owed = ImportBatch.objects.filter(summaries_owed=True, finished_at__lt=cutoff)
    done = []
    for batch_id in owed.order_by("finished_at").values_list("pk", flat=True):
        monthly_summaries_update(batch_id=batch_id)
        done.append(batch_id)
    return done
