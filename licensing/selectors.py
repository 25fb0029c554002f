"""Reads of the licensing domain, the derived automaker status among them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import LOUTER
from django.utils import timezone
from django_cte import CTE, with_cte
from django_cte.raw import raw_cte_sql

from licensing import cover
from licensing.cover import (  # noqa: F401  (the cover vocabulary, read from here too)
    COVERING,
    NONE_LEFT_OUT,
    RANK,
    TIERS,
    CoverStatus,
    Without,
)
from licensing.models import (
    EVIDENCE_RANK,
    Approval,
    Automaker,
    ControlMeasure,
    Importer,
    Licence,
    SupplyLink,
)

LICENCE = Licence._meta.db_table
APPROVAL = Approval._meta.db_table
AUTOMAKER = Automaker._meta.db_table


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


def _licences_where(condition: str, on: date) -> Q:
    """The licences meeting an SQL condition on licence `l` (cover's) with the date for its
    `%s`: a subquery of their ids, whole in itself, whatever the outer query's aliases."""
    sql = f"SELECT l.id FROM {LICENCE} l WHERE {condition}"
    return Q(pk__in=RawSQL(sql, [on] * sql.count("%s")))


def licence_valid_on(on: date) -> Q:
    """Issued on the date and within its validity (cover.licence_valid)."""
    return _licences_where(cover.licence_valid("%s"), on)


def licence_status_in(on: date, statuses: list[str]) -> Q:
    """Whose status on the date (cover.licence_status) is one of `statuses`."""
    return _licences_where(f"{cover.licence_status('%s')} IN ({cover.texts(statuses)})", on)


def licences_due(on: date) -> QuerySet[Licence]:
    """The licences whose recorded status is not their status on the date, or that are issued
    past their end (see services.licences_apply_due)."""
    past_end = Q(status=Licence.Status.ISSUED, valid_until__lt=on)
    changed = _licences_where(f"{cover.licence_status('%s')} <> l.status", on)
    return Licence.objects.filter(changed | past_end).prefetch_related("transitions")


GRADE_OF_RANK = {rank: grade for grade, rank in EVIDENCE_RANK.items()}


def link_valid_on(on: date, via: str = "") -> Q:
    """A supply link (through `via`, a path from the query's model) running on the date; an
    open end is not known to have ended."""
    starts = Q(**{f"{via}valid_from__isnull": True}) | Q(**{f"{via}valid_from__lte": on})
    ends = Q(**{f"{via}valid_until__isnull": True}) | Q(**{f"{via}valid_until__gte": on})
    return starts & ends


# From a link into an automaker, the links into its supplying importer, one and two steps up.
_UPSTREAM = ["", "supplier_importer__supplied_by__", "supplier_importer__supplied_by__" * 2]


LINK_RELATED = ["supplier_exporter", "supplier_importer", "customer_importer", "customer_automaker"]


def supply_chain_of(automaker_id: int) -> list[SupplyLink]:
    """The links into an automaker and, for each importer on the way, the links into it (as
    far up as cover.automaker_sql looks): its supply chain as recorded, any date."""
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


@dataclass
class Candidates:
    """What a claim names that its licences come from (a cover.TIERS name), the licences it
    rests on that were fetched (the latest ending first), and how many there are in all."""

    tier: str
    licences: list[Licence]
    count: int


def candidate_ids(claims: list[Approval], on: date) -> dict[int, tuple[str, list[int]]]:
    """For each claim (by id), its tier and the ids of the licences it may rest on on the date
    (cover.candidate_sql), the latest ending first: one query for any number of claims."""
    rows = _candidates(claims, [on])
    tiers = {claim: tier for _, claim, tier, _, _ in rows}
    found = {(claim, str(until or ""), licence) for _, claim, _, licence, until in rows if licence}
    ids: dict[int, list[int]] = {claim: [] for claim in tiers}
    for claim, _, licence in sorted(found, key=lambda row: row[1:], reverse=True):
        ids[claim].append(licence)
    return {claim: (tiers[claim], ids[claim]) for claim in tiers}


def licences_behind(claims: list[Approval], days: list[date]) -> set[int]:
    """The ids of the licences any of the claims may rest on, on any of the days."""
    return {licence for _, _, _, licence, _ in _candidates(claims, days) if licence}


def _candidates(claims: list[Approval], days: list[date]) -> list[tuple]:
    sql, params = cover.candidate_sql([claim.pk for claim in claims], days)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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


def claims_on(
    on: date, *, automakers: list[int] | None = None, without: Without = NONE_LEFT_OUT
) -> QuerySet[Approval]:
    """The claims that speak on the date (cover.claim_sql), of the automakers (ids) when given,
    each with its `cover_until`, `evidence_rank` and `cover_rank`."""
    sql, params = cover.claim_sql([cover.Day(on, without)], automakers=automakers)
    facts = CTE(raw_cte_sql(sql, params, CLAIM_FACTS), name="claim_cover")
    col = facts.col
    claims = facts.join(Approval, id=col.id).annotate(
        cover_until=col.cover_until, evidence_rank=col.evidence_rank, cover_rank=col.cover_rank
    )
    return with_cte(facts, select=claims)


CLAIM_FACTS = {
    "n": models.IntegerField(),
    "id": models.BigIntegerField(),
    "automaker_id": models.BigIntegerField(),
    "cover_until": models.DateField(),
    "evidence_rank": models.IntegerField(),
    "cover_rank": models.IntegerField(),
}
AUTOMAKER_FACTS = {
    "n": models.IntegerField(),
    "automaker_id": models.BigIntegerField(),
    "status_rank": models.IntegerField(),
    "strongest_rank": models.IntegerField(),
    "cover_until": models.DateField(),
}


def claim_status(approval: Approval, on: date) -> CoverStatus | None:
    """What one claim says on the date; None when it says nothing (made later, replaced in its
    scope by then, or withdrawn)."""
    claims = claims_on(on, automakers=[approval.automaker_id]).filter(pk=approval.pk)
    rank = claims.values_list("cover_rank", flat=True).first()
    return cover_status(rank)


def cover_status(rank: int | None) -> CoverStatus | None:
    """The CoverStatus of a claim's RANK; None when it says nothing."""
    return None if rank is None else cover.status_of(rank)


def automakers_with_status(
    *, on: date | None = None, automaker: int | None = None, without: Without = NONE_LEFT_OUT
) -> QuerySet[Automaker]:
    """Every automaker with its derived status on a date (today by default): the rule of
    cover.automaker_sql, which the list, page, overview, alerts and API all read.

    Each carries `status_rank` (the RANK of its status), `cover_until`, `strongest_rank` (over
    the claims that give the status) and `approval_count`; status_row() reads them. With
    `automaker` (an id), that automaker only; with `without`, as if those licences did not
    exist (what_if)."""
    on = on or today()
    automakers = None if automaker is None else [automaker]
    sql, params = cover.automaker_sql([cover.Day(on, without)], automakers=automakers)
    per_automaker = CTE(raw_cte_sql(sql, params, AUTOMAKER_FACTS), name="automaker_cover")
    col = per_automaker.col
    count = (
        Approval.objects.filter(automaker=OuterRef("pk"))
        .order_by()
        .values("automaker")
        .annotate(count=Count("id"))
        .values("count")
    )
    automakers = per_automaker.join(Automaker, id=col.automaker_id, _join_type=LOUTER)
    if automaker is not None:
        automakers = automakers.filter(pk=automaker)
    return with_cte(
        per_automaker,
        select=automakers.annotate(
            status_rank=Coalesce(col.status_rank, RANK[CoverStatus.NO_INFORMATION]),
            cover_until=col.cover_until,
            strongest_rank=col.strongest_rank,
            approval_count=Coalesce(Subquery(count), 0),
        ),
    )


# The sorts of the automaker list (page and API), as SQL on `listed`: ascending is the best
# status and the strongest evidence first; blanks always last; ties by name.
AUTOMAKER_SORTS = {
    "name": "LOWER(name)",
    "country": "country",
    "status": "status_rank",
    "cover_until": "cover_until",
    "evidence": "strongest_rank",
    "approvals": "approval_count",
}
_DESCENDING_FIRST = {"evidence"}


@dataclass
class AutomakerListing:
    """A page of the automaker list and how many automakers have each status (all of them, not
    only those the status filter lets through)."""

    automakers: list[Automaker]
    counts: dict[str, int]

    def total(self, status: str = "") -> int:
        """How many automakers the list holds, with `status` when given."""
        return self.counts[status] if status else sum(self.counts.values())


def automaker_listing(
    *, on: date, status: str = "", sort: str = "name", offset: int = 0, limit: int = 0
) -> AutomakerListing:
    """The automakers with their status on the date (cover.automaker_sql), only those with
    `status` when one is given, sorted by an AUTOMAKER_SORTS key ("-" first to reverse it),
    `limit` of them from `offset`, and the count of each status: one statement, as the rule is
    the costly part. Each automaker carries what status_row() reads."""
    key = sort.lstrip("-")
    descending = sort.startswith("-") != (key in _DESCENDING_FIRST)
    order = f"{AUTOMAKER_SORTS[key]} {'DESC' if descending else 'ASC'} NULLS LAST, LOWER(name), id"
    ranks = range(len(CoverStatus.values))
    tally = ", ".join(f"SUM(CASE WHEN status_rank = {rank} THEN 1 ELSE 0 END)" for rank in ranks)
    cover_sql, params = cover.automaker_sql([cover.Day(on)])
    shown = "WHERE status_rank = %s" if status else ""
    sql = f"""WITH automaker_cover AS ({cover_sql}),
approvals AS (SELECT automaker_id, COUNT(*) AS n FROM {APPROVAL} GROUP BY automaker_id),
listed AS (
    SELECT a.id, a.name, a.country,
        COALESCE(c.status_rank, {RANK[CoverStatus.NO_INFORMATION]}) AS status_rank,
        c.cover_until, c.strongest_rank, COALESCE(p.n, 0) AS approval_count
    FROM {AUTOMAKER} a LEFT JOIN automaker_cover c ON c.automaker_id = a.id
        LEFT JOIN approvals p ON p.automaker_id = a.id
),
tally AS (SELECT {tally} FROM listed),
shown AS (
    SELECT id, status_rank, cover_until, strongest_rank, approval_count,
        ROW_NUMBER() OVER (ORDER BY {order}) AS position
    FROM listed {shown}
)
SELECT tally.*, shown.id, shown.status_rank, shown.cover_until, shown.strongest_rank,
    shown.approval_count
FROM tally LEFT JOIN shown ON shown.position > %s AND shown.position <= %s
ORDER BY shown.position"""
    params += [RANK[status]] if status else []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, offset, offset + limit])
        rows = cursor.fetchall()
    counts = {status: rows[0][rank] or 0 for rank, status in enumerate(CoverStatus.values)}
    found = [row[len(ranks) :] for row in rows if row[len(ranks)] is not None]
    automakers = Automaker.objects.in_bulk([row[0] for row in found])
    listed = []
    for pk, status_rank, cover_until, strongest_rank, approval_count in found:
        automaker = automakers[pk]
        automaker.status_rank, automaker.strongest_rank = status_rank, strongest_rank
        automaker.cover_until = _date(cover_until)
        automaker.approval_count = approval_count
        listed.append(automaker)
    return AutomakerListing(listed, counts)


def _date(value: date | str | None) -> date | None:
    """A date read through a cursor: SQLite gives the text it stores."""
    return date.fromisoformat(value) if isinstance(value, str) else value


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
    row = status_row(automakers_with_status(on=on, automaker=automaker.pk).get())
    basis = claims_on(on, automakers=[automaker.pk])
    row.basis = list(
        basis.select_related("licence", "licence__exporter", "exporter", "importer").order_by(
            "cover_rank", "-claimed_on", "-id"
        )
    )
    return row


def normalise_hs_code(code: str) -> str:
    """'850511', '8505.11' and '8505 11' all name HS 8505.11 (and '8505111000' China's
    10-digit 8505.111000)."""
    digits = re.sub(r"\D", "", code)
    return f"{digits[:4]}.{digits[4:]}" if len(digits) > 4 else digits


def hs_code_matches(code: str, field: str = "code") -> Q:
    """The stored codes (`field`) that a code matches by hierarchy, both ways: those it falls
    under (a measure on HS 8505.11 applies to 8505111000) and those under it (HS 8505 takes in
    8505.11). No match for fewer than two digits."""
    digits = re.sub(r"\D", "", code)
    if len(digits) < 2:
        return Q(pk__in=[])
    broader = [normalise_hs_code(digits[:length]) for length in range(2, len(digits) + 1)]
    return Q(**{f"{field}__in": broader}) | Q(**{f"{field}__startswith": normalise_hs_code(digits)})


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
        measures = measures.filter(hs_code_matches(hs_code, "hs_codes__code"))
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
    return ended.filter(licence_status_in(on, [Licence.Status.ISSUED, Licence.Status.EXPIRED]))
