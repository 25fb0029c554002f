"""Loads the reference data shipped in data/licensing/: idempotent, so a second run changes nothing.

Reference rows (elements, HS codes, measures and their items, list entries, exporters,
automakers) are brought in line with the files, unless someone has edited the row in the app:
then the row is kept and the difference reported. Licences and approval claims are created when
missing and never overwritten, since users edit them and their history must stay theirs.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from licensing import screening, services
from licensing.models import (
    Approval,
    Automaker,
    Element,
    EntityListEntry,
    Exporter,
    Licence,
    ScreeningMatch,
)
from licensing.reference.register import entries_load, items_load, measures_load
from licensing.reference.sync import Load, date_or_none, hs_codes, rows, split, sync

DEFAULT_DIRECTORY = settings.BASE_DIR / "data" / "licensing"


@transaction.atomic
def reference_data_load(*, directory: Path = DEFAULT_DIRECTORY) -> Load:
    """Load every reference file; returns what was created or updated, and what was kept."""
    load = Load()
    for row in rows(directory, "elements.csv"):
        sync(
            Element,
            {"symbol": row["symbol"]},
            {
                "name": row["name"],
                "atomic_number": int(row["atomic_number"]),
                "group": row["group"],
            },
            load,
        )
    elements = {element.symbol: element for element in Element.objects.all()}

    measures_load(rows(directory, "control_measures.csv"), elements, load)
    items_load(rows(directory, "control_items.csv"), elements, load)

    for row in rows(directory, "exporters.csv"):
        sync(
            Exporter,
            {"name": row["name"]},
            {key: row[key] for key in ("name_zh", "city", "province", "stock_code", "source_url")},
            load,
        )
    new_automakers = []
    for row in rows(directory, "automakers.csv"):
        created = load.counts["automakers created"]
        automaker = sync(Automaker, {"name": row["name"]}, {"country": row["country"]}, load)
        if load.counts["automakers created"] != created:
            new_automakers.append(automaker)

    for row in rows(directory, "general_licences.csv"):
        exporter = Exporter.objects.get(name=row["exporter"])
        key = {
            "exporter": exporter,
            "kind": row["kind"],
            "number": row["number"],
            "issued_on": date_or_none(row["issued_on"]),
            "valid_from": date_or_none(row["valid_from"]),
        }
        if Licence.objects.filter(**key).exists():
            continue
        services.licence_create(
            **key,
            status=Licence.Status.ISSUED,
            valid_until=date_or_none(row["valid_until"]),
            elements=[elements[s] for s in split(row["elements"])],
            hs_codes=hs_codes(split(row["hs_codes"]), load),
            customer_scope=row["customer_scope"],
            notes=row["basis"],
            source_url=row["source_url"],
        )
        load.counts["licences created"] += 1

    for row in rows(directory, "approval_claims.csv"):
        automaker = Automaker.objects.get(name=row["automaker"])
        exporter = Exporter.objects.get(name=row["exporter"]) if row["exporter"] else None
        key = {
            "automaker": automaker,
            "exporter": exporter,
            "status": row["status"],
            "claimed_on": date_or_none(row["claimed_on"]),
            "evidence_grade": row["evidence_grade"],
            "source_url": row["source_url"],
        }
        if Approval.objects.filter(**key).exists():
            continue
        services.approval_record(
            **key,
            licence_kind=row["licence_kind"],
            extent=row.get("extent") or Approval.Extent.ALL,
            statement=row["statement"],
        )
        load.counts["approvals created"] += 1

    # Screened as the app screens: every party against the entries that are new or changed, and
    # against all of them when there is a new automaker.
    changed_entries = entries_load(rows(directory, "entity_lists.csv"), load)
    if new_automakers:
        changed_entries = EntityListEntry.objects.all()
    load.counts["possible list matches found"] += screening.entries_screen(entries=changed_entries)
    for row in rows(directory, "automakers.csv"):
        if row.get("listed_as"):
            _confirm_listing(Automaker.objects.get(name=row["name"]), row["listed_as"], load)
    return load


def _confirm_listing(automaker: Automaker, listed_as: str, load: Load) -> None:
    """The file says which entry the automaker is ("watch_list: SUBARU Corporation"): its
    match is confirmed, unless Compliance has reviewed it already."""
    list_, name = (part.strip() for part in listed_as.split(":", 1))
    entry = EntityListEntry.objects.get(list=list_, name_en=name)
    match = screening.match_for(automaker=automaker, entry=entry)
    if match.status == ScreeningMatch.Status.POSSIBLE:
        screening.screening_match_review(
            match=match,
            status=ScreeningMatch.Status.CONFIRMED,
            reason="Reference data: automakers.csv names it as this entry.",
        )
        load.counts["list matches confirmed"] += 1
