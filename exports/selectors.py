"""Reads of the exports domain."""

from __future__ import annotations

from datetime import date

from django.db.models import Max, Min, Q, QuerySet

from exports.models import ExportRecord, Series


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


def current_figures(
    *, series_ids: list[int], first_start: date, last_start: date
) -> QuerySet[ExportRecord]:
    """The current figures of the series whose period starts between the two months (the
    figures a file of those series and months could revise), as the writer reads them."""
    return ExportRecord.objects.filter(
        is_current=True,
        series_id__in=series_ids,
        period_start__gte=first_start,
        period_start__lte=last_start,
    )


def latest_period(*, series: str, partner: str = "") -> tuple[date, date] | None:
    """The start and end of a series' latest current period for a partner; None when it has
    none."""
    latest = (
        ExportRecord.objects.filter(series__code=series, partner=partner, is_current=True)
        .order_by("-period_start")
        .values_list("period_start", "period_end")
        .first()
    )
    return tuple(latest) if latest else None


def import_batch_changes(*, batch_id: int) -> list[dict]:
    """What a batch changed, read from the records it stored or superseded.

    The same list as import_committed's `changed`, for a listener that was told only the id.
    """
    rows = (
        ExportRecord.objects.filter(Q(batch_id=batch_id) | Q(superseded_by_batch_id=batch_id))
        .values("series_id", "partner")
        .annotate(first=Min("period_start"), last=Max("period_end"))
        .order_by("series_id", "partner")
    )
    return [
        {
            "series_id": row["series_id"],
            "partner": row["partner"],
            "first": row["first"].isoformat(),
            "last": row["last"].isoformat(),
        }
        for row in rows
    ]


def _digits(code: str) -> str:
    return "".join(character for character in code if character.isdigit())


def series_measuring(codes: set[str]) -> list[Series]:
    """The series whose HS codes are in hierarchy with any of the codes, both ways (a series of
    HS 8505.11 measures 8505111000; one of 2805.30 is measured under HS 2805)."""
    wanted = [_digits(code) for code in codes if len(_digits(code)) >= 4]
    found = []
    for series in Series.objects.order_by("id"):
        own = [_digits(code) for code in series.hs_codes.split(";") if code.strip()]
        if any(a.startswith(b) or b.startswith(a) for a in own for b in wanted):
            found.append(series)
    return found
