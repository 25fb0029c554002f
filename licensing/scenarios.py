"""Cover over time and cover under a hypothesis: an automaker's timeline of statuses, and what
losing a licence would do. Both ask the one rule (licensing.cover)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from licensing.cover import Day, ranks_on, status_of, statuses_on
from licensing.models import Approval, Automaker, Licence, LicenceTransition
from licensing.selectors import (
    COVERING,
    CoverStatus,
    candidate_ids,
    claims_on,
    licences_behind,
    supply_chain_of,
)

DAY = timedelta(days=1)
# The longest timeline asked for at once, in days.
TIMELINE_MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Change:
    on: date
    status: CoverStatus


def _change_days(automaker: Automaker, start: date, end: date) -> set[date]:
    """The days in (start, end] on which the automaker's status can change: a claim made or
    passing the horizon, a licence it may rest on beginning, nearing its end, ending or
    changing status, a supply link into it beginning or ending."""
    claims = list(Approval.objects.filter(automaker=automaker, claimed_on__lte=end))
    horizon = timedelta(days=settings.CLAIM_HORIZON_DAYS)
    days = {claim.claimed_on for claim in claims}
    days |= {claim.claimed_on + horizon + DAY for claim in claims}
    licence_ids = licences_behind(claims, [start, end])  # the supply links of both ends
    warning = timedelta(days=settings.EXPIRY_WARNING_DAYS)
    ends = Licence.objects.filter(pk__in=licence_ids).exclude(valid_until=None)
    for valid_from, valid_until in ends.values_list("valid_from", "valid_until"):
        days |= {valid_from, valid_until - warning, valid_until + DAY}
    transitions = LicenceTransition.objects.filter(licence__in=licence_ids)
    days |= set(transitions.values_list("effective_on", flat=True))
    for link in supply_chain_of(automaker.pk):
        days |= {link.valid_from, link.valid_until and link.valid_until + DAY}
    return {day for day in days if day is not None and start < day <= end}


def timeline(automaker: Automaker, start: date, end: date) -> list[Change]:
    """The automaker's status on `start` and on each later day up to `end` that it changes."""
    days = [start, *sorted(_change_days(automaker, start, end))]
    changes: list[Change] = []
    for day, status in statuses_on(automaker.pk, days).items():
        if not changes or status != changes[-1].status:
            changes.append(Change(day, status))
    return changes


@dataclass(frozen=True)
class Loss:
    automaker: Automaker
    status_before: CoverStatus
    status_after: CoverStatus
    on: date
    # The claims whose cover ran through the licence (or its renewals) the day before.
    through: list[Approval]


class Event:
    NOT_RENEWED = "not_renewed"
    REVOKED = "revoked"
    CHOICES = [(NOT_RENEWED, "Not renewed"), (REVOKED, "Revoked")]


def what_if(licence: Licence, event: str, on: date) -> list[Loss]:
    """The automakers that would lose all cover if the licence were not renewed (from the day
    after it ends, its recorded renewals left out) or revoked (from `on`, with its renewals):
    those whose every covering path runs through it, by name."""
    renewals = set(
        Licence.objects.filter(Q(renews=licence) | Q(renews__renews=licence)).values_list(
            "pk", flat=True
        )
    )
    if event == Event.NOT_RENEWED:
        before, after, without = licence.valid_until, licence.valid_until + DAY, renewals
    else:
        before, after, without = on, on, renewals | {licence.pk}
    then, now = ranks_on([Day(before), Day(after, frozenset(without))])
    lost = [
        automaker
        for automaker, rank in then.items()
        if rank in COVERING and now.get(automaker) not in COVERING
    ]
    through = _claims_through(lost, {licence.pk} | renewals, before)
    return [
        Loss(
            automaker,
            status_of(then[automaker.pk]),
            status_of(now.get(automaker.pk)),
            after,
            through.get(automaker.pk, []),
        )
        for automaker in Automaker.objects.filter(pk__in=lost).order_by("name")
    ]


def _claims_through(automakers: list[int], licences: set[int], on: date) -> dict:
    """For each automaker (by id), its claims on the date that rest on one of the licences."""
    claims = list(
        claims_on(on, automakers=automakers)
        .select_related("exporter", "importer")
        .order_by("claimed_on", "pk")
    )
    rests_on = candidate_ids(claims, on)
    through: dict[int, list[Approval]] = {}
    for claim in claims:
        if licences & set(rests_on[claim.pk][1]):
            through.setdefault(claim.automaker_id, []).append(claim)
    return through
