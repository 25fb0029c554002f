"""Change history for the detail pages: who changed which field, when, from what to what."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import formats
from django.utils.text import capfirst
from simple_history.models import DeletedObject

from licensing.history import ACTIONS, versions


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    # What the change names as its source (the register's changes name one), if any.
    source: str = ""


def _display(model_field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(sorted(_display(model_field, item) for item in value))
    if isinstance(value, DeletedObject):
        return f"{value.model._meta.verbose_name} #{value.pk} (deleted)"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return formats.date_format(value, "j M Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    return str(value)


def change_history(records: QuerySet) -> list[HistoryEntry]:
    """Each history record, newest first, with the fields changed since the record before it.

    `records` should select_related what the names of its foreign keys need (a licence's
    exporter), so that the number of queries does not grow with the number of changes.
    """
    model = records.model.instance_type
    entries = []
    for version in versions(records):
        record = version.record
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user.get_username() if record.history_user else "system",
            action=ACTIONS.get(record.history_type, record.history_type),
            source=record.history_change_reason or "",
        )
        # The many-to-many fields (a licence's elements and codes) come after the others.
        for change in sorted(version.changes, key=lambda change: _is_m2m(model, change.field)):
            model_field = model._meta.get_field(change.field)
            entry.changes.append(
                FieldChange(
                    label=capfirst(model_field.verbose_name),
                    old=_display(model_field, change.old),
                    new=_display(model_field, change.new),
                )
            )
        entries.append(entry)
    return entries


def _is_m2m(model: Any, name: str) -> bool:
    return bool(model._meta.get_field(name).many_to_many)
