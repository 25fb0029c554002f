"""What the exports app announces: other apps react to it, exports calls none of them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once an import's records are committed, with keyword arguments:
#   batch_id: the ImportBatch's id;
#   changed: a JSON-ready list of {"series_id", "partner", "first", "last"}, one per (series,
#     partner) whose current figures the batch inserted or superseded, with the first period
#     start and the last period end it changed (ISO dates); empty when nothing changed.
import_committed = Signal()
