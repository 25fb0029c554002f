"""Writes to the exports domain."""

from exports.services.batches import (
    import_batch_process,
    import_batch_progress,
    import_batch_register,
    import_batch_retry,
    import_batches_requeue,
)

__all__ = [
    "import_batch_process",
    "import_batch_progress",
    "import_batch_register",
    "import_batch_retry",
    "import_batches_requeue",
]
