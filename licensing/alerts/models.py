"""Alerts: a licence or a suspension about to run out, an approval left without a licence, an
automaker's cover changing, a customs release overdue; each acknowledged by each user on their
own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# A licence's alert escalates through these, least urgent first: one alert per licence end.
LICENCE_KINDS = [
    "licence_expiring_30",
    "licence_expiring_7",
    "licence_expiring_1",
    "licence_expired",
]
MEASURE_KINDS = ["suspension_ending", "suspension_lapsed"]
APPROVAL_KINDS = ["approval_licence_expired"]
AUTOMAKER_KINDS = ["automaker_status_changed"]
RELEASE_KINDS = ["release_overdue"]


class Alert(models.Model):
    """One alert, raised once for its kind, its subject and the date it concerns."""

    class Kind(models.TextChoices):
        LICENCE_EXPIRING_30 = "licence_expiring_30", "Licence expires within 30 days"
        LICENCE_EXPIRING_7 = "licence_expiring_7", "Licence expires within 7 days"
        LICENCE_EXPIRING_1 = "licence_expiring_1", "Licence expires within 1 day"
        LICENCE_EXPIRED = "licence_expired", "Licence expired"
        SUSPENSION_ENDING = "suspension_ending", "Suspension ends within 30 days"
        SUSPENSION_LAPSED = "suspension_lapsed", "Suspension ended"
        APPROVAL_LICENCE_EXPIRED = "approval_licence_expired", "Approval's licence expired"
        AUTOMAKER_STATUS_CHANGED = "automaker_status_changed", "Automaker's cover changed"
        RELEASE_OVERDUE = "release_overdue", "Customs release overdue"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    licence = models.ForeignKey(
        "licensing.Licence", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    control_measure = models.ForeignKey(
        "licensing.ControlMeasure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    approval = models.ForeignKey(
        "licensing.Approval", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    automaker = models.ForeignKey(
        "licensing.Automaker",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    # The code of the series whose release is overdue: a code, not a key, as licensing sits
    # below the exports app that keeps the series.
    series = models.SlugField(max_length=60, blank=True)
    # The date the alert is about (a licence's valid_until, a suspension's last day, the day an
    # automaker's status changed, the last day a release was due): a licence renewed to a later
    # date is a new subject.
    concerns_on = models.DateField()
    message = models.CharField(max_length=500)
    raised_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "-created_at", "-id"]
        # The list's order, and the week's alerts counted on every page's badge.
        indexes = [
            models.Index(fields=["-raised_on", "-created_at", "-id"], name="alert_newest_first")
        ]
        constraints = [
            # The subject of each kind is never null, so these make each alert exist once even
            # when two workers raise it at the same moment.
            models.UniqueConstraint(
                fields=["licence", "concerns_on"],
                condition=Q(kind__in=LICENCE_KINDS),
                name="alert_once_per_licence_end",
            ),
            models.UniqueConstraint(
                fields=["kind", "control_measure", "concerns_on"],
                condition=Q(kind__in=MEASURE_KINDS),
                name="alert_once_per_measure",
            ),
            models.UniqueConstraint(
                fields=["kind", "approval", "concerns_on"],
                condition=Q(kind__in=APPROVAL_KINDS),
                name="alert_once_per_approval",
            ),
            models.UniqueConstraint(
                fields=["kind", "automaker", "concerns_on"],
                condition=Q(kind__in=AUTOMAKER_KINDS),
                name="alert_once_per_automaker_change",
            ),
            models.UniqueConstraint(
                fields=["kind", "series", "concerns_on"],
                condition=Q(kind__in=RELEASE_KINDS),
                name="alert_once_per_release",
            ),
            models.CheckConstraint(
                name="alert_has_its_subject",
                condition=Q(kind__in=LICENCE_KINDS, licence__isnull=False)
                | Q(kind__in=MEASURE_KINDS, control_measure__isnull=False)
                | Q(kind__in=APPROVAL_KINDS, approval__isnull=False)
                | Q(kind__in=AUTOMAKER_KINDS, automaker__isnull=False)
                | (Q(kind__in=RELEASE_KINDS) & ~Q(series="")),
            ),
        ]

    def __str__(self) -> str:
        return self.message


class AlertSubscription(models.Model):
    """Whether a user wants the daily e-mail digest of new alerts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscription"
    )
    email_digest = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user}: {'digest' if self.email_digest else 'no digest'}"


class AlertAcknowledgement(models.Model):
    """A user has seen an alert and dealt with it; others still see it as new."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="acknowledged_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.alert}"
