"""Loads the reference data shipped in data/licensing/: idempotent, so a second run changes nothing.

Reference rows (elements, HS codes, measures, exporters, automakers) are brought in line with the
files; licences and approval claims are created when missing and never overwritten, since users
edit them and their history must stay theirs.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from licensing import services
from licensing.models import (
    Approval,
    Automaker,
    ControlMeasure,
    Element,
    Exporter,
    HsCode,
    Licence,
)

DEFAULT_DIRECTORY = settings.BASE_DIR / "data" / "licensing"

HS_DESCRIPTIONS = {
    "2805.30": "Rare-earth metals, scandium and yttrium",
    "2846.10": "Cerium compounds",
    "2846.90": "Other compounds of rare-earth metals, of yttrium or of scandium",
    "8505.11": "Permanent magnets of metal",
}


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    with open(directory / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _sync(model, lookup: dict, values: dict, counts: Counter) -> object:
    """Create the row or bring it in line with the file, saving only what differs."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        counts[f"{model._meta.verbose_name_plural} created"] += 1
        return instance
    changed = [field for field, value in values.items() if getattr(instance, field) != value]
    if changed:
        for field in changed:
            setattr(instance, field, values[field])
        instance.full_clean()
        instance.save(update_fields=changed)
        counts[f"{model._meta.verbose_name_plural} updated"] += 1
    return instance


def _sync_m2m(manager, wanted: list) -> None:
    if {obj.pk for obj in manager.all()} != {obj.pk for obj in wanted}:
        manager.set(wanted)


def _hs_codes(codes: list[str], counts: Counter) -> list[HsCode]:
    return [
        _sync(HsCode, {"code": code}, {"description": HS_DESCRIPTIONS.get(code, "")}, counts)
        for code in codes
    ]


@transaction.atomic
def reference_data_load(*, directory: Path = DEFAULT_DIRECTORY) -> Counter:
    """Load every reference file; returns what was created or updated, by kind."""
    counts: Counter = Counter()
    for row in _rows(directory, "elements.csv"):
        _sync(
            Element,
            {"symbol": row["symbol"]},
            {
                "name": row["name"],
                "atomic_number": int(row["atomic_number"]),
                "group": row["group"],
            },
            counts,
        )
    elements = {element.symbol: element for element in Element.objects.all()}

    for row in _rows(directory, "control_measures.csv"):
        measure = _sync(
            ControlMeasure,
            {"reference": row["reference"]},
            {
                "authority": row["authority"].replace(";", ", "),
                "kind": row["kind"],
                "announced_on": _date(row["announced_on"]),
                "effective_from": _date(row["effective_from"]),
                "suspended_from": _date(row["suspended_from"]),
                "suspended_until": _date(row["suspended_until"]),
                "in_force_until": _date(row["in_force_until"]),
                "title": row["title"],
                "source_url": row["source_url"],
            },
            counts,
        )
        _sync_m2m(measure.elements, [elements[s] for s in _split(row["elements"])])
        _sync_m2m(measure.hs_codes, _hs_codes(_split(row["hs_codes"]), counts))

    for row in _rows(directory, "exporters.csv"):
        _sync(
            Exporter,
            {"name": row["name"]},
            {key: row[key] for key in ("name_zh", "city", "province", "stock_code", "source_url")},
            counts,
        )
    for row in _rows(directory, "automakers.csv"):
        _sync(Automaker, {"name": row["name"]}, {"country": row["country"]}, counts)

    for row in _rows(directory, "general_licences.csv"):
        exporter = Exporter.objects.get(name=row["exporter"])
        key = {
            "exporter": exporter,
            "kind": row["kind"],
            "number": row["number"],
            "issued_on": _date(row["issued_on"]),
            "valid_from": _date(row["valid_from"]),
        }
        if Licence.objects.filter(**key).exists():
            continue
        services.licence_create(
            **key,
            status=Licence.Status.ISSUED,
            valid_until=_date(row["valid_until"]),
            elements=[elements[s] for s in _split(row["elements"])],
            hs_codes=_hs_codes(_split(row["hs_codes"]), counts),
            customer_scope=row["customer_scope"],
            notes=row["basis"],
            source_url=row["source_url"],
        )
        counts["licences created"] += 1

    for row in _rows(directory, "approval_claims.csv"):
        automaker = Automaker.objects.get(name=row["automaker"])
        exporter = Exporter.objects.get(name=row["exporter"]) if row["exporter"] else None
        key = {
            "automaker": automaker,
            "exporter": exporter,
            "status": row["status"],
            "claimed_on": _date(row["claimed_on"]),
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
        counts["approvals created"] += 1
    return counts
