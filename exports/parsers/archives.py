"""Compressed uploads: gzip, and zip with one file, expanded in chunks up to a limit."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib

from .base import ParseFailure

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_WORKBOOK = "xl/workbook.xml"
_CHUNK = 1 << 20


def human_size(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"


def _too_big(kind: str, limit: int) -> ParseFailure:
    return ParseFailure(
        f"The {kind} expands to more than {human_size(limit)}, the most an upload may expand to."
    )


def _corrupt(kind: str, error: Exception) -> ParseFailure:
    return ParseFailure(f"The file is a {kind} but it is truncated or corrupt ({error}).")


def _read_limited(stream, kind: str, limit: int) -> bytes:
    parts: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise _too_big(kind, limit)
        parts.append(chunk)
    return b"".join(parts)


def gunzip(data: bytes, *, max_expanded_bytes: int) -> bytes:
    """The content of a gzip file (all members), refusing to expand past the limit."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return _read_limited(stream, "gzip archive", max_expanded_bytes)
    except (OSError, EOFError, zlib.error) as error:
        raise _corrupt("gzip archive", error) from error


def open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _corrupt("zip archive", error) from error


def is_xlsx(archive: zipfile.ZipFile) -> bool:
    return XLSX_WORKBOOK in archive.namelist()


def check_workbook_size(archive: zipfile.ZipFile, *, max_expanded_bytes: int) -> None:
    """Refuse an .xlsx whose parts expand past the limit (zipfile reads no more than declared)."""
    if sum(info.file_size for info in archive.infolist()) > max_expanded_bytes:
        raise _too_big("workbook", max_expanded_bytes)


def unzip_single(archive: zipfile.ZipFile, *, max_expanded_bytes: int) -> tuple[str, bytes]:
    """(name, content) of the one file in a zip archive, refusing to expand past the limit."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) != 1:
        names = ", ".join(info.filename for info in members[:5]) or "none"
        raise ParseFailure(
            f"The zip archive holds {len(members)} files ({names}); "
            "upload a zip with exactly one file, or the file itself."
        )
    member = members[0]
    if member.flag_bits & 0x1:
        raise ParseFailure("The zip archive is encrypted; upload it without a password.")
    try:
        with archive.open(member) as stream:
            return member.filename, _read_limited(stream, "zip archive", max_expanded_bytes)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as error:
        raise _corrupt("zip archive", error) from error
