"""The licensing domain: what is controlled, who holds licences, and who is approved under them."""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.links import web_url
from licensing.validators import validate_evidence_file


def exactly_one(first: str, second: str) -> Q:
    """Exactly one of two foreign keys is set."""
    return Q(**{f"{first}__isnull": False, f"{second}__isnull": True}) | Q(
        **{f"{first}__isnull": True, f"{second}__isnull": False}
    )


# A validity period, either end open: it does not end before it starts.
ENDS_NOT_BEFORE_IT_STARTS = (
    Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from"))
)


class Element(models.Model):
    class Group(models.TextChoices):
        LIGHT = "light", "Light"
        MEDIUM = "medium", "Medium"
        HEAVY = "heavy", "Heavy"

    symbol = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=40, unique=True)
    atomic_number = models.PositiveSmallIntegerField(unique=True)
    group = models.CharField(max_length=6, choices=Group.choices)

    class Meta:
        ordering = ["atomic_number"]

    def __str__(self) -> str:
        return f"{self.name} ({self.symbol})"


class HsCode(models.Model):
    """A Harmonized System heading, written as customs write it (e.g. 8505.11)."""

    code = models.CharField(max_length=12, unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "HS code"

    def __str__(self) -> str:
        return self.code


# Kept by name, as LICENCE_HISTORY: one history record for a measure and its codes together.
MEASURE_HISTORY = HistoricalRecords(m2m_fields=["elements", "hs_codes"])


class ControlMeasure(models.Model):
    """One announcement: what it controls, from when, and any window in which it is suspended."""

    class Kind(models.TextChoices):
        LICENSING_REGIME = "licensing_regime", "Licensing regime"
        CONTROL_IMPOSED = "control_imposed", "Control imposed"
        CONTROL_EXPANDED = "control_expanded", "Control expanded"
        SUSPENSION = "suspension", "Suspension"
        GENERAL_LICENCES_ISSUED = "general_licences_issued", "General licences issued"
        ENTITY_LISTING = "entity_listing", "Entity listing"
        END_USER_RESTRICTION = "end_user_restriction", "End-user restriction"

    class Outcome(models.TextChoices):
        """What happened when a suspension reached its end, once someone has recorded it."""

        UNKNOWN = "", "Not recorded"
        LAPSED = "lapsed", "Lapsed as scheduled"
        EXTENDED = "extended", "Extended"
        ENDED = "ended", "Measure ended"

    reference = models.CharField(max_length=200, unique=True)
    authority = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    announced_on = models.DateField()
    effective_from = models.DateField()
    # The measure is not applied from suspended_from through suspended_until, both days included.
    suspended_from = models.DateField(null=True, blank=True)
    suspended_until = models.DateField(null=True, blank=True)
    # The last day the measure itself applies, when it has one (a suspension ends, for one).
    in_force_until = models.DateField(null=True, blank=True)
    # The announcement that suspends this one (No. 70 for Nos. 56, 57, 61 and 62): what happens
    # when the suspension ends is recorded on it, once, and read by the measures it suspends.
    suspended_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="suspends"
    )
    # What happened at the end of the suspension (its suspended_until; a suspension's own
    # in_force_until), as known from outcome_known_on: until then the end is unconfirmed.
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    extended_until = models.DateField(null=True, blank=True)
    outcome_known_on = models.DateField(null=True, blank=True)
    outcome_source_url = models.URLField(max_length=500, blank=True, validators=[web_url])
    elements = models.ManyToManyField(Element, blank=True, related_name="control_measures")
    hs_codes = models.ManyToManyField(HsCode, blank=True, related_name="control_measures")
    title = models.TextField()
    source_url = models.URLField(max_length=500, validators=[web_url])
    # Set when someone changes the measure in the app: the reference loader leaves it alone.
    edited_at = models.DateTimeField(null=True, blank=True)

    history = MEASURE_HISTORY

    class Meta:
        ordering = ["effective_from", "reference"]
        constraints = [
            models.CheckConstraint(
                name="measure_effective_not_before_announced",
                condition=Q(effective_from__gte=F("announced_on")),
                violation_error_code="measure_effective_not_before_announced",
                violation_error_message="The effective date cannot be before the announcement.",
            ),
            models.CheckConstraint(
                name="measure_suspension_window_ordered",
                condition=Q(suspended_from__isnull=True)
                | Q(suspended_until__isnull=True)
                | Q(suspended_until__gte=F("suspended_from")),
                violation_error_code="measure_suspension_window_ordered",
                violation_error_message="A suspension cannot end before it starts.",
            ),
            models.CheckConstraint(
                name="measure_ends_after_it_starts",
                condition=Q(in_force_until__isnull=True)
                | Q(in_force_until__gte=F("effective_from")),
                violation_error_code="measure_ends_after_it_starts",
                violation_error_message="A measure cannot end before it takes effect.",
            ),
            models.CheckConstraint(
                name="measure_outcome_known",
                condition=Q(outcome="")
                | (Q(outcome_known_on__isnull=False) & ~Q(outcome_source_url="")),
                violation_error_code="measure_outcome_known",
                violation_error_message="An outcome needs the day it was known and its source.",
            ),
            models.CheckConstraint(
                name="measure_extension_has_end",
                condition=Q(outcome="extended", extended_until__isnull=False)
                | (~Q(outcome="extended") & Q(extended_until__isnull=True)),
                violation_error_code="measure_extension_has_end",
                violation_error_message="An extension needs the day it runs to, and only an "
                "extension has one.",
            ),
            models.CheckConstraint(
                name="measure_suspension_has_start",
                condition=Q(suspended_until__isnull=True) | Q(suspended_from__isnull=False),
                violation_error_code="measure_suspension_has_start",
                violation_error_message="A suspension end needs a suspension start.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("licensing:controlmeasure-detail", args=[self.pk])

    @property
    def short_name(self) -> str:
        """'MOFCOM Announcement No. 57 of 2025' -> 'No. 57'; other references as they are."""
        match = re.search(r"No\. \d+", self.reference)
        return match.group(0) if match else self.reference

    @property
    def pause_ends_on(self) -> date | None:
        """The last day of the pause whose end may be unconfirmed: a suspension's own end, or the
        end of the window in which this measure is suspended."""
        if self.kind == self.Kind.SUSPENSION:
            return self.in_force_until
        return self.suspended_until


class Exporter(models.Model):
    """A Chinese company that holds export licences."""

    name = models.CharField(max_length=200, unique=True)
    name_zh = models.CharField("Chinese name", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)
    stock_code = models.CharField(max_length=20, blank=True)
    source_url = models.URLField(max_length=500, blank=True, validators=[web_url])

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("licensing:exporter-detail", args=[self.pk])


class Automaker(models.Model):
    """An end customer whose supply the licences gate."""

    name = models.CharField(max_length=200, unique=True)
    country = models.CharField(max_length=3, help_text="ISO 3166-1 alpha-3 code")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        # The automakers list sorts by name regardless of case.
        indexes = [models.Index(Lower("name"), name="automaker_name_lower")]
        constraints = [
            models.CheckConstraint(
                name="automaker_country_is_alpha3",
                condition=Q(country__regex=r"^[A-Z]{3}$"),
                violation_error_code="automaker_country_is_alpha3",
                violation_error_message="Country must be an ISO 3166-1 alpha-3 code, e.g. DEU.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("licensing:automaker-detail", args=[self.pk])


class Importer(models.Model):
    """A foreign consignee: a Tier-1 supplier, a distributor, an automaker's own buying arm.
    Whom it buys from and sells to are SupplyLinks."""

    class Kind(models.TextChoices):
        AUTOMAKER = "automaker", "Automaker"
        TIER1_SUPPLIER = "tier1_supplier", "Tier-1 supplier"
        DISTRIBUTOR = "distributor", "Distributor"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    country = models.CharField(max_length=3, help_text="ISO 3166-1 alpha-3 code")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="importer_unique_per_country"),
            models.CheckConstraint(
                name="importer_country_is_alpha3",
                condition=Q(country__regex=r"^[A-Z]{3}$"),
                violation_error_code="importer_country_is_alpha3",
                violation_error_message="Country must be an ISO 3166-1 alpha-3 code, e.g. DEU.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    def get_absolute_url(self) -> str:
        return reverse("licensing:importer-detail", args=[self.pk])


class SupplyLink(models.Model):
    """Who supplies whom, from and until when, on what evidence: an exporter or an importer
    supplying an importer or an automaker. An open end is not known to have ended."""

    supplier_exporter = models.ForeignKey(
        Exporter, on_delete=models.PROTECT, null=True, blank=True, related_name="supplies"
    )
    supplier_importer = models.ForeignKey(
        Importer, on_delete=models.PROTECT, null=True, blank=True, related_name="supplies"
    )
    customer_importer = models.ForeignKey(
        Importer, on_delete=models.PROTECT, null=True, blank=True, related_name="supplied_by"
    )
    customer_automaker = models.ForeignKey(
        Automaker, on_delete=models.PROTECT, null=True, blank=True, related_name="supplied_by"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    evidence = models.TextField(help_text="What says so: a filing, a statement, a contract.")
    source_url = models.URLField(max_length=500, blank=True, validators=[web_url])
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    CONSTRAINT_FIELDS = {
        "supply_link_one_supplier": "supplier_exporter",
        "supply_link_one_customer": "customer_importer",
        "supply_link_not_to_itself": "customer_importer",
        "supply_link_until_not_before_from": "valid_until",
    }

    class Meta:
        ordering = ["valid_from", "id"]
        indexes = [
            models.Index(fields=["customer_automaker"], name="supply_link_by_automaker"),
            models.Index(fields=["customer_importer"], name="supply_link_by_importer"),
        ]
        constraints = [
            models.CheckConstraint(
                name="supply_link_one_supplier",
                condition=exactly_one("supplier_exporter", "supplier_importer"),
                violation_error_code="supply_link_one_supplier",
                violation_error_message="Name one supplier: an exporter or an importer.",
            ),
            models.CheckConstraint(
                name="supply_link_one_customer",
                condition=exactly_one("customer_importer", "customer_automaker"),
                violation_error_code="supply_link_one_customer",
                violation_error_message="Name one customer: an importer or an automaker.",
            ),
            models.CheckConstraint(
                name="supply_link_not_to_itself",
                condition=Q(supplier_importer__isnull=True)
                | ~Q(supplier_importer=F("customer_importer")),
                violation_error_code="supply_link_not_to_itself",
                violation_error_message="An importer does not supply itself.",
            ),
            models.CheckConstraint(
                name="supply_link_until_not_before_from",
                condition=ENDS_NOT_BEFORE_IT_STARTS,
                violation_error_code="supply_link_until_not_before_from",
                violation_error_message="“Valid until” cannot be before “valid from”.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} supplies {self.customer}"

    @property
    def supplier(self) -> Exporter | Importer:
        return self.supplier_exporter or self.supplier_importer

    @property
    def customer(self) -> Importer | Automaker:
        return self.customer_importer or self.customer_automaker


# Kept by name so that services can write one history record for a licence and its codes
# together, instead of one per many-to-many change.
LICENCE_HISTORY = HistoricalRecords(m2m_fields=["elements", "hs_codes"])


class Licence(models.Model):
    """An export licence held by an exporter; its status moves only along Licence.TRANSITIONS."""

    class Kind(models.TextChoices):
        GENERAL = "general", "General"
        INDIVIDUAL = "individual", "Individual"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        UNDER_REVIEW = "under_review", "Under review"
        ISSUED = "issued", "Issued"
        REJECTED = "rejected", "Rejected"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"
        SURRENDERED = "surrendered", "Surrendered"
        EXPIRED = "expired", "Expired"
        EXHAUSTED = "exhausted", "Exhausted"

    # The states in which a licence runs to its valid_until (days_to_end).
    RUNS_TO_ITS_END = frozenset({Status.ISSUED, Status.SUSPENDED, Status.EXPIRED})

    class RenewalStatus(models.TextChoices):
        """What is known of a renewal for when this licence ends."""

        UNKNOWN = "unknown", "Unknown"
        APPLIED = "applied", "Applied for"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"

    # The lifecycle: the statuses each status may move to. Rejected, revoked and surrendered
    # are final; an expired or exhausted licence is issued again only with a new validity period.
    TRANSITIONS = {
        Status.APPLIED: {Status.UNDER_REVIEW, Status.ISSUED, Status.REJECTED},
        Status.UNDER_REVIEW: {Status.ISSUED, Status.REJECTED},
        Status.ISSUED: {
            Status.SUSPENDED,
            Status.REVOKED,
            Status.SURRENDERED,
            Status.EXPIRED,
            Status.EXHAUSTED,
        },
        Status.SUSPENDED: {Status.ISSUED, Status.REVOKED, Status.SURRENDERED, Status.EXPIRED},
        Status.EXPIRED: {Status.ISSUED},
        Status.EXHAUSTED: {Status.ISSUED},
        Status.REJECTED: set(),
        Status.REVOKED: set(),
        Status.SURRENDERED: set(),
    }
    RENEWED_FROM = {Status.EXPIRED, Status.EXHAUSTED}
    # The field each constraint's message belongs to, so forms and the API show it there.
    CONSTRAINT_FIELDS = {
        "licence_valid_until_not_before_valid_from": "valid_until",
        "licence_dated_status_has_validity": "valid_until",
        "licence_quantity_cap_positive": "quantity_cap_kg",
        "licence_number_unique_per_exporter": "number",
    }

    exporter = models.ForeignKey(Exporter, on_delete=models.PROTECT, related_name="licences")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.CharField(max_length=100, blank=True, help_text="Often not public.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.APPLIED)
    issued_on = models.DateField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    elements = models.ManyToManyField(Element, blank=True, related_name="licences")
    hs_codes = models.ManyToManyField(HsCode, blank=True, related_name="licences")
    quantity_cap_kg = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    customer_scope = models.CharField(
        max_length=300, blank=True, help_text="The customers it names, as a note; see parties."
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        help_text="The licence this one renews: claims resting on that one carry on to this.",
    )
    renewal_status = models.CharField(
        max_length=10, choices=RenewalStatus.choices, default=RenewalStatus.UNKNOWN
    )
    notes = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True, validators=[web_url])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = LICENCE_HISTORY

    class Meta:
        ordering = ["valid_until", "exporter__name", "id"]
        indexes = [
            # The list's order, and the issued licences that end soonest (expiry warnings).
            models.Index(fields=["valid_until", "id"], name="licence_by_end"),
            models.Index(fields=["status", "valid_until"], name="licence_status_by_end"),
            # The licences of a kind that end last (a claim resting on those in force).
            models.Index(fields=["kind", "valid_until"], name="licence_kind_by_end"),
            # An exporter's licences that end last (a claim naming the exporter or resting on
            # its suppliers).
            models.Index(fields=["exporter", "valid_until"], name="licence_exporter_by_end"),
        ]
        constraints = [
            models.CheckConstraint(
                name="licence_valid_until_not_before_valid_from",
                condition=ENDS_NOT_BEFORE_IT_STARTS,
                violation_error_code="licence_valid_until_not_before_valid_from",
                violation_error_message="“Valid until” cannot be before “valid from”.",
            ),
            models.CheckConstraint(
                name="licence_dated_status_has_validity",
                condition=~Q(
                    status__in=["issued", "suspended", "surrendered", "expired", "exhausted"]
                )
                | Q(valid_from__isnull=False, valid_until__isnull=False),
                violation_error_code="licence_dated_status_has_validity",
                violation_error_message="An issued licence needs “valid from” and “valid until”.",
            ),
            models.CheckConstraint(
                name="licence_quantity_cap_positive",
                condition=Q(quantity_cap_kg__isnull=True) | Q(quantity_cap_kg__gt=0),
                violation_error_code="licence_quantity_cap_positive",
                violation_error_message="A quantity cap must be more than 0 kg.",
            ),
            models.UniqueConstraint(
                fields=["exporter", "number"],
                condition=~Q(number=""),
                name="licence_number_unique_per_exporter",
                violation_error_code="licence_number_unique_per_exporter",
                violation_error_message="This exporter already holds a licence with this number.",
            ),
        ]

    def __str__(self) -> str:
        label = self.number or (f"#{self.pk}" if self.pk else "(new)")
        return f"{self.get_kind_display()} licence {label}, {self.exporter}"

    def get_absolute_url(self) -> str:
        return reverse("licensing:licence-detail", args=[self.pk])

    def changes_in_order(self) -> list[LicenceTransition]:
        """Its dated changes of status, oldest first; reads `transitions`, which a list should
        prefetch."""
        return sorted(self.transitions.all(), key=lambda change: (change.effective_on, change.pk))

    def last_change(self) -> LicenceTransition | None:
        changes = self.changes_in_order()
        return changes[-1] if changes else None

    def status_on(self, on: date) -> str:
        """Its status on a date, from its dated changes (cover.licence_status is the
        same rule in SQL)."""
        changes = self.changes_in_order()
        if not changes:
            return self.status
        made = [change for change in changes if change.effective_on <= on]
        return made[-1].status if made else changes[0].from_status

    def is_valid_on(self, on: date) -> bool:
        return (
            self.status_on(on) == self.Status.ISSUED
            and self.valid_from is not None
            and self.valid_until is not None
            and self.valid_from <= on <= self.valid_until
        )

    def days_left(self, on: date) -> int | None:
        return (self.valid_until - on).days if self.is_valid_on(on) else None

    def days_to_end(self, on: date) -> int | None:
        """Days from `on` to the last valid day of a licence that was issued and has started:
        below 0 once it has run out (from the day after valid_until, whether or not the hourly
        check has marked it expired yet). A suspended licence still ends on its day. None for one
        not yet in force, never issued, or ended early (revoked, surrendered, used up)."""
        if self.valid_from is None or self.valid_until is None or on < self.valid_from:
            return None
        return (self.valid_until - on).days if self.status_on(on) in self.RUNS_TO_ITS_END else None

    def is_expiring_on(self, on: date) -> bool:
        days = self.days_left(on)
        return days is not None and days <= settings.EXPIRY_WARNING_DAYS


class LicenceParty(models.Model):
    """A party a licence names, in licensing's words: the consignee it ships to or the end
    user of the goods; an importer or an automaker."""

    class Role(models.TextChoices):
        CONSIGNEE = "consignee", "Consignee"
        END_USER = "end_user", "End user"

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=10, choices=Role.choices)
    importer = models.ForeignKey(
        Importer, on_delete=models.PROTECT, null=True, blank=True, related_name="licence_parties"
    )
    automaker = models.ForeignKey(
        Automaker, on_delete=models.PROTECT, null=True, blank=True, related_name="licence_parties"
    )

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                name="licence_party_one_party",
                condition=exactly_one("importer", "automaker"),
                violation_error_code="licence_party_one_party",
                violation_error_message="A party is an importer or an automaker.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.party}"

    @property
    def party(self) -> Importer | Automaker:
        return self.importer or self.automaker


class LicenceTransition(models.Model):
    """A change of a licence's status that takes effect on a date: it has `status` from
    `effective_on` until its next change, and `from_status` before."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Licence.Status.choices)
    status = models.CharField(max_length=12, choices=Licence.Status.choices)
    effective_on = models.DateField()
    reason = models.TextField()
    source_url = models.URLField(max_length=500, blank=True, validators=[web_url])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["licence", "effective_on"], name="transition_by_date")]

    def __str__(self) -> str:
        return (
            f"{self.get_from_status_display()} to {self.get_status_display()} "
            f"from {self.effective_on:%Y-%m-%d}"
        )


def evidence_upload_to(instance: Approval, filename: str) -> str:
    # A random name: the original is kept in the row, never guessable from a URL.
    return f"evidence/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class Approval(models.Model):
    """The claim that shipments to an automaker are approved (or not), with the evidence for it."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending"
        REFUSED = "refused", "Refused"
        EXCLUDED = "excluded", "Excluded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class EvidenceGrade(models.TextChoices):
        # Strongest first; EVIDENCE_RANK below orders them.
        MOFCOM_NOTICE = "mofcom_notice", "MOFCOM notice"
        COMPANY_STATEMENT = "company_statement", "Company statement"
        GOVERNMENT_OFFICIAL = "government_official", "Government official"
        NEWS_REPORT = "news_report", "News report"
        INTERNAL_DOCUMENT = "internal_document", "Internal document"

    class Extent(models.TextChoices):
        ALL = "all", "All of its supply"
        SOME = "some", "Some of its supply"

    automaker = models.ForeignKey(Automaker, on_delete=models.PROTECT, related_name="approvals")
    exporter = models.ForeignKey(
        Exporter, on_delete=models.PROTECT, null=True, blank=True, related_name="approvals"
    )
    importer = models.ForeignKey(
        Importer, on_delete=models.PROTECT, null=True, blank=True, related_name="approvals"
    )
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="approvals"
    )
    licence_kind = models.CharField(
        max_length=10,
        choices=Licence.Kind.choices,
        blank=True,
        help_text="The kind of licence claimed, when the licence itself is not known.",
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    extent = models.CharField(
        max_length=4,
        choices=Extent.choices,
        default=Extent.ALL,
        help_text="How much of the automaker's supply the claim covers "
        "(“some of its suppliers”: some).",
    )
    evidence_grade = models.CharField(max_length=20, choices=EvidenceGrade.choices)
    claimed_on = models.DateField()
    statement = models.TextField()
    source_url = models.URLField(max_length=500, blank=True, validators=[web_url])
    evidence_file = models.FileField(
        upload_to=evidence_upload_to, blank=True, validators=[validate_evidence_file]
    )
    evidence_file_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    CONSTRAINT_FIELDS = {"approval_has_evidence": "source_url"}

    class Meta:
        ordering = ["-claimed_on", "-id"]
        # A page of the newest approvals reads 50 index entries, not every approval sorted.
        indexes = [
            models.Index(fields=["-claimed_on", "-id"], name="approval_newest_first"),
            # One automaker's claims, newest first: its page, its filter, its status.
            models.Index(
                fields=["automaker", "-claimed_on", "-id"], name="approval_automaker_newest"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="approval_has_evidence",
                condition=~Q(source_url="") | ~Q(evidence_file=""),
                violation_error_code="approval_has_evidence",
                violation_error_message="Give a source URL or attach an evidence file.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.automaker}: {self.get_status_display()} ({self.claimed_on})"

    def get_absolute_url(self) -> str:
        return reverse("licensing:approval-detail", args=[self.pk])


EVIDENCE_RANK = {grade: rank for rank, grade in enumerate(reversed(Approval.EvidenceGrade.values))}

# Alerts and the register's items and lists live in modules of their own (they name these models
# by string); imported here so that Django registers them with licensing.
from licensing.alerts.models import Alert, AlertAcknowledgement, AlertSubscription  # noqa: E402, F401
from licensing.models.register import (  # noqa: E402, F401
    Confidence,
    ControlItem,
    ControlItemCode,
    EntityListEntry,
    ScreeningMatch,
)
