"""What an import would do, before it is stored: the figures it adds, those it revises (old →
new), how many it leaves unchanged, its row errors and warnings.

The file is read exactly as the import reads it (reading.file_read) and compared with the
current figures by the writer's own rule (writing.same_figure), so the preview and the import
never disagree. Nothing is written: no batch, no record, no file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.conf import settings

from core.periods import period_label, period_name
from exports.models import ImportBatch, Series
from exports.presentation import exactly
from exports.selectors import current_figures, latest_period
from exports.series import HEADLINE_SERIES
from exports.services.reading import file_read, upload_size_check
from exports.services.writing import same_figure, same_value
from exports.units import converted

# The first additions and revisions a preview lists; all of them are counted.
PREVIEW_SHOWN = 200


@dataclass(frozen=True)
class Figure:
    """One figure: as the file gives it (`line`), or as stored (`batch_id`, `record_id`)."""

    series: str
    period_start: date
    period_end: date
    partner: str
    tonnes: Decimal
    value: Decimal | None
    value_unit: str
    line: int | None = None
    batch_id: int | None = None
    record_id: int | None = None

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def key(self) -> tuple:
        return (self.series, self.period_start, self.period_end, self.partner)


@dataclass(frozen=True)
class Revision:
    """A stored figure the file would replace, and whether the new one is only a rounding of it
    (5,493.9 t over 5,493.873 t: fewer decimals, and the old figure rounded to them)."""

    old: Figure
    new: Figure
    tonnes_less_precise: bool
    value_less_precise: bool

    @property
    def less_precise(self) -> bool:
        return self.tonnes_less_precise or self.value_less_precise


@dataclass
class Preview:
    file_name: str
    size: int
    sha256: str
    format: str = ""
    # Why the whole file cannot be read; or, with row errors, that nothing would be stored.
    message: str = ""
    rows_read: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)  # the first IMPORT_ERRORS_SHOWN
    errors_total: int = 0
    warnings: list[str] = field(default_factory=list)
    additions: list[Figure] = field(default_factory=list)  # the first PREVIEW_SHOWN
    additions_total: int = 0
    revisions: list[Revision] = field(default_factory=list)  # the first PREVIEW_SHOWN
    revisions_total: int = 0
    less_precise_total: int = 0
    unchanged: int = 0
    # The batch these very bytes already are: importing them again would store nothing new.
    existing: ImportBatch | None = None

    @property
    def format_label(self) -> str:
        return ImportBatch.Format(self.format).label if self.format else ""

    @property
    def readable(self) -> bool:
        return not self.message

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped_reasons.values())

    @property
    def committable(self) -> bool:
        """Whether "import this file" would store its figures (a failed batch runs again)."""
        fresh = self.existing is None or self.existing.status == ImportBatch.Status.FAILED
        return self.readable and fresh


def decimals(number: Decimal) -> int:
    """The decimals a figure is given to: 5493.9 → 1, 5493.873 → 3, 5500 → 0."""
    return max(0, -number.normalize().as_tuple().exponent)


def rounded_from(old: Decimal, new: Decimal) -> bool:
    """Whether `new` has fewer decimals than `old` and equals `old` rounded to them."""
    places = decimals(new)
    if places >= decimals(old):
        return False
    return old.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == new


def _value_rounded_from(old: Figure, new: Figure) -> bool:
    """The value's test, in the new figure's unit; never across currencies."""
    if old.value is None or new.value is None:
        return False
    if same_value(old.value, old.value_unit, new.value, new.value_unit):
        return False
    old_value = converted(old.value, old.value_unit, new.value_unit)
    return old_value is not None and rounded_from(old_value, new.value)


def _month(text: str) -> date:
    return date(int(text[:4]), int(text[5:7]), 1)


def _number(value: float) -> Decimal | None:
    """A parsed number as the writer stores it (three decimals), without padding zeros."""
    if value is None or np.isnan(value):
        return None
    return Decimal(repr(round(float(value), 3)))


def _headline_warnings(revisions: list[Revision], additions: list[Figure]) -> list[str]:
    """What would change the overview's headline: its latest month revised, or a later one."""
    latest = latest_period(series=HEADLINE_SERIES)
    if latest is None:
        return []
    start, end = latest
    shown = f"{period_name(start, end, short=True)} of {HEADLINE_SERIES} to all destinations"
    warnings = []
    for revision in revisions:
        if revision.new.key == (HEADLINE_SERIES, start, end, ""):
            warnings.append(
                f"This file revises the headline series' latest month ({shown}): "
                f"{exactly(revision.old.tonnes)} t → {exactly(revision.new.tonnes)} t."
            )
    later = [
        figure
        for figure in additions
        if figure.series == HEADLINE_SERIES and not figure.partner and figure.period_start > start
    ]
    if later:
        newest = max(later, key=lambda figure: figure.period_start)
        warnings.append(
            "This file adds a month after the headline series' latest "
            f"({period_name(newest.period_start, newest.period_end, short=True)} after {shown}):"
            f" {exactly(newest.tonnes)} t becomes the headline."
        )
    return warnings


def import_preview(*, data: bytes, file_name: str) -> Preview:
    """What importing these bytes would add, revise and leave unchanged; stores nothing."""
    upload_size_check(size=len(data), name=file_name)
    sha256 = hashlib.sha256(data).hexdigest()
    preview = Preview(
        file_name=file_name,
        size=len(data),
        sha256=sha256,
        existing=ImportBatch.objects.filter(sha256=sha256).first(),
    )
    reading = file_read(data, file_name=file_name)
    if reading.result is None:
        preview.message = reading.failure
        return preview
    result = reading.result
    preview.format = result.format
    preview.rows_read = result.rows_read
    preview.skipped_reasons = dict(result.skipped)
    preview.warnings = list(reading.warnings)
    if reading.errors:
        preview.errors_total = len(reading.errors)
        preview.errors = [
            error.as_dict() for error in reading.errors[: settings.IMPORT_ERRORS_SHOWN]
        ]
        preview.message = f"{preview.errors_total:,} row error(s): nothing would be stored."
        return preview
    _compare(preview, result.rows)
    return preview


def _compare(preview: Preview, rows) -> None:
    """Sort the rows into additions, revisions and unchanged figures, as the writer would."""
    if rows.empty:
        return
    rows = rows.assign(
        partner=rows["partner"].fillna("").astype(str),
        value_unit=rows["value_unit"].fillna("").astype(str),
    )
    codes = {series_id: code for code, series_id in Series.objects.values_list("code", "id")}
    in_file = set(rows["series"])
    stored = {
        (codes[record.series_id], record.period_start, record.period_end, record.partner): record
        for record in current_figures(
            series_ids=[pk for pk, code in codes.items() if code in in_file],
            first_start=_month(rows["period_start"].min()),
            last_start=_month(rows["period_start"].max()),
        )
    }
    additions: list[Figure] = []
    revisions: list[Revision] = []
    for row in rows.itertuples(index=False):
        new = Figure(
            series=row.series,
            period_start=_month(row.period_start),
            period_end=_month(row.period_end),
            partner=row.partner,
            tonnes=_number(row.tonnes),
            value=_number(row.value),
            value_unit=row.value_unit,
            line=int(row.line),
        )
        record = stored.get(new.key)
        if record is None:
            additions.append(new)
            continue
        if same_figure(
            old_tonnes=record.tonnes,
            old_value=record.value,
            old_unit=record.value_unit,
            tonnes=new.tonnes,
            value=new.value,
            value_unit=new.value_unit,
        ):
            preview.unchanged += 1
            continue
        old = Figure(
            series=new.series,
            period_start=record.period_start,
            period_end=record.period_end,
            partner=record.partner,
            tonnes=record.tonnes,
            value=record.value,
            value_unit=record.value_unit,
            batch_id=record.batch_id,
            record_id=record.pk,
        )
        revisions.append(
            Revision(
                old=old,
                new=new,
                tonnes_less_precise=rounded_from(old.tonnes, new.tonnes),
                value_less_precise=_value_rounded_from(old, new),
            )
        )
    preview.additions_total = len(additions)
    preview.additions = additions[:PREVIEW_SHOWN]
    preview.revisions_total = len(revisions)
    preview.revisions = revisions[:PREVIEW_SHOWN]
    preview.less_precise_total = sum(revision.less_precise for revision in revisions)
    preview.warnings = _headline_warnings(revisions, additions) + preview.warnings
