"""Rebuilding the monthly summaries from the current export records."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection, transaction

from dashboards.models import MonthlySummary
from exports.models import ExportRecord

logger = logging.getLogger(__name__)

# A month as a whole number (year * 12 + month - 1), so that "the month before" is "- 1".
MONTH_INDEX = {
    "postgresql": "(EXTRACT(YEAR FROM {0})::int * 12 + EXTRACT(MONTH FROM {0})::int - 1)",
    "sqlite": "(CAST(strftime('%Y', {0}) AS INTEGER) * 12"
    " + CAST(strftime('%m', {0}) AS INTEGER) - 1)",
}
# Comparisons, like with like: MoM only between two adjacent single months; YoY only against
# the same span a year earlier; year to date only when the year's periods so far cover every
# month (a January–February span covers two).
SUMMARY_SQL = """
WITH base AS (
    SELECT id, series_id, partner, period_start, period_end, tonnes, value, value_unit,
           batch_id, source_url, {start} AS s, {end} AS e
    FROM {records} WHERE is_current
), ordered AS (
    SELECT base.*,
           LAG(s) OVER w AS prev_s, LAG(e) OVER w AS prev_e, LAG(tonnes) OVER w AS prev_tonnes,
           SUM(e - s + 1) OVER y AS months_so_far,
           SUM(tonnes) OVER y AS ytd_tonnes
    FROM base
    WINDOW w AS (PARTITION BY series_id, partner ORDER BY s),
           y AS (PARTITION BY series_id, partner, s / 12 ORDER BY s ROWS UNBOUNDED PRECEDING)
)
INSERT INTO {summaries} (
    series_id, partner, period_start, period_end, tonnes, value, value_unit, mom_pct, yoy_pct,
    ytd_tonnes, ytd_complete, ytd_yoy_pct, record_id, batch_id, source_url
)
SELECT o.series_id, o.partner, o.period_start, o.period_end, o.tonnes, o.value, o.value_unit,
       CASE WHEN o.s = o.e AND o.prev_s = o.prev_e AND o.prev_e = o.s - 1 AND o.prev_tonnes > 0
            THEN (o.tonnes - o.prev_tonnes) * 100.0 / o.prev_tonnes END,
       CASE WHEN ly.tonnes > 0 THEN (o.tonnes - ly.tonnes) * 100.0 / ly.tonnes END,
       o.ytd_tonnes,
       o.months_so_far = o.e % 12 + 1,
       CASE WHEN o.months_so_far = o.e % 12 + 1 AND ye.months_so_far = ye.e % 12 + 1
                 AND ye.ytd_tonnes > 0
            THEN (o.ytd_tonnes - ye.ytd_tonnes) * 100.0 / ye.ytd_tonnes END,
       o.id, o.batch_id, o.source_url
FROM ordered o
LEFT JOIN ordered ly ON ly.series_id = o.series_id AND ly.partner = o.partner
                    AND ly.s = o.s - 12 AND ly.e = o.e - 12
LEFT JOIN ordered ye ON ye.series_id = o.series_id AND ye.partner = o.partner AND ye.e = o.e - 12
"""
SUMMARY_VERSION_KEY = "dashboards:summary-version"


def summary_version() -> int:
    """Part of every cached figure's key: a rebuild moves it on, so old figures are not used."""
    return cache.get_or_set(SUMMARY_VERSION_KEY, 1, timeout=None)


def _bump_summary_version() -> None:
    try:
        cache.incr(SUMMARY_VERSION_KEY)
    except ValueError:
        cache.set(SUMMARY_VERSION_KEY, 2, timeout=None)


@transaction.atomic
def monthly_summaries_rebuild() -> int:
    """Replace every summary in one transaction, so readers see the old set or the new one."""
    index = MONTH_INDEX[connection.vendor]
    sql = SUMMARY_SQL.format(
        start=index.format("period_start"),
        end=index.format("period_end"),
        records=ExportRecord._meta.db_table,
        summaries=MonthlySummary._meta.db_table,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One rebuild at a time; a second one waits and then rebuilds from newer records.
            cursor.execute("SELECT pg_advisory_xact_lock(7310002)")
        cursor.execute(f"DELETE FROM {MonthlySummary._meta.db_table}")
        cursor.execute(sql)
    count = MonthlySummary.objects.count()
    transaction.on_commit(_bump_summary_version)
    logger.info("Rebuilt %s monthly summaries", count)
    return count
