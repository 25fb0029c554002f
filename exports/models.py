"""Customs figures: what each series measures, the records, and the batches they came in."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.links import web_url
from core.periods import period_label


class Series(models.Model):
    """What a figure measures, so that different series are never mixed up."""

    class Source(models.TextChoices):
        GACC = "gacc", "China customs (GACC)"
        COMTRADE = "comtrade", "UN Comtrade"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=20, choices=Source.choices)
    hs_codes = models.CharField(max_length=200, blank=True, help_text="e.g. 2805.30;8505.11")
    unit = models.CharField(max_length=20, default="t")
    # The one unit of its currency its values are shown in, whatever scale each was stored in.
    value_unit = models.CharField(max_length=10, blank=True, help_text="e.g. CNY_1M, USD_1K")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.code


def batch_upload_to(instance: ImportBatch, filename: str) -> str:
    # A random name: the original is kept on the batch, and the file is never served by URL.
    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class ImportBatch(models.Model):
    """One uploaded file and what became of it; its status moves only along TRANSITIONS."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Origin(models.TextChoices):
        UPLOAD = "upload", "Uploaded"
        FETCH = "fetch", "Fetched from UN Comtrade"

    class Format(models.TextChoices):
        RAREGATE_CSV = "raregate_csv", "RareGate CSV"
        GACC_TABLE = "gacc_table", "GACC table of major export commodities"
        COMTRADE_API_CSV = "comtrade_api_csv", "UN Comtrade API CSV"
        COMTRADE_API_JSON = "comtrade_api_json", "UN Comtrade API JSON"
        COMTRADE_BULK = "comtrade_bulk", "UN Comtrade bulk file"

    # Running may follow running: a batch whose worker died is claimed again and re-run.
    TRANSITIONS = {
        Status.PENDING: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.RUNNING, Status.SUCCEEDED, Status.FAILED},
        Status.SUCCEEDED: {Status.WITHDRAWN},  # its figures taken back (import_batch_withdraw)
        Status.FAILED: {Status.PENDING},  # run again (services.import_batch_retry)
        Status.WITHDRAWN: set(),
    }
    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.WITHDRAWN)

    # A fetch that got no answer is a failed batch without a file (nor a digest).
    file = models.FileField(upload_to=batch_upload_to, blank=True)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True)
    size = models.BigIntegerField()
    format = models.CharField(max_length=20, choices=Format.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True, help_text="Why the whole file failed, when it did.")
    rows_read = models.PositiveIntegerField(default=0)
    rows_stored = models.PositiveIntegerField(default=0)
    rows_superseding = models.PositiveIntegerField(
        default=0, help_text="Stored rows that revised a figure already stored."
    )
    rows_unchanged = models.PositiveIntegerField(
        default=0, help_text="Rows equal to the figure already stored: nothing written."
    )
    rows_skipped = models.PositiveIntegerField(default=0)
    rows_in_error = models.PositiveIntegerField(default=0)
    skipped_reasons = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.UPLOAD)
    # The request a fetched batch answers, without any API key.
    fetched_from = models.URLField(max_length=1000, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(blank=True)
    # Set in the transaction that stores its figures, cleared by the rebuild of the summaries
    # they reach: a rebuild whose message was lost (Redis down) is still owed, and done.
    summaries_owed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"
        constraints = [
            models.CheckConstraint(
                name="batch_finished_has_finish_time",
                condition=~Q(status__in=["succeeded", "failed"]) | Q(finished_at__isnull=False),
            ),
            models.CheckConstraint(
                name="batch_started_has_start_time",
                condition=Q(status="pending") | Q(started_at__isnull=False) | Q(status="failed"),
            ),
            models.CheckConstraint(
                name="batch_withdrawn_says_when_and_why",
                condition=~Q(status="withdrawn")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # The imports list's order.
            models.Index(fields=["-created_at", "-id"], name="batch_newest_first"),
            models.Index(
                fields=["finished_at"],
                name="batch_summaries_owed",
                condition=Q(summaries_owed=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk}: {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class ExportRecord(models.Model):
    """One figure: a series' exports in a month (or a January–February span) to a partner."""

    # The hot table: a million rows go in by COPY, so the references are checked by the
    # database (deferred to commit, as Django declares them) and their lookups are served by the
    # composite indexes below rather than by one index per foreign key.
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="records", db_index=False
    )
    # First days of the first and last month; equal for a month.
    period_start = models.DateField()
    period_end = models.DateField()
    partner = models.CharField(
        max_length=3, blank=True, help_text="ISO 3166-1 alpha-3; empty for all destinations."
    )
    tonnes = models.DecimalField(max_digits=18, decimal_places=3)
    value = models.DecimalField(max_digits=22, decimal_places=3, null=True, blank=True)
    value_unit = models.CharField(max_length=10, blank=True)
    source_url = models.URLField(max_length=500, blank=True, validators=[web_url])
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="records", db_index=False
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    superseded_by_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_records",
    )

    class Meta:
        ordering = ["series", "partner", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period_start", "period_end", "partner"],
                condition=Q(is_current=True),
                name="export_record_one_current_figure",
            ),
            models.CheckConstraint(
                name="export_record_period_ordered",
                condition=Q(period_end__gte=F("period_start")),
            ),
            models.CheckConstraint(
                name="export_record_tonnes_not_negative", condition=Q(tonnes__gte=0)
            ),
            models.CheckConstraint(
                name="export_record_value_not_negative",
                condition=Q(value__isnull=True) | Q(value__gte=0),
            ),
            # Not current: superseded by a later batch, or its own batch was withdrawn.
            models.CheckConstraint(
                name="export_record_superseded_is_not_current",
                condition=Q(superseded_by_batch__isnull=True) | Q(is_current=False),
            ),
        ]
        indexes = [
            models.Index(fields=["series", "partner", "period_start"], name="export_record_lookup"),
            models.Index(fields=["batch"], name="export_record_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.period_label} {self.partner or 'all'}: {self.tonnes} t"

    @property
    def is_span(self) -> bool:
        return self.period_start != self.period_end

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)


class YearToDateFigure(models.Model):
    """GACC's January-to-month figure, kept to cross-check the month figures against."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="year_to_date")
    year = models.PositiveSmallIntegerField()
    through_month = models.PositiveSmallIntegerField()
    partner = models.CharField(max_length=3, blank=True)
    tonnes = models.DecimalField(max_digits=18, decimal_places=3)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="year_to_date")

    class Meta:
        ordering = ["series", "year", "through_month", "-batch_id"]
        indexes = [models.Index(fields=["series", "partner", "year", "through_month"])]

    def __str__(self) -> str:
        return f"{self.series_id} January–{self.through_month:02d}/{self.year}: {self.tonnes} t"
