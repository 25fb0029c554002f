"""Reading a customs file as an import reads it: the cost limits first, then the parse and the
checks against what is stored. The import (batches._process) and the preview share it, so a
preview shows exactly what the import would do."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File

from core.formatting import sizes_compared
from exports.models import Series
from exports.parsers import parse_file
from exports.parsers.base import ParseFailure, ParseResult, RowError
from exports.services import checks


def upload_size_check(*, size: int, name: str) -> None:
    """Refuse a file over IMPORT_MAX_BYTES, or an empty one, before a byte of it is read."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        shown, most = sizes_compared(size, limit)
        raise ValidationError({"file": f"{name} is {shown}; the limit is {most}."})
    if size == 0:
        raise ValidationError({"file": f"{name} is empty."})


def upload_read(*, file: File, name: str) -> bytes:
    """An uploaded file's bytes, once its size is known to be within the limits."""
    upload_size_check(size=file.size, name=name)
    return b"".join(file.chunks())


@dataclass
class FileReading:
    """A file parsed and checked: `failure` when it cannot be read at all, else its rows, its row
    errors (by line) and its warnings."""

    result: ParseResult | None
    failure: str = ""
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def storable(self) -> bool:
        return self.result is not None and not self.errors


def file_read(data: bytes, *, file_name: str) -> FileReading:
    """Parse the bytes and check the rows against the stored figures; nothing is written."""
    try:
        result = parse_file(
            data,
            file_name=file_name,
            known_series=frozenset(Series.objects.values_list("code", flat=True)),
            max_expanded_bytes=settings.IMPORT_MAX_EXPANDED_BYTES,
        )
    except ParseFailure as failure:
        return FileReading(result=None, failure=str(failure))
    errors = result.errors + checks.span_conflicts(result.rows)
    if errors:
        errors.sort(key=lambda error: (error.line or 0, error.column or ""))
        return FileReading(result=result, errors=errors, warnings=list(result.warnings))
    warnings = result.warnings + checks.cumulative_warnings(result.rows, result.cumulative)
    return FileReading(result=result, warnings=warnings)
