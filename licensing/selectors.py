"""Reads of the licensing domain, the derived automaker status among them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

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


def licence_valid_on(on: date, *, via: str = "") -> Q:
    """Issued and within its validity on the date; `via` is the path to the licence
    ("licence__" from an approval). Licence.is_valid_on is the same rule for one licence."""
    bounds = {f"{via}valid_from__lte": on, f"{via}valid_until__gte": on}
    return Q(**{f"{via}status": Licence.Status.ISSUED}, **bounds)


def cover_rank(on: date) -> Case:
    """What one approval says about supply on a date: the RANK of a CoverStatus, or NULL when it
    says nothing (withdrawn). The one rule, in SQL: the status list, one automaker's status and
    an approval's page all read it."""
    valid = licence_valid_on(on, via="licence__")
    warning_ends = on + timedelta(days=settings.EXPIRY_WARNING_DAYS)
    expiring = valid & Q(licence__valid_until__lte=warning_ends)
    return Case(
        When(status=Approval.Status.WITHDRAWN, then=None),
        When(status=Approval.Status.PENDING, then=RANK[CoverStatus.PENDING]),
        When(
            status__in=[Approval.Status.EXCLUDED, Approval.Status.REFUSED],
            then=RANK[CoverStatus.EXCLUDED],
        ),
        # An approval claimed without naming the licence: covered, expiry not known.
        When(licence__isnull=True, then=RANK[CoverStatus.COVERED]),
        When(expiring, then=RANK[CoverStatus.EXPIRING]),
        When(valid, then=RANK[CoverStatus.COVERED]),
        When(
            licence__status__in=[Licence.Status.APPLIED, Licence.Status.UNDER_REVIEW],
            then=RANK[CoverStatus.PENDING],
        ),
        # Issued, but its validity has not begun.
        When(
            licence__status=Licence.Status.ISSUED,
            licence__valid_from__gt=on,
            then=RANK[CoverStatus.PENDING],
        ),
        default=RANK[CoverStatus.EXPIRED],
        output_field=models.IntegerField(),
    )


def cover_status(rank: int | None) -> CoverStatus | None:
    return None if rank is None else CoverStatus(CoverStatus.values[rank])


def approvals_with_cover(on: date) -> QuerySet[Approval]:
    """Approvals, each with `cover_rank` on the date (see cover_rank)."""
    return Approval.objects.annotate(cover_rank=cover_rank(on))


EVIDENCE_RANK_SQL = Case(
    *(When(evidence_grade=grade, then=rank) for grade, rank in EVIDENCE_RANK.items()),
    output_field=models.IntegerField(),
)
GRADE_OF_RANK = {rank: grade for grade, rank in EVIDENCE_RANK.items()}


def status_of(automaker: Automaker, approvals: list[Approval]) -> AutomakerStatus:
    """One automaker's status from its approvals, fetched from approvals_with_cover()."""
    by_rank: dict[int, list[Approval]] = {}
    for approval in approvals:
        if approval.cover_rank is not None:
            by_rank.setdefault(approval.cover_rank, []).append(approval)
    if not by_rank:
        return AutomakerStatus(automaker, CoverStatus.NO_INFORMATION, approval_count=len(approvals))
    rank = min(by_rank)
    basis = by_rank[rank]
    expiries = [a.licence.valid_until for a in basis if a.licence and a.licence.valid_until]
    strongest = max(basis, key=lambda a: EVIDENCE_RANK[a.evidence_grade]).evidence_grade
    return AutomakerStatus(
        automaker=automaker,
        status=CoverStatus.values[rank],
        earliest_expiry=min(expiries) if expiries else None,
        strongest_evidence=strongest,
        approval_count=len(approvals),
        basis=basis,
    )


def automakers_with_status(*, on: date | None = None) -> QuerySet[Automaker]:
    """Every automaker with its derived status on a date (today by default), in SQL.

    Each carries `status_rank` (the RANK of its status), `earliest_expiry` and `strongest_rank`
    (over the approvals that give the status) and `approval_count`; status_row() reads them.
    """
    on = on or today()
    saying = approvals_with_cover(on).filter(automaker=OuterRef("pk")).order_by()
    best_rank = (
        saying.filter(cover_rank__isnull=False)
        .values("automaker")
        .annotate(rank=Min("cover_rank"))
        .values("rank")
    )
    basis = saying.filter(cover_rank=OuterRef("best_rank")).values("automaker")
    count = (
        Approval.objects.filter(automaker=OuterRef("pk"))
        .order_by()
        .values("automaker")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Automaker.objects.annotate(best_rank=Subquery(best_rank)).annotate(
        status_rank=Coalesce("best_rank", RANK[CoverStatus.NO_INFORMATION]),
        earliest_expiry=Subquery(
            basis.annotate(expiry=Min("licence__valid_until")).values("expiry")
        ),
        strongest_rank=Subquery(basis.annotate(rank=Max(EVIDENCE_RANK_SQL)).values("rank")),
        approval_count=Coalesce(Subquery(count), 0),
    )


# The sorts of the automaker list (page and API): ascending is the best status and the strongest
# evidence first; blanks always last; ties by name.
AUTOMAKER_SORTS: dict[str, F | Lower] = {
    "name": Lower("name"),
    "country": F("country"),
    "status": F("status_rank"),
    "earliest_expiry": F("earliest_expiry"),
    "evidence": F("strongest_rank"),
    "approvals": F("approval_count"),
}
_DESCENDING_FIRST = {"evidence"}


def automakers_listed(
    automakers: QuerySet[Automaker], *, status: str = "", sort: str = "name"
) -> QuerySet[Automaker]:
    """`automakers` (from automakers_with_status) as the list shows them, page and API alike:
    only those with `status` when one is given, sorted by an AUTOMAKER_SORTS key ("-" first
    to reverse it)."""
    if status:
        automakers = automakers.filter(status_rank=RANK[status])
    key = sort.lstrip("-")
    descending = sort.startswith("-") != (key in _DESCENDING_FIRST)
    expression = AUTOMAKER_SORTS[key]
    order = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return automakers.order_by(order, Lower("name"), "pk")


def automaker_status_counts(automakers: QuerySet[Automaker]) -> dict[str, int]:
    """How many of `automakers` (from automakers_with_status) have each status."""
    counts = automakers.order_by().values("status_rank").annotate(count=Count("id"))
    found = {CoverStatus.values[row["status_rank"]]: row["count"] for row in counts}
    return {status: found.get(status, 0) for status in CoverStatus.values}


def status_row(automaker: Automaker) -> AutomakerStatus:
    """The AutomakerStatus of one automaker fetched from automakers_with_status()."""
    rank = automaker.strongest_rank
    return AutomakerStatus(
        automaker=automaker,
        status=CoverStatus.values[automaker.status_rank],
        earliest_expiry=automaker.earliest_expiry,
        strongest_evidence="" if rank is None else GRADE_OF_RANK[rank],
        approval_count=automaker.approval_count,
    )


def automaker_status(*, automaker: Automaker, on: date | None = None) -> AutomakerStatus:
    """One automaker's derived status, with the approvals behind it."""
    approvals = approvals_with_cover(on or today()).select_related(
        "licence", "licence__exporter", "exporter", "importer"
    )
    return status_of(automaker, list(approvals.filter(automaker=automaker)))


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
        licence_valid_on(on), valid_until__lte=on + timedelta(days=within_days)
    )
