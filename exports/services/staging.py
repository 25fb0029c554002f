"""The bytes of a previewed upload, kept for an hour so that "Import this file" commits what was
previewed without uploading it again.

The bytes are kept in the default storage under their SHA-256, outside the batches' folder; the
commit form carries a signed token (the user and the digest), so only the user who previewed
may commit, only for an hour, and only those bytes. The periodic requeue task removes what was
previewed and never committed.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from exports.models import ImportBatch
from exports.services.batches import import_batch_register

FOLDER = "import-previews"
SALT = "exports.import-preview"
TOKEN_MAX_AGE = timedelta(hours=1)
KEPT_FOR = timedelta(days=1)


def _path(sha256: str) -> str:
    return f"{FOLDER}/{sha256}"


def import_preview_stage(*, data: bytes, sha256: str, file_name: str, user) -> str:
    """Keep the previewed bytes; the token that commits them, for this user."""
    path = _path(sha256)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(data))
    return signing.dumps({"user": user.pk, "sha256": sha256, "name": file_name}, salt=SALT)


def import_preview_commit(*, token: str, user) -> tuple[ImportBatch, bool]:
    """Register the previewed bytes as an import (import_batch_register: the same answers as an
    upload) and drop the kept copy."""
    try:
        staged = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            "This preview is over an hour old: preview the file again."
        ) from error
    except signing.BadSignature as error:
        raise ValidationError("This preview cannot be read: preview the file again.") from error
    if staged["user"] != user.pk:
        raise ValidationError("This preview was made by someone else: preview the file yourself.")
    path = _path(staged["sha256"])
    if not default_storage.exists(path):
        raise ValidationError("The previewed file is no longer kept: preview it again.")
    with default_storage.open(path, "rb") as handle:
        batch, created = import_batch_register(
            file=File(handle, name=staged["name"]), original_name=staged["name"], uploaded_by=user
        )
    transaction.on_commit(lambda: default_storage.delete(path))
    return batch, created


def import_previews_purge(*, older_than: timedelta = KEPT_FOR) -> int:
    """Remove the previewed bytes kept longer than `older_than` (never committed); how many."""
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in names:
        path = _path(name)
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
