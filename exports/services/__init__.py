"""Writes to the exports domain."""

from exports.services.batches import (
    InvalidTransition,
    import_batch_process,
    import_batch_progress,
    import_batch_register,
    import_batch_retry,
    import_batches_requeue,
    upload_batch_id,
)
from exports.services.preview import import_preview
from exports.services.staging import (
    import_preview_commit,
    import_preview_stage,
    import_previews_purge,
)
from exports.services.withdrawal import import_batch_withdraw

__all__ = [
    "InvalidTransition",
    "import_batch_process",
    "import_batch_progress",
    "import_batch_register",
    "import_batch_retry",
    "import_batch_withdraw",
    "import_batches_requeue",
    "import_preview",
    "import_preview_commit",
    "import_preview_stage",
    "import_previews_purge",
    "upload_batch_id",
]
