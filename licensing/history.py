"""What changed between two saved versions of a licence or an approval: one answer, which the
detail pages and the API each write out in their own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import ForeignKey, Model, QuerySet
from simple_history.models import DeletedObject, HistoricalRecords

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Kept by the models for their own bookkeeping; a person never edits them.
HIDDEN = frozenset({"id", "created_at", "updated_at", "edited_at"})
# A stored file's path never leaves the server: a new file is told by the original names kept
# beside it, and those names are no change of their own.
FILE_NAMES = {"evidence_file": "evidence_file_name"}


@dataclass(frozen=True)
class Change:
    """One field's values before and after: a foreign key's object (a DeletedObject once it is
    gone), the list of a many-to-many field's objects, a file's original name."""

    field: str
    old: Any
    new: Any


@dataclass
class Version:
    record: Model
    changes: list[Change] = field(default_factory=list)


def versions(records: QuerySet) -> list[Version]:
    """Each saved version, newest first, with the fields changed since the version before it.

    The foreign keys and the many-to-many rows are fetched with the records, so that the number
    of queries does not grow with the number of versions; `records` may select_related more
    (what the objects' names need).
    """
    history_model = records.model
    model = history_model.instance_type
    m2m = _m2m_rows(history_model)
    foreign_keys = [f.name for f in model._meta.concrete_fields if isinstance(f, ForeignKey)]
    ordered = list(
        records.select_related("history_user", *foreign_keys)
        .prefetch_related(*(f"{accessor}__{target}" for accessor, target in m2m.values()))
        .order_by("-history_date", "-history_id")
    )
    # Each record's predecessor is the next one in the list: record.prev_record, without a query.
    return [
        Version(
            record,
            _changes(record, previous, m2m)
            if previous is not None and record.history_type == "~"
            else [],
        )
        for record, previous in zip(ordered, [*ordered[1:], None], strict=True)
    ]


def _changes(record: Model, previous: Model, m2m: dict[str, tuple[str, str]]) -> list[Change]:
    """The changed fields, by name."""
    excluded = HIDDEN | set(m2m) | set(FILE_NAMES.values())
    delta = record.diff_against(previous, excluded_fields=excluded, foreign_keys_are_objs=True)
    changes = []
    for change in delta.changes:
        old, new = _object(change.old), _object(change.new)
        if change.field in FILE_NAMES:
            name = FILE_NAMES[change.field]
            old, new = getattr(previous, name) or None, getattr(record, name) or None
        changes.append(Change(change.field, old, new))
    for name, (accessor, target) in m2m.items():
        old, new = _targets(previous, accessor, target), _targets(record, accessor, target)
        if {item.pk for item in old} != {item.pk for item in new}:
            changes.append(Change(name, old, new))
    return sorted(changes, key=lambda change: change.field)


def _object(value: Any) -> Any:
    # simple-history tells an empty foreign key as a deleted object with no key.
    return None if isinstance(value, DeletedObject) and value.pk is None else value


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


def _targets(record: Model, accessor: str, target: str) -> list[Model | DeletedObject]:
    targets = []
    for row in getattr(record, accessor).all():
        item = getattr(row, target)
        if item is None:
            target_field = row._meta.get_field(target)
            item = DeletedObject(target_field.related_model, getattr(row, target_field.attname))
        targets.append(item)
    return targets


def as_history_user(instance, user) -> None:
    """The next history record of the instance names this user (a signed-in person)."""
    if user is not None and user.is_authenticated:
        instance._history_user = user
