"""Reads of the licensing domain, the derived automaker status among them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from licensing.cache import licensing_version
from licensing.models import EVIDENCE_RANK, Approval, Automaker, ControlMeasure, Licence


class CoverStatus(models.TextChoices):
    """The derived status of an automaker's supply, best first."""

    COVERED = "covered", "Covered"
    EXPIRING = "expiring", "Expiring"
    PENDING = "pending", "Pending"
    EXPIRED = "expired", "Expired"
    EXCLUDED = "excluded", "Excluded"
    NO_INFORMATION = "no_information", "No information"


RANK = {status: rank for rank, status in enumerate(CoverStatus.values)}


@dataclass
class AutomakerStatus:
    automaker: Automaker
    status: str
    earliest_expiry: date | None = None
    strongest_evidence: str = ""
    approval_count: int = 0
    # The approvals that give the status (a subset of the automaker's approvals).
    basis: list[Approval] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return CoverStatus(self.status).label

    @property
    def strongest_evidence_label(self) -> str:
        if not self.strongest_evidence:
            return ""
        return Approval.EvidenceGrade(self.strongest_evidence).label


def today() -> date:
    return timezone.localdate()


def approval_cover_status(approval: Approval, on: date) -> str | None:
    """What one approval says about supply on a date; None when it says nothing (withdrawn)."""
    if approval.status == Approval.Status.WITHDRAWN:
        return None
    if approval.status == Approval.Status.PENDING:
        return CoverStatus.PENDING
    if approval.status in (Approval.Status.EXCLUDED, Approval.Status.REFUSED):
        return CoverStatus.EXCLUDED
    licence = approval.licence
    if licence is None:
        # An approval claimed without naming the licence: covered, expiry not known.
        return CoverStatus.COVERED
    if licence.is_valid_on(on):
        return CoverStatus.EXPIRING if licence.is_expiring_on(on) else CoverStatus.COVERED
    if licence.status in (Licence.Status.APPLIED, Licence.Status.UNDER_REVIEW):
        return CoverStatus.PENDING
    if licence.status == Licence.Status.ISSUED and licence.valid_from and on < licence.valid_from:
        return CoverStatus.PENDING
    return CoverStatus.EXPIRED


def status_of(automaker: Automaker, approvals: list[Approval], on: date) -> AutomakerStatus:
    """Derive one automaker's status from its approvals (already fetched with their licences)."""
    by_status: dict[str, list[Approval]] = {}
    for approval in approvals:
        cover = approval_cover_status(approval, on)
        if cover is not None:
            by_status.setdefault(cover, []).append(approval)
    if not by_status:
        return AutomakerStatus(automaker, CoverStatus.NO_INFORMATION, approval_count=len(approvals))
    status = min(by_status, key=RANK.__getitem__)
    basis = by_status[status]
    expiries = [a.licence.valid_until for a in basis if a.licence and a.licence.valid_until]
    strongest = max(basis, key=lambda a: EVIDENCE_RANK[a.evidence_grade]).evidence_grade
    return AutomakerStatus(
        automaker=automaker,
        status=status,
        earliest_expiry=min(expiries) if expiries else None,
        strongest_evidence=strongest,
        approval_count=len(approvals),
        basis=basis,
    )


def _approvals_with_licences() -> QuerySet[Approval]:
    return Approval.objects.select_related("licence", "licence__exporter", "exporter", "importer")


def automaker_licence_status(
    *, on: date | None = None, status: str | None = None
) -> list[AutomakerStatus]:
    """Every automaker's derived status on a date (today by default), optionally one status only.

    Cached until the next licensing change; the rows carry no `basis` (automaker_status has it).
    """
    on = on or today()
    key = f"licensing:automaker-status:l{licensing_version()}:{on.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        # Only what the status needs: thousands of approvals are read at each licensing change.
        lean = Approval.objects.select_related("licence").only(
            "automaker_id",
            "status",
            "evidence_grade",
            "licence__status",
            "licence__valid_from",
            "licence__valid_until",
        )
        automakers = Automaker.objects.prefetch_related(Prefetch("approvals", queryset=lean))
        rows = [status_of(a, list(a.approvals.all()), on) for a in automakers]
        for row in rows:
            row.basis = []
            # Cache the automaker alone, not the approvals prefetched into it.
            row.automaker._prefetched_objects_cache = {}
        cache.set(key, rows, 3600)
    if status:
        rows = [row for row in rows if row.status == status]
    return rows


def automaker_status(*, automaker: Automaker, on: date | None = None) -> AutomakerStatus:
    """One automaker's derived status, with the approvals behind it."""
    approvals = list(_approvals_with_licences().filter(automaker=automaker))
    return status_of(automaker, approvals, on or today())


def normalise_hs_code(code: str) -> str:
    """'850511', '8505.11' and '8505 11' all name HS 8505.11."""
    digits = re.sub(r"\D", "", code)
    return f"{digits[:4]}.{digits[4:]}" if len(digits) > 4 else digits


def measures_in_force(
    *, on: date | None = None, element: str | None = None, hs_code: str | None = None
) -> QuerySet[ControlMeasure]:
    """The control measures in force on a date: effective by then, not ended, not suspended.

    With `element` (a symbol) or `hs_code`, only the measures that name it.
    """
    on = on or today()
    suspended = Q(suspended_from__lte=on) & (
        Q(suspended_until__isnull=True) | Q(suspended_until__gte=on)
    )
    measures = (
        ControlMeasure.objects.filter(effective_from__lte=on)
        .exclude(suspended)
        .exclude(in_force_until__lt=on)
    )
    if element:
        measures = measures.filter(elements__symbol__iexact=element)
    if hs_code:
        measures = measures.filter(hs_codes__code=normalise_hs_code(hs_code))
    return measures.distinct().prefetch_related("elements", "hs_codes")


def licences_expiring(*, within_days: int, on: date | None = None) -> QuerySet[Licence]:
    """Issued licences valid on the date whose validity ends within the given number of days."""
    on = on or today()
    return Licence.objects.filter(
        status=Licence.Status.ISSUED,
        valid_from__lte=on,
        valid_until__gte=on,
        valid_until__lte=on + timedelta(days=within_days),
    )
