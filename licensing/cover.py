"""The cover rule: what each automaker's claims say about its supply on a day (README, "Cover").

The rule is one SQL statement, written here once and read by every page, the API, the timeline,
what-if and the alerts. It takes any number of days at once (a timeline asks about every day on
which the status can change in one statement), leaves licences out for a what-if, and runs on
PostgreSQL and SQLite alike. Its steps, each a CTE:

- `day`, `left_out`: the days asked about (`n`, each one's index) and the licences left out;
- `changed`: each licence with a dated change, its status on each day;
- `scope_latest`, `scope_newest`, `claim_made`: on each day, the newest claim of each scope
  made by then (the automaker, and the exporter and importer the claim names), unless
  withdrawn;
- `supplier_pair`: which exporters supply which automakers on each day, through up to two
  importers, every link of the path running that day;
- `claim`: each of those claims with the TIER its candidate licences come from;
- `claim_fact`, `claim_cover`: each claim's `cover_until` (the last day its candidate licences
  valid that day cover) and `cover_rank` (the RANK of what it says);
- `automaker_claims`, `automaker_cover`: each automaker's status from its claims'.

Every value in the SQL is a parameter or a constant of the models' choices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, models

from licensing.models import (
    EVIDENCE_RANK,
    Approval,
    EntityListEntry,
    Licence,
    LicenceParty,
    LicenceTransition,
    ScreeningMatch,
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
    NEEDS_INDIVIDUAL_LICENCE = "needs_individual_licence", "Needs an individual licence"
    EXCLUDED = "excluded", "Excluded"
    BARRED = "barred", "Barred (control list)"
    NO_INFORMATION = "no_information", "No information"


RANK = {status: rank for rank, status in enumerate(CoverStatus.values)}
# The statuses of a claim whose licences cover the automaker on the date.
COVERING = [
    RANK[CoverStatus.COVERED],
    RANK[CoverStatus.EXPIRING],
    RANK[CoverStatus.PARTIALLY_COVERED],
]

# Where a claim's candidate licences come from, by what it names, the first that applies: the
# licence it names; else its exporter; else the exporters that supply its automaker that day;
# else every licence in force on the claim's date.
TIERS = ["licence", "exporter", "suppliers", "in force"]

# Licences to leave out, as if they did not exist (what-if), by id.
Without = frozenset[int]
NONE_LEFT_OUT: Without = frozenset()

APPROVAL = Approval._meta.db_table
LICENCE = Licence._meta.db_table
PARTY = LicenceParty._meta.db_table
TRANSITION = LicenceTransition._meta.db_table
LINK = SupplyLink._meta.db_table
ENTRY = EntityListEntry._meta.db_table
MATCH = ScreeningMatch._meta.db_table


def _text(value: str) -> str:
    """A constant of the models' choices as an SQL literal (none holds a quote)."""
    if "'" in value:
        raise ValueError(f"not a plain constant: {value!r}")
    return f"'{value}'"


def texts(values: Iterable[str]) -> str:
    """Constants of the models' choices as a list of SQL literals."""
    return ", ".join(_text(value) for value in values)


ISSUED = _text(Licence.Status.ISSUED)
GENERAL = _text(Licence.Kind.GENERAL)
CONTROL_LIST = _text(EntityListEntry.List.CONTROL_LIST)
WATCH_LIST = _text(EntityListEntry.List.WATCH_LIST)
EVIDENCE_RANK_SQL = (
    "CASE a.evidence_grade "
    + " ".join(f"WHEN {_text(grade)} THEN {rank}" for grade, rank in EVIDENCE_RANK.items())
    + " END"
)


def _running(link: str) -> str:
    """A supply link running on the day `d`; an open end is not known to have ended."""
    return (
        f"({link}.valid_from IS NULL OR {link}.valid_from <= d.on_date)"
        f" AND ({link}.valid_until IS NULL OR {link}.valid_until >= d.on_date)"
    )


def licence_status(day: str, licence: str = "l") -> str:
    """The SQL of a licence's status on a day (both SQL expressions): that of its last change in
    effect by then; before its first change, the status that change left; with no change, its
    recorded status. Licence.status_on is the same rule for one licence."""
    changes = f"FROM {TRANSITION} t WHERE t.licence_id = {licence}.id"
    return (
        f"COALESCE((SELECT t.status {changes} AND t.effective_on <= {day}"
        " ORDER BY t.effective_on DESC, t.id DESC LIMIT 1),"
        f" (SELECT t.from_status {changes} ORDER BY t.effective_on, t.id LIMIT 1),"
        f" {licence}.status)"
    )


def licence_valid(day: str, licence: str = "l") -> str:
    """The SQL of: the licence is issued on the day (licence_status) and within its validity.
    Licence.is_valid_on is the same rule for one licence."""
    # Most licences have no dated change: for them the recorded status is the answer, which
    # the planner can estimate and index (licence_status_by_end).
    changed = f"EXISTS (SELECT 1 FROM {TRANSITION} t WHERE t.licence_id = {licence}.id)"
    return (
        f"({licence}.valid_from <= {day} AND {licence}.valid_until >= {day}"
        f" AND ((NOT {changed} AND {licence}.status = {ISSUED})"
        f" OR ({changed} AND {licence_status(day, licence)} = {ISSUED})))"
    )


# Licence `l` valid on the day `d`: licence_valid, its status read from `changed` (the status that
# day of each licence with a dated change, licence_status), so that the other licences, nearly
# all, are read by their recorded status.
VALID_ON_DAY = (
    "(l.valid_from <= d.on_date AND l.valid_until >= d.on_date"
    f" AND ((l.status = {ISSUED} AND l.id NOT IN (SELECT s.id FROM changed s WHERE s.n = d.n))"
    f" OR l.id IN (SELECT s.id FROM changed s WHERE s.n = d.n AND s.status = {ISSUED})))"
)
CHANGED = f"""changed AS {{materialized}} (
    SELECT d.n, l.id, {licence_status("d.on_date")} AS status
    FROM {LICENCE} l CROSS JOIN day d
    WHERE l.id IN (SELECT t.licence_id FROM {TRANSITION} t)
)"""


# A renewal `l` (of licence `r`, the same kind) carries the claim `c` on only for the parties it
# names: it names none, or the claim's automaker, its importer, or an importer that supplies the
# automaker.
_NAMES_PARTIES = f"SELECT 1 FROM {PARTY} lp WHERE lp.licence_id = l.id"
RENEWAL = (
    f"l.renews_id IS NOT NULL AND r.kind = l.kind"
    f" AND (NOT EXISTS ({_NAMES_PARTIES}) OR EXISTS ({_NAMES_PARTIES}"
    " AND (lp.automaker_id = c.automaker_id OR lp.importer_id = c.importer_id"
    f" OR lp.importer_id IN (SELECT s.supplier_importer_id FROM {LINK} s"
    " WHERE s.customer_automaker_id = c.automaker_id))))"
)
SUPPLIERS = (
    "SELECT p.exporter_id FROM supplier_pair p WHERE p.n = c.n AND p.automaker_id = c.automaker_id"
)

# Each tier's licences, as conditions on licence `l` (and, for a renewal, `r`: the licence it
# renews) for the claim `c` on the day `d`; a tier's licences are those of any of its parts. Kept
# apart, each part reads an index (one condition with OR would read every licence for every
# claim). A part of the claimed kind (any kind when the claim names none) that reads every
# licence in force is written twice, for a claim that names a kind and one that does not, so
# that the kind is an index condition; the others read an exporter's few licences.
LICENCES = f"{LICENCE} l"
RENEWALS = f"{LICENCE} l JOIN {LICENCE} r ON r.id = l.renews_id"
ANY_KIND, OF_KIND, KIND_INDEXED = "any kind", "of the claimed kind", "kind indexed"
PARTS: list[tuple[str, str, str, str]] = [  # (tier, licences, condition, kind)
    ("licence", LICENCES, "l.id = c.licence_id", ANY_KIND),
    ("licence", RENEWALS, f"r.id = c.licence_id AND {RENEWAL}", ANY_KIND),
    ("licence", RENEWALS, f"r.renews_id = c.licence_id AND {RENEWAL}", ANY_KIND),
    ("exporter", LICENCES, "l.exporter_id = c.exporter_id", OF_KIND),
    ("suppliers", LICENCES, f"l.exporter_id IN ({SUPPLIERS})", OF_KIND),
    ("in force", LICENCES, licence_valid("c.claimed_on"), KIND_INDEXED),
    (
        "in force",
        RENEWALS,
        f"r.valid_from <= c.claimed_on AND r.valid_until >= c.claimed_on AND {RENEWAL}",
        KIND_INDEXED,
    ),
]


def _parts(*, tiers: list[str] = TIERS) -> list[tuple[str, str]]:
    """The parts of the tiers for claim `c`, licences left out: (FROM, WHERE) of each."""
    parts = []
    for tier, licences, condition, kind in PARTS:
        if tier not in tiers:
            continue
        of_tier = (
            f"c.tier = {_text(tier)}"
            " AND l.id NOT IN (SELECT o.id FROM left_out o WHERE o.n = c.n) AND"
        )
        if kind == KIND_INDEXED:
            parts.append((licences, f"{of_tier} c.licence_kind = '' AND {condition}"))
            parts.append((licences, f"{of_tier} l.kind = c.licence_kind AND {condition}"))
        elif kind == OF_KIND:
            either = "(c.licence_kind = '' OR l.kind = c.licence_kind)"
            parts.append((licences, f"{of_tier} {either} AND {condition}"))
        else:
            parts.append((licences, f"{of_tier} {condition}"))
    return parts


# The last day the claim's candidate licences valid on the day cover; NULL when none is. Each
# part's latest end is read from an index, newest first.
# A watch-listed party's paths are not covered by general licences (MOFCOM Announcement No. 12
# of 2026): they need an individual licence.
NOT_GENERAL_IF_WATCHED = f"(c.watched = 0 OR l.kind <> {GENERAL})"
COVER_UNTIL = (
    "(SELECT MAX(part.valid_until) FROM ("
    + " UNION ALL ".join(
        f"SELECT (SELECT l.valid_until FROM {licences} WHERE {condition}"
        f" AND {VALID_ON_DAY} AND {NOT_GENERAL_IF_WATCHED}"
        " ORDER BY l.valid_until DESC LIMIT 1) AS valid_until"
        for licences, condition in _parts()
    )
    + ") part)"
)
# Whether the licence the claim names, or one its exporter holds, is not granted or not begun on
# the day.
WAITING = (
    f"(l.status IN ({texts([Licence.Status.APPLIED, Licence.Status.UNDER_REVIEW])})"
    f" OR (l.status = {ISSUED} AND l.valid_from > d.on_date))"
)
AWAITING_LICENCE = (
    "EXISTS ("
    + " UNION ALL ".join(
        f"SELECT 1 FROM {licences} WHERE {condition} AND {WAITING}"
        for licences, condition in _parts(tiers=["licence", "exporter"])
    )
    + ")"
)

_STATUS = Approval.Status
# What one claim `c` says on its day `d`: the RANK of a CoverStatus (whether it awaits a
# licence asked only of a claim without cover).
COVER_RANK = f"""CASE
    WHEN c.barred = 1 THEN {RANK[CoverStatus.BARRED]}
    WHEN c.status = {_text(_STATUS.PENDING)} THEN {RANK[CoverStatus.PENDING]}
    WHEN c.status IN ({texts([_STATUS.EXCLUDED, _STATUS.REFUSED])})
        THEN {RANK[CoverStatus.EXCLUDED]}
    WHEN c.cover_until IS NULL AND {AWAITING_LICENCE} THEN {RANK[CoverStatus.PENDING]}
    WHEN c.cover_until IS NULL AND c.watched = 1 THEN {RANK[CoverStatus.NEEDS_INDIVIDUAL_LICENCE]}
    WHEN c.cover_until IS NULL THEN {RANK[CoverStatus.EXPIRED]}
    WHEN c.claimed_on < c.horizon_from THEN {RANK[CoverStatus.UNCONFIRMED]}
    WHEN c.cover_until <= c.warning_until THEN {RANK[CoverStatus.EXPIRING]}
    WHEN c.extent = {_text(Approval.Extent.SOME)} THEN {RANK[CoverStatus.PARTIALLY_COVERED]}
    ELSE {RANK[CoverStatus.COVERED]}
END"""

_COVERING = ", ".join(map(str, COVERING))
# An automaker's status from the best and the worst of its claims': all covered is covered,
# covered and expiring is expiring; cover beside anything else (partial cover, a supplier
# excluded, a lapsed path) is partially covered; no cover is the best of the rest (pending, then
# unconfirmed, expired, excluded). An automaker with no claim has no row: no information.
STATUS_RANK = f"""CASE
    WHEN lowest > {max(COVERING)} THEN lowest
    WHEN highest <= {RANK[CoverStatus.EXPIRING]} THEN highest
    ELSE {RANK[CoverStatus.PARTIALLY_COVERED]}
END"""


# The parties (automakers, importers) Compliance confirmed as an entry of the control list or
# the watch list, on each day from the listing until a delisting.
LISTING = f"""listing AS {{materialized}} (
    SELECT d.n, m.automaker_id, m.importer_id, e.list
    FROM {MATCH} m JOIN {ENTRY} e ON e.id = m.entry_id
        JOIN day d ON e.listed_on <= d.on_date
            AND (e.delisted_on IS NULL OR e.delisted_on > d.on_date)
    WHERE m.status = {_text(ScreeningMatch.Status.CONFIRMED)}
        AND e.list IN ({CONTROL_LIST}, {WATCH_LIST})
)"""


def _listed(list_: str) -> str:
    """1 when the claim `c`'s automaker or the importer it names is on the list that day."""
    return (
        f"CASE WHEN EXISTS (SELECT 1 FROM listing g WHERE g.n = c.n AND g.list = {list_}"
        " AND (g.automaker_id = c.automaker_id OR g.importer_id = c.importer_id))"
        " THEN 1 ELSE 0 END"
    )


def _supplier_pairs() -> str:
    """The CTE `supplier_pair` (n, automaker_id, exporter_id): who supplies whom on each day,
    directly or through one or two importers, every link of the path running that day."""
    chain = [
        ("l0", ""),
        ("l1", f"JOIN {LINK} l1 ON l1.customer_importer_id = l0.supplier_importer_id"),
        ("l2", f"JOIN {LINK} l2 ON l2.customer_importer_id = l1.supplier_importer_id"),
    ]
    pairs = []
    for depth, (up, _) in enumerate(chain):
        joins = " ".join(join for _, join in chain[: depth + 1])
        running = " AND ".join(_running(link) for link, _ in chain[: depth + 1])
        pairs.append(
            f"SELECT d.n, l0.customer_automaker_id AS automaker_id,"
            f" {up}.supplier_exporter_id AS exporter_id"
            f" FROM {LINK} l0 {joins} JOIN day d ON {running}"
            f" WHERE l0.customer_automaker_id IS NOT NULL AND {up}.supplier_exporter_id IS NOT NULL"
        )
    return f"supplier_pair AS ({' UNION '.join(pairs)})"


_CLAIM_COLUMNS = (
    "a.id, a.automaker_id, a.exporter_id, a.importer_id, a.licence_id, a.licence_kind,"
    f" a.status, a.extent, a.claimed_on, {EVIDENCE_RANK_SQL} AS evidence_rank"
)
# A claim's scope: its automaker, and the exporter and importer it names (or does not name).
_SCOPE = "a.automaker_id, COALESCE(a.exporter_id, 0), COALESCE(a.importer_id, 0)"
_SCOPE_NAMED = (
    "a.automaker_id, COALESCE(a.exporter_id, 0) AS exporter, COALESCE(a.importer_id, 0) AS importer"
)


def _speaking(automakers: list[int] | None) -> tuple[str, list]:
    """The CTE `claim_made`: on each day, the newest claim of each scope made by then, unless
    withdrawn: made on the scope's latest date, on the same day the strongest evidence, then the
    last recorded."""
    only = ""
    if automakers is not None:
        only = f"AND a.automaker_id IN ({', '.join(['%s'] * len(automakers)) or 'NULL'})"
    sql = f"""scope_latest AS (
    SELECT d.n, {_SCOPE_NAMED}, MAX(a.claimed_on) AS claimed_on
    FROM {APPROVAL} a JOIN day d ON a.claimed_on <= d.on_date {only}
    GROUP BY d.n, {_SCOPE}
),
scope_newest AS (
    SELECT s.n, {_CLAIM_COLUMNS}, ROW_NUMBER() OVER (
        PARTITION BY s.n, {_SCOPE} ORDER BY {EVIDENCE_RANK_SQL} DESC, a.id DESC
    ) AS place
    FROM scope_latest s JOIN {APPROVAL} a ON a.automaker_id = s.automaker_id
        AND a.claimed_on = s.claimed_on AND COALESCE(a.exporter_id, 0) = s.exporter
        AND COALESCE(a.importer_id, 0) = s.importer
),
claim_made AS (
    SELECT * FROM scope_newest WHERE place = 1 AND status <> {_text(_STATUS.WITHDRAWN)}
)"""
    return sql, list(automakers or [])


def _given(ids: list[int]) -> tuple[str, list]:
    """The CTE `claim_made`: the claims of the given ids, on each day."""
    listed = ", ".join(["%s"] * len(ids)) or "NULL"
    sql = f"claim_made AS (SELECT d.n, {_CLAIM_COLUMNS} FROM {APPROVAL} a CROSS JOIN day d"
    return f"{sql} WHERE a.id IN ({listed}))", list(ids)


def _claims(made: str) -> str:
    """The CTEs `supplier_pair` and `claim`: the claims of `made` (the CTE claim_made), each
    with the TIER its licences come from."""
    tier = f"""CASE
        WHEN c.licence_id IS NOT NULL THEN {_text(TIERS[0])}
        WHEN c.exporter_id IS NOT NULL THEN {_text(TIERS[1])}
        WHEN EXISTS (SELECT 1 FROM supplier_pair p
                     WHERE p.n = c.n AND p.automaker_id = c.automaker_id) THEN {_text(TIERS[2])}
        ELSE {_text(TIERS[3])}
    END"""
    listing = LISTING.format(materialized=_materialized())
    return f"""{made}, {_supplier_pairs()}, {listing},
claim AS {_materialized()} (
    SELECT c.n, c.id, c.automaker_id, c.exporter_id, c.importer_id, c.licence_id,
        c.licence_kind, c.status, c.extent, c.claimed_on, c.evidence_rank, {tier} AS tier,
        {_listed(CONTROL_LIST)} AS barred, {_listed(WATCH_LIST)} AS watched
    FROM claim_made c
)"""


@dataclass(frozen=True)
class Day:
    """A day the rule is asked about, with the licences to leave out that day (what-if)."""

    on: date
    without: Without = NONE_LEFT_OUT

    def values(self, n: int) -> list:
        """Its row of `day`: its index, the day, the first date a claim is recent on it (the
        horizon), the last date of cover it warns of (expiring)."""
        horizon = self.on - timedelta(days=settings.CLAIM_HORIZON_DAYS)
        warning = self.on + timedelta(days=settings.EXPIRY_WARNING_DAYS)
        return [n, self.on, horizon, warning]


def _materialized() -> str:
    """For a CTE read more than once (the claims by every part, the facts by every use of
    them): on PostgreSQL computed once, not inlined at each reference."""
    return "MATERIALIZED" if connection.vendor == "postgresql" else ""


def _typed(sql: str, kind: str) -> str:
    """A parameter in a VALUES row, typed for PostgreSQL (SQLite takes it as it is)."""
    return f"CAST({sql} AS {kind})" if connection.vendor == "postgresql" else sql


def _inputs(days: list[Day]) -> tuple[str, list]:
    """The CTEs `day` (n, on_date, horizon_from, warning_until) and `left_out` (n, id)."""
    date_, integer = _typed("%s", "date"), _typed("%s", "integer")
    row = f"({integer}, {date_}, {date_}, {date_})"
    params = [value for n, day in enumerate(days) for value in day.values(n)]
    left = [(n, licence) for n, day in enumerate(days) for licence in sorted(day.without)]
    left_out = ", ".join(["(-1, 0)"] + [f"({integer}, {_typed('%s', 'bigint')})"] * len(left))
    sql = (
        f"day (n, on_date, horizon_from, warning_until) AS (VALUES {', '.join([row] * len(days))}),"
        f" left_out (n, id) AS (VALUES {left_out})"
    )
    return sql, params + [value for pair in left for value in pair]


def _claim_cover(days: list[Day], automakers: list[int] | None) -> tuple[str, list]:
    """WITH … claim_cover: each speaking claim on each day (`n`, its index in `days`) with its
    cover_until, evidence_rank and cover_rank."""
    inputs, params = _inputs(days)
    made, claim_params = _speaking(automakers)
    claims = _claims(made)
    changed = CHANGED.format(materialized=_materialized())
    sql = f"""WITH {inputs}, {changed}, {claims},
claim_fact AS {_materialized()} (
    SELECT c.*, d.horizon_from, d.warning_until, {COVER_UNTIL} AS cover_until
    FROM claim c JOIN day d ON d.n = c.n
),
claim_cover AS {_materialized()} (
    SELECT c.*, {COVER_RANK} AS cover_rank FROM claim_fact c JOIN day d ON d.n = c.n
)"""
    return sql, params + claim_params


def claim_sql(days: list[Day], *, automakers: list[int] | None = None) -> tuple[str, list]:
    """The speaking claims on each day, of the automakers (ids) when given: n (the day's index
    in `days`), id, automaker_id, cover_until, evidence_rank, cover_rank."""
    sql, params = _claim_cover(days, automakers)
    columns = "n, id, automaker_id, cover_until, evidence_rank, cover_rank"
    return f"{sql} SELECT {columns} FROM claim_cover", params


def automaker_sql(days: list[Day], *, automakers: list[int] | None = None) -> tuple[str, list]:
    """The automakers (of those ids, when given) with a speaking claim on each day: n,
    automaker_id, status_rank, cover_until (the earliest end of its covering claims when fully
    covered, the latest when partially; NULL without cover), strongest_rank (of the claims that
    give the status)."""
    sql, params = _claim_cover(days, automakers)
    covered = f"cover_rank IN ({_COVERING})"
    only_listed = ""
    if automakers is not None:
        only_listed = f"AND g.automaker_id IN ({', '.join(['%s'] * len(automakers)) or 'NULL'})"
        params = params + list(automakers)
    sql += f""",
automaker_claims AS (
    SELECT n, automaker_id, MIN(cover_rank) AS lowest, MAX(cover_rank) AS highest,
        MIN(CASE WHEN {covered} THEN cover_until END) AS earliest,
        MAX(CASE WHEN {covered} THEN cover_until END) AS latest,
        MAX(evidence_rank) AS strongest_rank
    FROM claim_cover GROUP BY n, automaker_id
),
automaker_cover AS (
    SELECT n, automaker_id, earliest, latest, strongest_rank, {STATUS_RANK} AS status_rank
    FROM automaker_claims
    UNION ALL
    SELECT g.n, g.automaker_id, NULL, NULL, NULL, MAX(CASE WHEN g.list = {CONTROL_LIST}
            THEN {RANK[CoverStatus.BARRED]} ELSE {RANK[CoverStatus.NEEDS_INDIVIDUAL_LICENCE]} END)
    FROM listing g
    WHERE g.automaker_id IS NOT NULL {only_listed} AND NOT EXISTS (
        SELECT 1 FROM automaker_claims k WHERE k.n = g.n AND k.automaker_id = g.automaker_id)
    GROUP BY g.n, g.automaker_id
)
SELECT n, automaker_id, status_rank, strongest_rank, CASE
        WHEN status_rank = {RANK[CoverStatus.PARTIALLY_COVERED]} THEN latest
        WHEN status_rank IN ({_COVERING}) THEN earliest
    END AS cover_until
FROM automaker_cover"""
    return sql, params


def candidate_sql(claims: list[int], days: list[date]) -> tuple[str, list]:
    """For each of the claims (ids) on each day: n (the day's index), claim_id, tier and each
    licence it may rest on (licence_id, valid_until), valid that day or not; a claim with none
    has a row with no licence."""
    inputs, params = _inputs([Day(on) for on in days])
    made, claim_params = _given(claims)
    chosen = _claims(made)
    parts = " UNION ALL ".join(
        "SELECT c.n, c.id AS claim_id, c.tier, l.id AS licence_id, l.valid_until"
        f" FROM claim c JOIN day d ON d.n = c.n CROSS JOIN {licences} WHERE {condition}"
        for licences, condition in _parts()
    )
    tiers = "SELECT c.n, c.id, c.tier, NULL, NULL FROM claim c"
    return f"WITH {inputs}, {chosen} {parts} UNION ALL {tiers}", params + claim_params


def ranks_on(days: list[Day], *, automakers: list[int] | None = None) -> list[dict[int, int]]:
    """For each day, the RANK of each automaker's status (by id) that has a claim speaking then
    (the others have no information), of the automakers (ids) when given: one statement."""
    sql, params = automaker_sql(days, automakers=automakers)
    found: list[dict[int, int]] = [{} for _ in days]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n, automaker_id, status_rank FROM ({sql}) cover", params)
        for n, automaker, rank in cursor.fetchall():
            found[n][automaker] = rank
    return found


def statuses_on(automaker: int, days: list[date]) -> dict[date, CoverStatus]:
    """The automaker's status on each of the days, in one statement."""
    ranks = ranks_on([Day(on) for on in days], automakers=[automaker])
    return {on: status_of(found.get(automaker)) for on, found in zip(days, ranks, strict=True)}


def status_of(rank: int | None) -> CoverStatus:
    """The CoverStatus of a RANK; none (no claim speaking) is no information."""
    return CoverStatus(
        CoverStatus.values[RANK[CoverStatus.NO_INFORMATION] if rank is None else rank]
    )
