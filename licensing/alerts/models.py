"""Alerts: a licence or a suspension about to run out, or an approval left without a licence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

LICENCE_KINDS = ["licence_expiring_30", "licence_expiring_7", "licence_expiring_1"]
MEASURE_KINDS = ["suspension_ending", "suspension_lapsed"]
APPROVAL_KINDS = ["approval_licence_expired"]


class Alert(models.Model):
    """One alert, raised once for its kind, its subject and the date it concerns."""

    class Kind(models.TextChoices):
        LICENCE_EXPIRING_30 = "licence_expiring_30", "Licence expires within 30 days"
        LICENCE_EXPIRING_7 = "licence_expiring_7", "Licence expires within 7 days"
        LICENCE_EXPIRING_1 = "licence_expiring_1", "Licence expires within 1 day"
        SUSPENSION_ENDING = "suspension_ending", "Suspension ends within 30 days"
        SUSPENSION_LAPSED = "suspension_lapsed", "Suspension lapsed"
        APPROVAL_LICENCE_EXPIRED = "approval_licence_expired", "Approval's licence expired"

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
    # The date the alert is about (a licence's valid_until, a suspension's last day): a licence
    # renewed to a later date is a new subject for its next expiry alerts.
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
                fields=["kind", "licence", "concerns_on"],
                condition=Q(kind__in=LICENCE_KINDS),
                name="alert_once_per_licence",
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
            models.CheckConstraint(
                name="alert_has_its_subject",
                condition=Q(kind__in=LICENCE_KINDS, licence__isnull=False)
                | Q(kind__in=MEASURE_KINDS, control_measure__isnull=False)
                | Q(kind__in=APPROVAL_KINDS, approval__isnull=False),
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
