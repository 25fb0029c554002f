"""Withdrawing an import that should not have been made: its figures stop counting, the figures
it had revised count again, and the summaries are rebuilt as after an import.

Nothing is deleted but its January-to-month figures (kept only to cross-check months against):
the batch's records stay, not current and superseded by nothing (their batch says why), so each
figure's history still shows the withdrawn version, and the batch keeps who withdrew it, when
and why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from core.formatting import day_in_words
from exports.models import ExportRecord, ImportBatch, YearToDateFigure
from exports.selectors import import_batch_changes
from exports.services.batches import InvalidTransition, announce_committed, batch_transition
from exports.services.writing import WRITE_LOCK

Status = ImportBatch.Status
KEY = ("series_id", "period_start", "period_end", "partner")


def _same_key_in(batch: ImportBatch) -> ExportRecord:
    """The batch's record with the key of the outer record."""
    return ExportRecord.objects.filter(batch=batch, **{field: OuterRef(field) for field in KEY})


def withdrawal_words(batch: ImportBatch) -> str:
    """ "withdrawn on 3 December 2026: “Test file, not GACC's figures.”", for messages."""
    when = day_in_words(timezone.localdate(batch.withdrawn_at))
    return f"withdrawn on {when}: “{batch.withdrawal_reason}”"


def _refused(batch: ImportBatch) -> InvalidTransition:
    if batch.status == Status.WITHDRAWN:
        return InvalidTransition(f"Import {batch.pk} was already {withdrawal_words(batch)}.")
    return InvalidTransition(
        f"Import {batch.pk} is {batch.get_status_display().lower()}: only an import that "
        "succeeded can be withdrawn (a failed one stored nothing)."
    )


@transaction.atomic
def import_batch_withdraw(*, batch_id: int, reason: str, user) -> ImportBatch:
    """Take back a succeeded import's figures, saying why; the summaries they reach rebuild."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the import is withdrawn."})
    if connection.vendor == "postgresql":
        # One writer at a time: no import may supersede these figures while they are restored.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != Status.SUCCEEDED:
        raise _refused(batch)
    changed = import_batch_changes(batch_id=batch.pk)
    revised = ExportRecord.objects.filter(superseded_by_batch=batch)
    # A figure this batch revised and a later batch revised again stays superseded, by that one.
    revised.filter(Exists(_same_key_in(batch).filter(is_current=False))).update(
        superseded_by_batch=Subquery(_same_key_in(batch).values("superseded_by_batch")[:1])
    )
    # The batch's own records stop counting, first, so that a key never has two current
    # figures; none stays superseded, so that a later withdrawal never restores one of them.
    ExportRecord.objects.filter(batch=batch).update(is_current=False, superseded_by_batch=None)
    # The rest were replaced by a record of this batch that was current: they count again.
    revised.update(is_current=True, superseded_by_batch=None)
    YearToDateFigure.objects.filter(batch=batch).delete()
    batch_transition(
        batch,
        Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawn_by=user if user is not None and user.is_authenticated else None,
        withdrawal_reason=reason,
        summaries_owed=bool(changed),
    )
    transaction.on_commit(lambda: announce_committed(batch, changed))
    return batch
