"""Derived figures for the dashboards: rebuilt from the current export records, never edited."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from core.links import web_url
from core.periods import period_label
from exports.models import ExportRecord, ImportBatch, Series


class MonthlySummary(models.Model):
    """One period of one series to one partner ("" = all destinations), with its comparisons.

    MoM compares a month with the month before; YoY a period with the same period a year
    earlier; neither crosses a gap or compares a month with a January–February span. The
    year-to-date total counts only when every month of the year so far is present.
    """

    # Rebuilt a million rows at a time: references unchecked by the database (the rows are
    # derived from checked ones) and no index but the unique one, whose prefix serves `series`.
    series = models.ForeignKey(
        Series,
        on_delete=models.CASCADE,
        related_name="summaries",
        db_constraint=False,
        db_index=False,
    )
    partner = models.CharField(max_length=3, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    tonnes = models.DecimalField(max_digits=18, decimal_places=3)
    value = models.DecimalField(max_digits=22, decimal_places=3, null=True, blank=True)
    value_unit = models.CharField(max_length=10, blank=True)
    mom_pct = models.FloatField(null=True, blank=True)
    yoy_pct = models.FloatField(null=True, blank=True)
    ytd_tonnes = models.DecimalField(max_digits=20, decimal_places=3)
    ytd_complete = models.BooleanField()
    ytd_yoy_pct = models.FloatField(null=True, blank=True)
    # Where the figure came from, so that every number on a page links to its batch and source.
    record = models.ForeignKey(
        ExportRecord,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    source_url = models.URLField(max_length=500, blank=True, validators=[web_url])

    class Meta:
        ordering = ["series", "partner", "period_start"]
        verbose_name_plural = "monthly summaries"
        # A series' figures to every partner over a range of months (the destination charts).
        indexes = [models.Index(fields=["series", "period_end"], name="summary_series_by_end")]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "partner", "period_start"], name="summary_one_row_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period_label} {self.partner or 'all'}: {self.tonnes} t"

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def is_span(self) -> bool:
        return self.period_start != self.period_end


class SummaryRebuild(models.Model):
    """One committed rebuild of the summaries, full or for what an import changed.

    Inserted in the rebuild's own transaction, which holds the rebuild lock: ids grow in the order
    rebuilds commit, so the newest id is the version of the summaries a reader sees.
    """

    class Kind(models.TextChoices):
        FULL = "full", "Full"
        INCREMENTAL = "incremental", "After an import"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # What was rebuilt: for an import, its batch and the (series, partner) pairs and periods.
    scope = models.JSONField(default=dict, blank=True)
    summaries = models.PositiveIntegerField(help_text="Summaries written.")
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Summary rebuild {self.pk} ({self.kind}, {self.summaries} summaries)"
