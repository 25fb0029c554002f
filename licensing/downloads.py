"""The licensing lists as downloads (core.downloads.Table): every row a list's filters select,
in the list's order, with the columns the page shows and the facts behind them.

Each builder reads its rows with a fixed number of queries, whatever their number: related
rows come with their list (joins, or a prefetch per chunk of the iterator).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from core.downloads import Table
from core.formatting import day_in_words
from licensing import selectors
from licensing.controls import measures_naming
from licensing.models import Approval, ControlMeasure, Licence
from licensing.selectors import CoverStatus
from licensing.states import state_on

# Rows read from the database at a time (and their related rows with them).
CHUNK = 500
# automaker_listing's `limit` for "all of them": its rows are numbered, not counted first.
ALL_ROWS = 2**62
KG_PER_TONNE = Decimal(1000)


def _table(noun: str, on: date, header: list[str], rows: Iterable[Any], *, what: str = "") -> Table:
    """A list's download as of a day: "licences-2026-12-01.xlsx", titled "Licences as of
    1 December 2026", its sheet "Licences 1 Dec 2026" (a sheet's name has room for 31
    characters). `what` words the title where the noun alone does not."""
    return Table(
        name=f"{noun.lower().replace(' ', '-')}-{on.isoformat()}",
        title=f"{what or noun} as of {day_in_words(on)}",
        sheet=f"{noun} {on.day} {on:%b %Y}",
        header=header,
        rows=rows,
    )


# Automakers


AUTOMAKER_HEADER = [
    "Automaker",
    "Country",
    "Status",
    "Cover until",
    "Strongest evidence",
    "Approvals",
    "Through (claims behind the status)",
    "RareGate id",
]


def claim_path(claim: Approval) -> str:
    """Who a claim runs through and what it says on the day: 'JL Mag → Bosch (Covered)'."""
    exporter = claim.exporter.name if claim.exporter_id else "exporter not named"
    path = f"{exporter} → {claim.importer.name}" if claim.importer_id else exporter
    if claim.licence_id:
        path += f", {claim.licence.get_kind_display().lower()} licence"
        path += f" {claim.licence.number}" if claim.licence.number else f" #{claim.licence_id}"
    status = selectors.cover_status(claim.cover_rank)
    return f"{path} ({status.label})" if status else path


def paths_by_automaker(on: date) -> dict[int, list[str]]:
    """The paths of the claims that speak on the day, for every automaker: one query."""
    claims = (
        selectors.claims_on(on)
        .select_related("exporter", "importer", "licence")
        .order_by("automaker_id", "cover_rank", "-claimed_on", "-id")
    )
    paths: dict[int, list[str]] = defaultdict(list)
    for claim in claims:
        paths[claim.automaker_id].append(claim_path(claim))
    return paths


def automaker_table(*, on: date, status: str = "", sort: str = "name") -> Table:
    """Every automaker with its status on the day (with `status`, only those), sorted as the
    list is, and the claims it runs through."""
    automakers = selectors.automaker_listing(
        on=on, status=status, sort=sort, offset=0, limit=ALL_ROWS
    ).automakers
    paths = paths_by_automaker(on)

    def rows() -> Iterator[list[Any]]:
        for automaker in automakers:
            row = selectors.status_row(automaker)
            yield [
                automaker.name,
                automaker.country,
                row.status_label,
                row.cover_until,
                row.strongest_evidence_label,
                row.approval_count,
                "; ".join(paths.get(automaker.pk, [])),
                automaker.pk,
            ]

    shown = f" ({CoverStatus(status).label})" if status else ""
    return _table("Automakers", on, AUTOMAKER_HEADER, rows(), what=f"Automaker status{shown}")


# Licences


LICENCE_HEADER = [
    "Exporter",
    "Kind",
    "Number",
    "Status",
    "Issued on",
    "Valid from",
    "Valid until",
    "Days left",
    "Expiring",
    "Renewal",
    "Quantity cap (t)",
    "Source",
    "RareGate id",
]


def licence_table(licences: QuerySet[Licence], *, on: date) -> Table:
    """The licences (filtered by the list), with their validity on the day."""

    def rows() -> Iterator[list[Any]]:
        for licence in licences.iterator(chunk_size=CHUNK):
            cap = licence.quantity_cap_kg
            yield [
                licence.exporter.name,
                licence.get_kind_display(),
                licence.number,
                licence.get_status_display(),
                licence.issued_on,
                licence.valid_from,
                licence.valid_until,
                licence.days_left(on),
                licence.is_expiring_on(on),
                licence.get_renewal_status_display(),
                None if cap is None else cap / KG_PER_TONNE,
                licence.source_url,
                licence.pk,
            ]

    return _table("Licences", on, LICENCE_HEADER, rows())


# Approvals


APPROVAL_HEADER = [
    "Claimed on",
    "Automaker",
    "Status",
    "Extent",
    "Exporter",
    "Importer",
    "Licence",
    "Licence kind",
    "Evidence",
    "Statement",
    "Source",
    "RareGate id",
]


def _licence_named(approval: Approval) -> str:
    if not approval.licence_id:
        return ""
    return approval.licence.number or f"#{approval.licence_id}"


def approval_table(approvals: QuerySet[Approval], *, on: date) -> Table:
    """The approvals (filtered by the list), newest claim first as the list shows them."""

    def rows() -> Iterator[list[Any]]:
        for approval in approvals.iterator(chunk_size=CHUNK):
            yield [
                approval.claimed_on,
                approval.automaker.name,
                approval.get_status_display(),
                approval.get_extent_display(),
                approval.exporter.name if approval.exporter_id else "",
                approval.importer.name if approval.importer_id else "",
                _licence_named(approval),
                approval.get_licence_kind_display() if approval.licence_kind else "",
                approval.get_evidence_grade_display(),
                approval.statement,
                approval.source_url,
                approval.pk,
            ]

    return _table("Approvals", on, APPROVAL_HEADER, rows())


# Control measures


MEASURE_HEADER = [
    "Reference",
    "Title",
    "Kind",
    "Authority",
    "Announced on",
    "Effective from",
    "In force until",
    "Suspended from",
    "Suspended until",
    "State on the day",
    "State",
    "Elements",
    "HS codes",
    "Source",
    "RareGate id",
]
NOT_ANNOUNCED = "Not yet announced"


def _measure_row(measure: ControlMeasure, on: date) -> list[Any]:
    state = state_on(measure, on)
    return [
        measure.reference,
        measure.title,
        measure.get_kind_display(),
        measure.authority,
        measure.announced_on,
        measure.effective_from,
        measure.in_force_until,
        measure.suspended_from,
        measure.suspended_until,
        state.state.label if state else NOT_ANNOUNCED,
        state.label if state else NOT_ANNOUNCED,
        " ".join(element.symbol for element in measure.elements.all()),
        " ".join(code.code for code in measure.hs_codes.all()),
        measure.source_url,
        measure.pk,
    ]


def measure_table(*, on: date, element: str | None = None, hs_code: str | None = None) -> Table:
    """The register's measures naming the element or code (all without), by effective date as
    the timeline lists them, each with its state on the day."""
    measures = measures_naming(element=element, hs_code=hs_code).order_by(
        "effective_from", "announced_on", "reference"
    )
    naming = " ".join(part for part in (element, hs_code and f"HS {hs_code}") if part)
    return _table(
        "Control measures",
        on,
        MEASURE_HEADER,
        (_measure_row(measure, on) for measure in measures.iterator(chunk_size=CHUNK)),
        what=f"Control measures{f' naming {naming}' if naming else ''}, states",
    )
