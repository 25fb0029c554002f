"""Reads of the licensing domain, the derived automaker status among them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Lower, NullIf, RowNumber
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.db.models.sql.constants import LOUTER
from django.utils import timezone
from django_cte import CTE, with_cte

from licensing.models import (
    EVIDENCE_RANK,
    Approval,
    Automaker,
    ControlMeasure,
    Importer,
    Licence,
    LicenceParty,
    LicenceTransition,
    SupplyLink,
)


class CoverStatus(models.TextChoices):
    """The derived status of an automaker's supply on a date, best first (see README, "Cover")."""

    COVERED = "covered", "Covered"
    EXPIRING = "expiring", "Expiring"
    PARTIALLY_COVERED = "partially_covered", "Partially covered"
    PENDING = "pending", "Pending"
    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    EXPIRED = "expired", "Expired"
    EXCLUDED = "excluded", "Excluded"
    NO_INFORMATION = "no_information", "No information"


RANK = {status: rank for rank, status in enumerate(CoverStatus.values)}
# The statuses of a claim whose licences cover the automaker on the date.
COVERING = [
    RANK[CoverStatus.COVERED],
    RANK[CoverStatus.EXPIRING],
    RANK[CoverStatus.PARTIALLY_COVERED],
]


@dataclass
class AutomakerStatus:
    automaker: Automaker
    status: str
    cover_until: date | None = None
    strongest_evidence: str = ""
    approval_count: int = 0
    # The claims that give the status: the newest of each scope made by the date, each with
    # its `cover_rank` and `cover_until` (a subset of the automaker's approvals).
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


def _inner(on: date | OuterRef) -> date | OuterRef:
    """A date given to a licence query as seen from a subquery of it."""
    return OuterRef(on) if isinstance(on, OuterRef) else on


def licence_status_on(on: date | OuterRef) -> Coalesce:
    """A licence's status on a date, from its dated changes: that of the last change in effect
    by then; before its first change, the status that change left; with none, its recorded
    status. Licence.status_on is the same rule for one licence."""
    changes = LicenceTransition.objects.filter(licence=OuterRef("pk"))
    last = changes.filter(effective_on__lte=_inner(on)).order_by("-effective_on", "-pk")
    first = changes.order_by("effective_on", "pk")
    return Coalesce(
        Subquery(last.values("status")[:1]),
        Subquery(first.values("from_status")[:1]),
        F("status"),
        output_field=models.CharField(),
    )


def licence_valid_on(on: date | OuterRef) -> Q:
    """Issued on the date (see licence_status_on) and within its validity; for a query of
    licences. Licence.is_valid_on is the same rule for one licence."""
    # Most licences have no dated change: for them the recorded status is the answer, which
    # the planner can estimate and index (licence_status_by_end).
    changed = Exists(LicenceTransition.objects.filter(licence=OuterRef("pk")))
    issued = Q(~Q(changed), status=Licence.Status.ISSUED) | Q(
        changed, Exact(licence_status_on(on), Licence.Status.ISSUED)
    )
    return Q(issued, valid_from__lte=on, valid_until__gte=on)


def licences_due(on: date) -> QuerySet[Licence]:
    """The licences whose recorded status is not their status on the date, or that are issued
    past their end (see services.licences_apply_due)."""
    past_end = Q(status=Licence.Status.ISSUED, valid_until__lt=on)
    return (
        Licence.objects.alias(status_then=licence_status_on(on))
        .filter(~Q(status=F("status_then")) | past_end)
        .prefetch_related("transitions")
    )


EVIDENCE_RANK_SQL = Case(
    *(When(evidence_grade=grade, then=rank) for grade, rank in EVIDENCE_RANK.items()),
    output_field=models.IntegerField(),
)
GRADE_OF_RANK = {rank: grade for grade, rank in EVIDENCE_RANK.items()}


def _newest_claims(on: date, automaker: int | None = None) -> CTE:
    """The ids of the newest claim of each scope made by the date. A scope is the automaker and
    the exporter and importer the claim names (or does not name); the newest is the latest
    claimed, on the same day the strongest evidence, then the last recorded."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("automaker"), Coalesce("exporter", 0), Coalesce("importer", 0)],
        order_by=[F("claimed_on").desc(), EVIDENCE_RANK_SQL.desc(), F("pk").desc()],
    )
    made = Approval.objects.filter(claimed_on__lte=on)
    if automaker is not None:
        made = made.filter(automaker=automaker)
    made = made.annotate(place=newest_first)
    return CTE(made.filter(place=1).order_by().values("id"), name="newest_claim")


def _last_end(licences: QuerySet[Licence]) -> Subquery:
    return Subquery(licences.order_by("-valid_until").values("valid_until")[:1])


def link_valid_on(on: date, via: str = "") -> Q:
    """A supply link (through `via`, a path from the query's model) running on the date; an
    open end is not known to have ended."""
    starts = Q(**{f"{via}valid_from__isnull": True}) | Q(**{f"{via}valid_from__lte": on})
    ends = Q(**{f"{via}valid_until__isnull": True}) | Q(**{f"{via}valid_until__gte": on})
    return starts & ends


# From a link into an automaker, the links into its supplying importer, one and two steps up.
_UPSTREAM = ["", "supplier_importer__supplied_by__", "supplier_importer__supplied_by__" * 2]


def _supplier_paths(on: date) -> list[QuerySet[SupplyLink]]:
    """Which exporters supply which automakers on the date, as `automaker` and `exporter`:
    directly, through an importer, or through two; each path's links running on the date."""
    paths = []
    for depth, via in enumerate(_UPSTREAM):
        running = [link_valid_on(on, "".join(_UPSTREAM[1 : step + 1])) for step in range(depth + 1)]
        paths.append(
            SupplyLink.objects.filter(
                *running,
                customer_automaker__isnull=False,
                **{f"{via}supplier_exporter__isnull": False},
            ).values(automaker=F("customer_automaker"), exporter=F(f"{via}supplier_exporter"))
        )
    return paths


def _supplier_pairs(on: date) -> CTE:
    """_supplier_paths as one table, read once by a query over many claims."""
    paths = [path.order_by() for path in _supplier_paths(on)]
    return CTE(paths[0].union(*paths[1:]), name="supplier_pair")


def _suppliers_of(automaker: int, on: date) -> set[int]:
    """The exporters (ids) that supply the automaker on the date (see _supplier_paths)."""
    paths = (path.filter(customer_automaker=automaker) for path in _supplier_paths(on))
    return {exporter for path in paths for exporter in path.values_list("exporter", flat=True)}


LINK_RELATED = ["supplier_exporter", "supplier_importer", "customer_importer", "customer_automaker"]


def supply_chain_of(automaker_id: int) -> list[SupplyLink]:
    """The links into an automaker and, for each importer on the way, the links into it (as
    far up as _supplier_paths looks): its supply chain as recorded, any date."""
    links = SupplyLink.objects.select_related(*LINK_RELATED)
    found = list(links.filter(customer_automaker=automaker_id))
    upstream = {link.supplier_importer_id for link in found} - {None}
    for _ in _UPSTREAM[1:]:
        more = list(links.filter(customer_importer__in=upstream)) if upstream else []
        found += more
        upstream = {link.supplier_importer_id for link in more} - {None}
    return found


def supplies(importer: Importer, automaker_id: int, *, on: date | None) -> bool:
    """Whether a supply link from the importer to the automaker runs on the date."""
    links = SupplyLink.objects.filter(supplier_importer=importer, customer_automaker=automaker_id)
    return links.filter(link_valid_on(on)).exists() if on else links.exists()


TIERS = ["licence", "exporter", "suppliers", "in force"]


def _candidate_tier(
    tier: str, *, licence, exporter, importer, kind, claimed_on, automaker, suppliers
) -> list[QuerySet[Licence]]:
    """The licences a claim may rest on, by what it names (the TIERS, first that applies): its
    licence and the licences that renew it (and their renewals); else the licences of the
    claimed kind (any kind when it names none) held by its exporter; else those held by the
    exporters that supply its automaker on the date (supply links); else every licence of that
    kind in force on the claim's date, and their renewals. Given values (one claim) or
    OuterRefs (claims in SQL); `suppliers` the exporters that supply the automaker (ids, or a
    query of them); `kind` None is any kind.

    A tier is a list of parts, its licences those of any part: kept apart, each part reads an
    index (one query with OR would read every licence for every claim)."""
    licences = Licence.objects
    of_kind = licences.all() if kind is None else licences.filter(kind=kind)
    if tier == "exporter":
        return [of_kind.filter(exporter=exporter)]
    if tier == "suppliers":
        return [of_kind.filter(exporter__in=suppliers)]
    # A renewal, of the same kind, for the parties it names.
    renewal = Q(renews__isnull=False, renews__kind=F("kind")) & _covers_its_parties(
        automaker, importer
    )
    if tier == "licence":
        return [
            licences.filter(pk=licence),
            licences.filter(renewal, renews=licence),
            licences.filter(renewal, renews__renews=licence),
        ]
    renewed_then = Q(renews__valid_from__lte=claimed_on, renews__valid_until__gte=claimed_on)
    return [
        of_kind.filter(licence_valid_on(claimed_on)),
        of_kind.filter(renewal, renewed_then),
    ]


def _covers_its_parties(automaker, importer) -> Q:
    """A licence (a renewal) that names no parties, or names the claim's automaker, its
    importer or an importer that supplies the automaker: a renewal carries a claim on only for
    the parties it names."""
    parties = LicenceParty.objects.filter(licence=OuterRef("pk"))
    automaker, importer = _inner(automaker), _inner(importer)
    named = (
        Q(automaker=automaker)
        | Q(importer=importer)
        | Q(importer__supplies__customer_automaker=automaker)
    )
    return ~Q(Exists(parties)) | Q(Exists(parties.filter(named)))


def _outer_tier(tier: str, pairs: CTE, without: Without, *, any_kind=False) -> list[QuerySet]:
    """A tier of the outer claim, of the kind it names or of any kind; `pairs` from
    _supplier_pairs."""
    parts = _candidate_tier(
        tier,
        licence=OuterRef("licence"),
        exporter=OuterRef("exporter"),
        importer=OuterRef("importer"),
        kind=None if any_kind else OuterRef("licence_kind"),
        claimed_on=OuterRef("claimed_on"),
        automaker=OuterRef("automaker"),
        suppliers=pairs.queryset()
        .filter(automaker=_inner(OuterRef("automaker")))
        .values("exporter"),
    )
    return [part.exclude(pk__in=without) for part in parts] if without else parts


# Licences to leave out, as if they did not exist (what-if), by id.
Without = frozenset[int]
NONE_LEFT_OUT: Without = frozenset()


def _tier_cases(then, without: Without, pairs: CTE, *, tiers=TIERS) -> list[When]:
    """A When for each of the tiers, in order, for a Case over the outer claim; `then` makes
    the value from the parts of a tier's licences. A claim that names no kind has the tiers of
    any kind: a branch of its own, so that a kind is an index condition."""
    unnamed = Q(licence_kind="")
    applies = {
        "licence": Q(licence__isnull=False),
        "exporter": Q(exporter__isnull=False),
        "suppliers": Q(Exists(pairs.queryset().filter(automaker=OuterRef("automaker")))),
        "in force": Q(pk__isnull=False),  # the rest
    }
    cases = []
    for tier in tiers:
        if tier != "licence":
            every = _outer_tier(tier, pairs, without, any_kind=True)
            cases.append(When(unnamed & applies[tier], then=then(every)))
        cases.append(When(applies[tier], then=then(_outer_tier(tier, pairs, without))))
    return cases


@dataclass
class Candidates:
    """What a claim names that its licences come from (a TIERS name), the licences it rests
    on that were fetched (the latest ending first), and how many there are in all."""

    tier: str
    licences: list[Licence]
    count: int


def candidate_ids(claims: list[Approval], on: date) -> dict[int, tuple[str, list[int]]]:
    """For each claim (by id), its tier and the ids of the licences it rests on, the latest
    ending first: a few queries for any number of claims."""
    supplied = {
        automaker: _suppliers_of(automaker, on)
        for automaker in {claim.automaker_id for claim in claims}
    }
    tiers, pairs = {}, []
    for claim in claims:
        if claim.licence_id:
            tier = "licence"
        elif claim.exporter_id:
            tier = "exporter"
        else:
            tier = "suppliers" if supplied[claim.automaker_id] else "in force"
        parts = _candidate_tier(
            tier,
            licence=claim.licence_id,
            exporter=claim.exporter_id,
            importer=claim.importer_id,
            kind=claim.licence_kind or None,
            claimed_on=claim.claimed_on,
            automaker=claim.automaker_id,
            suppliers=supplied[claim.automaker_id],
        )
        tiers[claim.pk] = tier
        pairs += [
            part.order_by()
            .annotate(claim=Value(claim.pk))
            .values_list("claim", "valid_until", "pk")
            for part in parts
        ]
    found = set(pairs[0].union(*pairs[1:], all=True)) if pairs else set()
    latest_first = sorted(found, key=lambda row: (row[1] or date.min, row[2]), reverse=True)
    ids = {pk: [] for pk in tiers}
    for claim_pk, _, licence_pk in latest_first:
        ids[claim_pk].append(licence_pk)
    return {pk: (tiers[pk], ids[pk]) for pk in tiers}


def candidate_licences(
    claims: list[Approval], on: date, *, shown: int = 10
) -> dict[int, Candidates]:
    """For each claim (by id), its Candidates, with at most `shown` licences fetched."""
    found = candidate_ids(claims, on)
    wanted = {pk for _, ids in found.values() for pk in ids[:shown]}
    licences = (
        Licence.objects.select_related("exporter").prefetch_related("transitions").in_bulk(wanted)
    )
    return {
        claim: Candidates(tier, [licences[pk] for pk in ids[:shown]], len(ids))
        for claim, (tier, ids) in found.items()
    }


def claim_cover_until(on: date, without: Without, pairs: CTE) -> Case:
    """The last day the outer claim's candidate licences (see _candidate_tiers) cover, among
    those valid on the date; NULL when none is."""
    valid = Q(licence_valid_on(on))

    def last_end(parts: list[QuerySet[Licence]]):
        return _latest([_last_end(part.filter(valid)) for part in parts])

    return Case(*_tier_cases(last_end, without, pairs), output_field=models.DateField())


# Below every date: GREATEST skips NULLs on PostgreSQL but not on SQLite, so they become this.
_NO_DATE = Value(date.min)


def _latest(ends: list) -> Subquery | NullIf:
    """The latest of the dates, NULL when all are."""
    if len(ends) == 1:
        return ends[0]
    dated = (Coalesce(end, _NO_DATE, output_field=models.DateField()) for end in ends)
    return NullIf(Greatest(*dated, output_field=models.DateField()), _NO_DATE)


def _awaiting_licence(on: date, without: Without, pairs: CTE) -> Case:
    """Whether the licence the outer claim names, or one its exporter holds, is not granted
    or not begun on the date."""
    waiting = Q(status__in=[Licence.Status.APPLIED, Licence.Status.UNDER_REVIEW]) | Q(
        status=Licence.Status.ISSUED, valid_from__gt=on
    )

    def any_waiting(parts: list[QuerySet[Licence]]) -> ExpressionWrapper:
        exists = reduce(or_, (Q(Exists(part.filter(waiting))) for part in parts))
        return ExpressionWrapper(exists, output_field=models.BooleanField())

    named = _tier_cases(any_waiting, without, pairs, tiers=["licence", "exporter"])
    return Case(*named, default=False, output_field=models.BooleanField())


def cover_rank(on: date, col=F) -> Case:
    """What one claim says about supply on the date: the RANK of a CoverStatus, from the
    CLAIM_FACTS of the speaking claims (`col` names one: F inside their CTE)."""
    horizon = on - timedelta(days=settings.CLAIM_HORIZON_DAYS)
    warning_ends = on + timedelta(days=settings.EXPIRY_WARNING_DAYS)
    status, cover_until = col("status"), col("cover_until")
    no_cover = IsNull(cover_until, True)
    return Case(
        When(Exact(status, Approval.Status.PENDING), then=RANK[CoverStatus.PENDING]),
        When(
            In(status, [Approval.Status.EXCLUDED, Approval.Status.REFUSED]),
            then=RANK[CoverStatus.EXCLUDED],
        ),
        # Approved, but no licence it rests on is valid on the date.
        When(no_cover & Exact(col("awaiting_licence"), True), then=RANK[CoverStatus.PENDING]),
        When(no_cover, then=RANK[CoverStatus.EXPIRED]),
        # Covered, but not said again within the horizon.
        When(LessThan(col("claimed_on"), horizon), then=RANK[CoverStatus.UNCONFIRMED]),
        When(LessThanOrEqual(cover_until, warning_ends), then=RANK[CoverStatus.EXPIRING]),
        When(Exact(col("extent"), Approval.Extent.SOME), then=RANK[CoverStatus.PARTIALLY_COVERED]),
        default=RANK[CoverStatus.COVERED],
        output_field=models.IntegerField(),
    )


def _claims_speaking(
    on: date, newest: CTE, pairs: CTE, without: Without = NONE_LEFT_OUT
) -> QuerySet[Approval]:
    """The claims that speak on the date: the newest of each scope made by then (`newest`, from
    _newest_claims), unless withdrawn; each with `evidence_rank`, `cover_until` (see
    claim_cover_until) and `awaiting_licence`, what cover_rank reads. The query must carry the
    CTEs `newest` and `pairs` (_supplier_pairs)."""
    return (
        newest.join(Approval, id=newest.col.id)
        .exclude(status=Approval.Status.WITHDRAWN)
        .annotate(
            evidence_rank=EVIDENCE_RANK_SQL,
            cover_until=claim_cover_until(on, without, pairs),
            awaiting_licence=_awaiting_licence(on, without, pairs),
        )
    )


CLAIM_FACTS = ["id", "automaker", "status", "claimed_on", "extent", "evidence_rank"]
CLAIM_FACTS += ["cover_until", "awaiting_licence"]


def _claim_facts(
    on: date, *, automaker: int | None = None, without: Without = NONE_LEFT_OUT
) -> tuple[CTE, CTE, CTE]:
    """The CTEs of the claims that speak on the date (see _claims_speaking), the last of them
    (`speaking_claim`) with their CLAIM_FACTS, materialised so that each claim's licences are
    read once. With `automaker` (an id), its claims only; with `without`, as if those licences
    did not exist."""
    newest, pairs = _newest_claims(on, automaker), _supplier_pairs(on)
    facts = CTE(
        _claims_speaking(on, newest, pairs, without).order_by().values(*CLAIM_FACTS),
        name="speaking_claim",
        materialized=True,
    )
    return newest, pairs, facts


def claims_on(
    on: date, *, automaker: int | None = None, ctes: tuple[CTE, CTE, CTE] | None = None
) -> QuerySet[Approval]:
    """The claims that speak on the date (see _claims_speaking), of one automaker when given,
    each with its `cover_until`, `evidence_rank` and `cover_rank`; from `ctes` (_claim_facts)
    when given."""
    newest, pairs, facts = ctes or _claim_facts(on, automaker=automaker)
    col = facts.col
    claims = facts.join(Approval, id=col.id).annotate(
        cover_until=col.cover_until,
        evidence_rank=col.evidence_rank,
        cover_rank=cover_rank(on, lambda name: getattr(col, name)),
    )
    return with_cte(newest, pairs, facts, select=claims)


def claim_status(approval: Approval, on: date) -> CoverStatus | None:
    """What one claim says on the date; None when it says nothing (made later, replaced in its
    scope by then, or withdrawn)."""
    claims = claims_on(on, automaker=approval.automaker_id).filter(pk=approval.pk)
    rank = claims.values_list("cover_rank", flat=True).first()
    return cover_status(rank)


def cover_status(rank: int | None) -> CoverStatus | None:
    return None if rank is None else CoverStatus(CoverStatus.values[rank])


def _status_rank(lowest: F, highest: F) -> Case:
    """The automaker's status from the best and the worst of its claims' statuses: all covered
    is covered, covered and expiring is expiring; cover beside anything else (partial cover, a
    supplier excluded, a lapsed path) is partially covered; no cover is the best of the rest
    (pending, then unconfirmed, expired, excluded); no claim is no information."""
    return Case(
        When(IsNull(lowest, True), then=RANK[CoverStatus.NO_INFORMATION]),
        When(GreaterThan(lowest, max(COVERING)), then=lowest),
        When(LessThanOrEqual(highest, RANK[CoverStatus.EXPIRING]), then=highest),
        default=RANK[CoverStatus.PARTIALLY_COVERED],
        output_field=models.IntegerField(),
    )


def automakers_with_status(
    *,
    on: date | None = None,
    automaker: int | None = None,
    without: Without = NONE_LEFT_OUT,
    ctes: tuple[CTE, CTE, CTE] | None = None,
) -> QuerySet[Automaker]:
    """Every automaker with its derived status on a date (today by default), in SQL: the one
    place the rule is applied (list, page, overview, alerts and API all read it).

    Each carries `status_rank` (the RANK of its status), `cover_until` (the day its cover ends:
    the earliest end of its covering claims when fully covered, the latest when partially),
    `strongest_rank` (over the claims that give the status) and `approval_count`; status_row()
    reads them. The claims' licences are read once each, in a materialised CTE.

    With `automaker` (an id), that automaker only; with `without`, as if those licences did
    not exist (what_if); from `ctes` (_claim_facts of the same arguments) when given.
    """
    on = on or today()
    newest, pairs, claims = ctes or _claim_facts(on, automaker=automaker, without=without)
    covering = Q(cover_rank__in=COVERING)
    per_automaker = CTE(
        claims.queryset()
        .annotate(cover_rank=cover_rank(on))
        .order_by()
        .values("automaker")
        .annotate(
            lowest=Min("cover_rank"),
            highest=Max("cover_rank"),
            earliest=Min("cover_until", filter=covering),
            latest=Max("cover_until", filter=covering),
            strongest=Max("evidence_rank"),
        ),
        name="automaker_cover",
    )
    col = per_automaker.col
    status_rank = _status_rank(col.lowest, col.highest)
    count = (
        Approval.objects.filter(automaker=OuterRef("pk"))
        .order_by()
        .values("automaker")
        .annotate(count=Count("id"))
        .values("count")
    )
    automakers = per_automaker.join(Automaker, id=col.automaker, _join_type=LOUTER)
    if automaker is not None:
        automakers = automakers.filter(pk=automaker)
    return with_cte(
        newest,
        pairs,
        claims,
        per_automaker,
        select=automakers.annotate(
            status_rank=status_rank,
            cover_until=Case(
                When(Exact(status_rank, RANK[CoverStatus.PARTIALLY_COVERED]), then=col.latest),
                When(In(status_rank, COVERING), then=col.earliest),
                default=None,
                output_field=models.DateField(),
            ),
            strongest_rank=col.strongest,
            approval_count=Coalesce(Subquery(count), 0),
        ),
    )


# The sorts of the automaker list (page and API): ascending is the best status and the strongest
# evidence first; blanks always last; ties by name.
AUTOMAKER_SORTS: dict[str, F | Lower] = {
    "name": Lower("name"),
    "country": F("country"),
    "status": F("status_rank"),
    "cover_until": F("cover_until"),
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
        cover_until=automaker.cover_until,
        strongest_evidence="" if rank is None else GRADE_OF_RANK[rank],
        approval_count=automaker.approval_count,
    )


def automaker_status(*, automaker: Automaker, on: date | None = None) -> AutomakerStatus:
    """One automaker's derived status (from automakers_with_status), with the claims behind it."""
    on = on or today()
    ctes = _claim_facts(on, automaker=automaker.pk)  # built once, read by both queries
    row = status_row(automakers_with_status(on=on, automaker=automaker.pk, ctes=ctes).get())
    basis = claims_on(on, automaker=automaker.pk, ctes=ctes)
    row.basis = list(
        basis.select_related("licence", "licence__exporter", "exporter", "importer").order_by(
            "cover_rank", "-claimed_on", "-id"
        )
    )
    return row


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


def licences_ended(*, on: date, within_days: int) -> QuerySet[Licence]:
    """Licences whose validity ended in the `within_days` before the date while they were
    issued: expired by their end, not revoked or surrendered first."""
    ended = Licence.objects.filter(
        valid_until__lt=on, valid_until__gte=on - timedelta(days=within_days)
    )
    return ended.alias(status_then=licence_status_on(on)).filter(
        status_then__in=[Licence.Status.ISSUED, Licence.Status.EXPIRED]
    )
