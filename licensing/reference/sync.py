"""Bringing rows in line with a reference file, and reporting the rows kept because someone
edited them in the app."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from simple_history.utils import bulk_create_with_history

from licensing.models import HsCode

HS_DESCRIPTIONS = {
    "2805.30": "Rare-earth metals, scandium and yttrium",
    "2846.10": "Cerium compounds",
    "2846.90": "Other compounds of rare-earth metals, of yttrium or of scandium",
    "8505.11": "Permanent magnets of metal",
}


def rows(directory: Path, name: str) -> list[dict[str, str]]:
    with open(directory / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def date_or_none(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


@dataclass
class Load:
    """What a load created or updated, by kind; where it kept a row edited in the app; and the
    file rows it does not load, by why."""

    counts: Counter = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)
    not_loaded: Counter = field(default_factory=Counter)

    def __getitem__(self, key: str) -> int:
        return self.counts[key]


def _kept(instance, name: str, old, new) -> str:
    return f"{instance._meta.verbose_name} “{instance}”, {name}: kept {old!r}; the file has {new!r}"


def _edited(instance) -> bool:
    return getattr(instance, "edited_at", None) is not None


def sync(model, lookup: dict, values: dict, load: Load, source: str = "") -> object:
    """Create the row or bring it in line with the file, saving only what differs; a row edited
    in the app is kept as it is and the difference reported."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = _new(model, lookup, values)
        instance._change_reason = source
        instance.save()
        load.counts[f"{model._meta.verbose_name_plural} created"] += 1
        return instance
    _bring_in_line(instance, values, load, source)
    return instance


def _new(model, lookup: dict, values: dict):
    """A row not yet stored, its fields checked; uniqueness is what the caller's lookup just
    found, and the database holds the constraints."""
    instance = model(**lookup, **values)
    instance.full_clean(validate_unique=False, validate_constraints=False)
    return instance


def _bring_in_line(instance, values: dict, load: Load, source: str) -> bool:
    """Save what differs from the file, unless the row was edited in the app; True if saved."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed and _edited(instance):
        load.kept.extend(
            _kept(instance, name, getattr(instance, name), values[name]) for name in changed
        )
    elif changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean()
        instance._change_reason = source
        instance.save(update_fields=changed)
        load.counts[f"{instance._meta.verbose_name_plural} updated"] += 1
        return True
    return False


def sync_m2m(instance, name: str, wanted: list, load: Load) -> None:
    manager = getattr(instance, name)
    have = sorted(str(obj) for obj in manager.all())
    if have == sorted(str(obj) for obj in wanted):
        return
    if not have and not _edited(instance):
        # A new row's relations, without a history record per relation.
        through = manager.through
        source, target = manager.source_field_name, manager.target_field_name
        through.objects.bulk_create([through(**{source: instance, target: obj}) for obj in wanted])
        return
    if _edited(instance):
        load.kept.append(_kept(instance, name, have, sorted(str(obj) for obj in wanted)))
    else:
        manager.set(wanted)


def hs_codes(codes: list[str], load: Load) -> list[HsCode]:
    return [
        sync(HsCode, {"code": code}, {"description": HS_DESCRIPTIONS.get(code, "")}, load)
        for code in codes
    ]


def sync_many(model, keyed: list[tuple[dict, dict]], load: Load, source: str = "") -> list:
    """sync() for many rows of one model, read at once and the new ones created at once with
    their history; returns the rows created or changed."""
    if not keyed:
        return []
    fields = list(keyed[0][0])
    existing = {
        tuple(row.serializable_value(name) for name in fields): row for row in model.objects.all()
    }
    new, changed = [], []
    for lookup, values in keyed:
        row = existing.get(tuple(getattr(value, "pk", value) for value in lookup.values()))
        if row is None:
            new.append(_new(model, lookup, values))
        elif _bring_in_line(row, values, load, source):
            changed.append(row)
    if new:
        bulk_create_with_history(new, model, default_change_reason=source)
        load.counts[f"{model._meta.verbose_name_plural} created"] += len(new)
    return new + changed
