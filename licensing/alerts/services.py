"""Raising alerts and e-mailing the digest of new ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from core.formatting import day_in_words
from licensing.alerts.models import LICENCE_KINDS, Alert, AlertSubscription
from licensing.alerts.signals import alert_candidates_wanted
from licensing.cover import Day, ranks_on, status_of
from licensing.models import Approval, Automaker, ControlMeasure, Licence
from licensing.selectors import (
    licences_ended,
    licences_expiring,
)
from licensing.states import State, state_on

EXPIRY_THRESHOLDS = {
    30: Alert.Kind.LICENCE_EXPIRING_30,
    7: Alert.Kind.LICENCE_EXPIRING_7,
    1: Alert.Kind.LICENCE_EXPIRING_1,
}
SUSPENSION_WARNING_DAYS = 30
ANNOUNCEMENT_NUMBER = re.compile(r"Announcement No\. ?(\d+)")


@dataclass(frozen=True)
class Candidate:
    kind: str
    concerns_on: date
    message: str
    licence: Licence | None = None
    control_measure: ControlMeasure | None = None
    approval: Approval | None = None
    automaker: Automaker | None = None
    series: str = ""  # a series' code


def _short_name(measure: ControlMeasure) -> str:
    match = ANNOUNCEMENT_NUMBER.search(measure.reference)
    return f"Announcement No. {match.group(1)}" if match else measure.reference


def _number_order(measure: ControlMeasure) -> tuple[int, str]:
    match = ANNOUNCEMENT_NUMBER.search(measure.reference)
    return (int(match.group(1)) if match else 0, measure.reference)


def _numbers(measures: list[ControlMeasure]) -> str:
    """Nos. 57, 61 and 62, or the references of measures without a number."""
    numbers = [ANNOUNCEMENT_NUMBER.search(m.reference) for m in measures]
    if all(numbers):
        names = [match.group(1) for match in numbers]
        prefix = "No. " if len(names) == 1 else "Nos. "
    else:
        names, prefix = [m.reference for m in measures], ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return prefix + listed


def _licence_candidates(on: date) -> list[Candidate]:
    """Each issued licence that ends within 30 days, at its most urgent threshold, and each
    that ended in the last 30 days (expired)."""
    within = max(EXPIRY_THRESHOLDS)
    licences = licences_expiring(within_days=within, on=on).select_related("exporter")
    candidates = []
    for licence in licences:
        left = (licence.valid_until - on).days
        kind = next(kind for days, kind in sorted(EXPIRY_THRESHOLDS.items()) if left <= days)
        when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
        message = f"{licence} expires {when}, on {day_in_words(licence.valid_until)}."
        candidates.append(Candidate(kind, licence.valid_until, message, licence=licence))
    for licence in licences_ended(on=on, within_days=within).select_related("exporter"):
        message = f"{licence} expired: its validity ended on {day_in_words(licence.valid_until)}."
        candidates.append(
            Candidate(Alert.Kind.LICENCE_EXPIRED, licence.valid_until, message, licence=licence)
        )
    return candidates


def _pause_end(measure: ControlMeasure) -> date | None:
    """The end of the measure's pause now in question: an extension's, else the suspension's."""
    if measure.outcome == ControlMeasure.Outcome.EXTENDED:
        return measure.extended_until
    return measure.pause_ends_on


def _measure_candidates(on: date) -> list[Candidate]:
    # A suspension announcement speaks for the measures it suspends (No. 70 for Nos. 56, 57, 61
    # and 62); a measure suspended on its own speaks for itself. After the end, the alert says
    # what is known (licensing.states): nobody may yet have recorded whether it lapsed.
    horizon = on + timedelta(days=SUSPENSION_WARNING_DAYS)
    measures = (
        ControlMeasure.objects.filter(suspended_by__isnull=True)
        .filter(
            Q(in_force_until__isnull=False, kind=ControlMeasure.Kind.SUSPENSION)
            | Q(suspended_until__isnull=False)
        )
        .prefetch_related("suspends")
    )
    candidates = []
    for measure in measures:
        ends = _pause_end(measure)
        if ends is None or ends > horizon:
            continue
        suspended = sorted(measure.suspends.all(), key=_number_order)
        if measure.kind == ControlMeasure.Kind.SUSPENSION:
            subject = f"{_short_name(measure)}'s suspension"
        else:
            subject = f"The suspension of {_short_name(measure)}"
        them = _numbers(suspended) if suspended else None
        plural = len(suspended) > 1
        if ends >= on:
            tail = f": {them} come{'' if plural else 's'} back into force unless it is extended."
            message = f"{subject} ends on {day_in_words(ends)}{tail if them else '.'}"
            candidates.append(
                Candidate(Alert.Kind.SUSPENSION_ENDING, ends, message, control_measure=measure)
            )
            continue
        state = state_on(measure, on)
        if state.state == State.AWAITING_CONFIRMATION:
            message = (
                f"{subject} ended on {day_in_words(ends)} and nobody has recorded whether it was "
                "extended or lapsed"
                + (f": {them} {'are' if plural else 'is'} awaiting confirmation." if them else ".")
            )
        elif state.state in (State.ENDED, State.IN_FORCE) and measure.outcome == "lapsed":
            again = f": {them} {'are' if plural else 'is'} in force again." if them else "."
            message = f"{subject} lapsed on {day_in_words(ends)}{again}"
        else:
            continue
        candidates.append(
            Candidate(Alert.Kind.SUSPENSION_LAPSED, ends, message, control_measure=measure)
        )
    return candidates


def _approval_candidates(on: date) -> list[Candidate]:
    approvals = Approval.objects.select_related("automaker", "licence__exporter").filter(
        Q(licence__valid_until__lt=on) | Q(licence__status=Licence.Status.EXPIRED),
        status=Approval.Status.APPROVED,
        licence__isnull=False,
        licence__valid_until__isnull=False,
    )
    return [
        Candidate(
            Alert.Kind.APPROVAL_LICENCE_EXPIRED,
            approval.licence.valid_until,
            f"{approval.automaker}'s approval rests on {approval.licence}, "
            f"which expired on {day_in_words(approval.licence.valid_until)}.",
            licence=approval.licence,
            approval=approval,
        )
        for approval in approvals
    ]


def _automaker_candidates(on: date) -> list[Candidate]:
    """Each automaker whose status on `on` differs from the day before's."""
    before, after = ranks_on([Day(on - timedelta(days=1)), Day(on)])
    changed = [pk for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)]
    candidates = []
    for row in Automaker.objects.filter(pk__in=changed).order_by("name"):
        was, now = status_of(before.get(row.pk)), status_of(after.get(row.pk))
        yesterday = day_in_words(on - timedelta(days=1))
        message = (
            f"{row.name}: {was.label.lower()} until {yesterday}, "
            f"{now.label.lower()} from {day_in_words(on)}."
        )
        candidates.append(
            Candidate(Alert.Kind.AUTOMAKER_STATUS_CHANGED, on, message, automaker=row)
        )
    return candidates


def _candidates_of_other_apps(on: date) -> list[Candidate]:
    """What the apps that know other conditions raise (the dashboards: releases overdue)."""
    found = []
    for _, candidates in alert_candidates_wanted.send(sender=Alert, on=on):
        found.extend(candidates)
    return found


def _escalated(candidate: Candidate, on: date) -> Alert | None:
    """The licence's alert for this end, raised or escalated to the candidate's kind (and so
    new to everyone again); None when it already is at that kind or a more urgent one."""
    # get_or_create retries the read when a concurrent insert wins on the unique constraint.
    alert, created = Alert.objects.select_for_update().get_or_create(
        kind__in=LICENCE_KINDS,
        licence=candidate.licence,
        concerns_on=candidate.concerns_on,
        defaults={"kind": candidate.kind, "message": candidate.message, "raised_on": on},
    )
    if created:
        return alert
    if LICENCE_KINDS.index(alert.kind) >= LICENCE_KINDS.index(candidate.kind):
        return None
    alert.kind, alert.message, alert.raised_on = candidate.kind, candidate.message, on
    alert.save(update_fields=["kind", "message", "raised_on"])
    alert.acknowledgements.all().delete()
    return alert


@transaction.atomic
def alerts_raise(*, on: date) -> list[Alert]:
    """Record every alert whose condition holds on `on`, escalating a licence's alert as its end
    nears; return those new or escalated."""
    raised = []
    for candidate in _licence_candidates(on):
        alert = _escalated(candidate, on)
        if alert is not None:
            raised.append(alert)
    candidates = (
        _measure_candidates(on)
        + _approval_candidates(on)
        + _automaker_candidates(on)
        + _candidates_of_other_apps(on)
    )
    for candidate in candidates:
        # get_or_create retries the read when a concurrent insert wins on the unique constraint.
        alert, created = Alert.objects.get_or_create(
            kind=candidate.kind,
            licence=candidate.licence,
            control_measure=candidate.control_measure,
            approval=candidate.approval,
            automaker=candidate.automaker,
            series=candidate.series,
            concerns_on=candidate.concerns_on,
            defaults={"message": candidate.message, "raised_on": on},
        )
        if created:
            raised.append(alert)
    return raised


@transaction.atomic
def alert_subscription_set(*, user, email_digest: bool) -> AlertSubscription:
    """Record whether the user wants the e-mail digest of new alerts."""
    subscription, _ = AlertSubscription.objects.update_or_create(
        user=user, defaults={"email_digest": email_digest}
    )
    return subscription


def alert_digest_recipients() -> list[str]:
    """The addresses of active users who opted in to the digest and may read alerts."""
    users = (
        get_user_model()
        .objects.filter(alert_subscription__email_digest=True, is_active=True)
        .exclude(email="")
    )
    return [user.email for user in users if user.has_perm("licensing.view_alert")]


def alerts_digest_send(*, alerts: list[Alert]) -> int:
    """E-mail the new alerts to each subscriber, one message each; return how many were sent."""
    if not alerts:
        return 0
    subject = f"RareGate: {len(alerts)} new alert{'s' if len(alerts) != 1 else ''}"
    body = "\n".join(f"- {alert.message}" for alert in alerts)
    sent = 0
    for address in alert_digest_recipients():
        sent += send_mail(subject, body, None, [address])
    return sent
