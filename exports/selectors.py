"""Reads of the exports domain."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from exports.models import ExportRecord


def figure_history(
    *, series: str, period_start: date, period_end: date, partner: str = ""
) -> QuerySet[ExportRecord]:
    """Every version of one figure, oldest first: the superseded ones and the current one."""
    return (
        ExportRecord.objects.filter(
            series__code=series,
            period_start=period_start,
            period_end=period_end,
            partner=partner,
        )
        .select_related("batch", "superseded_by_batch", "series")
        .order_by("batch__created_at", "batch_id")
    )
