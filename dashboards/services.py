"""Rebuilding the monthly summaries from the current export records."""

from __future__ import annotations

import logging

from django.db import connection, transaction

from dashboards.models import MonthlySummary, SummaryRebuild
from exports.models import ExportRecord

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
SUMMARY_SQL = """
WITH base AS (
    -- Partners compared byte by byte: sorting a million rows is the main cost.
    SELECT id, series_id, partner {collate_c} AS partner, period_start, period_end, tonnes,
           value, value_unit, batch_id, source_url, {start} AS s, {end} AS e
    FROM {records} WHERE is_current
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
FROM compared
-- The unique index's order: its pages then fill one after another.
ORDER BY series_id, partner, s
"""


@transaction.atomic
def monthly_summaries_rebuild() -> int:
    """Replace every summary in one transaction, so readers see the old set or the new one."""
    index = MONTH_INDEX[connection.vendor]
    sql = SUMMARY_SQL.format(
        collate_c='COLLATE "C"' if connection.vendor == "postgresql" else "",
        start=index.format("period_start"),
        end=index.format("period_end"),
        records=ExportRecord._meta.db_table,
        summaries=MonthlySummary._meta.db_table,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One rebuild at a time; a second one waits and then rebuilds from newer records.
            cursor.execute("SELECT pg_advisory_xact_lock(7310002)")
            # Sort a million rows in memory rather than in temporary files.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DELETE FROM {MonthlySummary._meta.db_table}")
        cursor.execute(sql)
    count = MonthlySummary.objects.count()
    # The new version commits with the summaries: no reader sees one without the other.
    SummaryRebuild.objects.create(kind=SummaryRebuild.Kind.FULL, summaries=count)
    logger.info("Rebuilt %s monthly summaries", count)
    return count
