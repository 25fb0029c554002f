"""What the measures control, item by item, and MOFCOM's entity lists with the screening of the
parties we record against them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.links import web_url


class Confidence(models.TextChoices):
    """How sure a reference row is: an unconfirmed or inferred row is never shown as fact."""

    CONFIRMED = "confirmed", "Confirmed"
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    INFERRED = "inferred", "Inferred"


class ControlItem(models.Model):
    """One thing a measure controls: a control code (1C902.a …), its elements and form."""

    class Form(models.TextChoices):
        METAL = "metal", "Metal"
        ALLOY = "alloy", "Alloy"
        TARGET = "target", "Sputtering target"
        MAGNET = "magnet", "Magnet"
        OXIDE = "oxide", "Oxide"
        COMPOUND = "compound", "Compound"
        SEVERAL = "several", "Several forms"
        RAW_MATERIAL = "raw_material", "Raw or auxiliary material"
        EQUIPMENT = "equipment", "Equipment"
        TECHNOLOGY = "technology", "Technology"
        FOREIGN_MADE = "foreign_made", "Foreign-made item"
        OTHER = "other", "Other"

    measure = models.ForeignKey(
        "licensing.ControlMeasure", on_delete=models.PROTECT, related_name="items"
    )
    control_code = models.CharField(max_length=40, blank=True, help_text="e.g. 1C902.a")
    elements = models.ManyToManyField("licensing.Element", blank=True, related_name="items")
    form = models.CharField(max_length=20, choices=Form.choices)
    form_detail = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    confidence = models.CharField(max_length=12, choices=Confidence.choices)
    confidence_note = models.CharField(max_length=300, blank=True)
    quote = models.TextField(blank=True)
    source_url = models.URLField(max_length=1000, validators=[web_url])
    edited_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=["elements"])

    class Meta:
        ordering = ["control_code", "form", "id"]
        indexes = [models.Index(fields=["control_code"], name="control_item_by_code")]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "control_code", "form_detail"],
                name="control_item_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.control_code or 'no code'} {self.get_form_display().lower()}"


class ControlItemCode(models.Model):
    """A commodity code an item names: China's 10-digit code and/or its 6-digit HS subheading,
    digits only, with the source that names it."""

    item = models.ForeignKey(ControlItem, on_delete=models.CASCADE, related_name="codes")
    commodity_code = models.CharField(max_length=10, blank=True)
    hs_subheading = models.CharField(max_length=6, blank=True)
    confidence = models.CharField(max_length=12, choices=Confidence.choices)
    confidence_note = models.CharField(max_length=300, blank=True)
    quote = models.TextField(blank=True)
    source_url = models.URLField(max_length=1000, validators=[web_url])

    history = HistoricalRecords()

    class Meta:
        ordering = ["commodity_code", "hs_subheading"]
        indexes = [
            models.Index(fields=["commodity_code"], name="item_code_by_commodity"),
            models.Index(fields=["hs_subheading"], name="item_code_by_hs6"),
        ]
        constraints = [
            models.CheckConstraint(
                name="item_code_digits",
                condition=Q(commodity_code__regex=r"^([0-9]{8}|[0-9]{10})?$")
                & Q(hs_subheading__regex=r"^([0-9]{6})?$")
                & ~Q(commodity_code="", hs_subheading=""),
                violation_error_code="item_code_digits",
                violation_error_message="Give an 8- or 10-digit commodity code or a 6-digit HS "
                "subheading, digits only.",
            ),
            models.UniqueConstraint(
                fields=["item", "commodity_code", "hs_subheading"], name="item_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.commodity_code or self.hs_subheading


class EntityListEntry(models.Model):
    """One entry of one of MOFCOM's lists, as published, with its source."""

    class List(models.TextChoices):
        CONTROL_LIST = "export_control_control_list", "Export-control control list"
        WATCH_LIST = "watch_list", "Watch list"
        UNRELIABLE_ENTITY_LIST = "unreliable_entity_list", "Unreliable entity list"

    list = models.CharField(max_length=30, choices=List.choices)
    announcement = models.CharField(max_length=200)
    measure = models.ForeignKey(
        "licensing.ControlMeasure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    listed_on = models.DateField()
    delisted_on = models.DateField(null=True, blank=True)
    measures_suspended_until = models.DateField(null=True, blank=True)
    name_en = models.CharField("English name", max_length=300, blank=True)
    name_zh = models.CharField("Chinese name", max_length=300, blank=True)
    aliases = models.TextField(blank=True, help_text="Other names, one per line.")
    country = models.CharField(max_length=120, blank=True, help_text="As the list writes it.")
    country_code = models.CharField(max_length=3, blank=True, help_text="ISO 3166-1 alpha-3")
    source_url = models.URLField(max_length=1000, validators=[web_url])
    quote = models.TextField(blank=True)
    confidence = models.CharField(max_length=12, choices=Confidence.choices)
    confidence_note = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["list", "-listed_on", "name_en"]
        verbose_name_plural = "entity list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["list", "announcement", "name_en", "name_zh"], name="entity_entry_unique"
            ),
            models.CheckConstraint(
                name="entity_entry_has_name",
                condition=~Q(name_en="", name_zh=""),
                violation_error_code="entity_entry_has_name",
                violation_error_message="An entry needs an English or a Chinese name.",
            ),
            models.CheckConstraint(
                name="entity_entry_delisted_after_listed",
                condition=Q(delisted_on__isnull=True) | Q(delisted_on__gte=models.F("listed_on")),
                violation_error_code="entity_entry_delisted_after_listed",
                violation_error_message="An entry cannot be delisted before it was listed.",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en or self.name_zh

    @property
    def names(self) -> tuple[str, ...]:
        aliases = (alias.strip() for alias in self.aliases.splitlines())
        return tuple(name for name in (self.name_en, self.name_zh, *aliases) if name)


class ScreeningMatch(models.Model):
    """A possible match of an automaker or an importer with a list entry, until Compliance
    confirms or dismisses it (with a reason, kept in its history)."""

    class Status(models.TextChoices):
        POSSIBLE = "possible", "Possible match"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    entry = models.ForeignKey(EntityListEntry, on_delete=models.CASCADE, related_name="matches")
    automaker = models.ForeignKey(
        "licensing.Automaker",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screening_matches",
    )
    importer = models.ForeignKey(
        "licensing.Importer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screening_matches",
    )
    screened_name = models.CharField(max_length=200)
    matched_name = models.CharField(max_length=300)
    score = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.POSSIBLE)
    reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    screened_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                name="screening_one_party",
                condition=Q(automaker__isnull=False, importer__isnull=True)
                | Q(automaker__isnull=True, importer__isnull=False),
                violation_error_code="screening_one_party",
                violation_error_message="A match is of one automaker or one importer.",
            ),
            models.UniqueConstraint(
                fields=["entry", "automaker"],
                condition=Q(automaker__isnull=False),
                name="screening_unique_automaker",
            ),
            models.UniqueConstraint(
                fields=["entry", "importer"],
                condition=Q(importer__isnull=False),
                name="screening_unique_importer",
            ),
            models.CheckConstraint(
                name="screening_review_has_reason",
                condition=Q(status="possible") | ~Q(reason=""),
                violation_error_code="screening_review_has_reason",
                violation_error_message="Say why the match is confirmed or dismissed.",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="screening_by_status")]

    def __str__(self) -> str:
        return f"{self.party} ~ {self.entry} ({self.score:.0f})"

    @property
    def party(self):
        return self.automaker or self.importer
