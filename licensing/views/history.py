"""Change history for the detail pages: who changed which field, when, from what to what."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import formats
from django.utils.text import capfirst
from simple_history.models import DeletedObject, HistoricalRecords

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Kept by the models for their own bookkeeping; a person never edits them.
ALWAYS_HIDDEN = frozenset({"id", "created_at", "updated_at"})


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


def _m2m_rows(history_model: type[Model]) -> dict[str, tuple[str, str]]:
    """For each many-to-many field the history keeps: the accessor of its rows and their target."""
    rows = {}
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        through = HistoricalRecords.m2m_models[m2m_field]
        relation = next(
            rel for rel in history_model._meta.related_objects if rel.related_model is through
        )
        rows[m2m_field.name] = (relation.get_accessor_name(), m2m_field.m2m_reverse_field_name())
    return rows


def _targets(record: Model, accessor: str, target: str) -> list[Model]:
    rows = getattr(record, accessor).all()
    return [item for item in (getattr(row, target) for row in rows) if item is not None]


def _display(model_field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(sorted(str(item) for item in value))
    if isinstance(value, DeletedObject):
        return f"{value.model._meta.verbose_name} #{value.pk} (deleted)"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return formats.date_format(value, "j M Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    return str(value)


def change_history(
    records: QuerySet, *, hidden: frozenset[str] = frozenset()
) -> list[HistoryEntry]:
    """Each history record, newest first, with the fields changed since the record before it.

    `records` should select_related the history user and the foreign keys, so that the number of
    queries does not grow with the number of changes.
    """
    history_model = records.model
    model = history_model.instance_type
    m2m = _m2m_rows(history_model)
    prefetch = [f"{accessor}__{target}" for accessor, target in m2m.values()]
    ordered = list(records.order_by("-history_date", "-history_id").prefetch_related(*prefetch))
    excluded = set(ALWAYS_HIDDEN | hidden | set(m2m))

    entries = []
    # Each record's predecessor is the next one in the list: record.prev_record, without a query.
    for record, previous in zip(ordered, [*ordered[1:], None], strict=True):
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user.get_username() if record.history_user else "system",
            action=ACTIONS.get(record.history_type, record.history_type),
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(
                previous, excluded_fields=excluded, foreign_keys_are_objs=True
            )
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                entry.changes.append(
                    FieldChange(
                        label=capfirst(model_field.verbose_name),
                        old=_display(model_field, change.old),
                        new=_display(model_field, change.new),
                    )
                )
            for name, (accessor, target) in m2m.items():
                if name in hidden:
                    continue
                old = _targets(previous, accessor, target)
                new = _targets(record, accessor, target)
                if {item.pk for item in old} != {item.pk for item in new}:
                    model_field = model._meta.get_field(name)
                    entry.changes.append(
                        FieldChange(
                            label=capfirst(model_field.verbose_name),
                            old=_display(model_field, old),
                            new=_display(model_field, new),
                        )
                    )
        entries.append(entry)
    return entries
