"""Evidence files: PDF, image or plain text, within the size limit, judged by content."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError

from core.formatting import sizes_compared

# Magic numbers of the formats we accept; the file name's extension is not trusted.
SIGNATURES = {
    b"%PDF-": "PDF",
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF87a": "GIF image",
    b"GIF89a": "GIF image",
}
ALLOWED = "a PDF, a PNG, JPEG, GIF or WebP image, or a plain-text file"
# The Content-Type a download of each accepted kind is served with (never the uploaded name's).
CONTENT_TYPES = {
    "PDF": "application/pdf",
    "PNG image": "image/png",
    "JPEG image": "image/jpeg",
    "GIF image": "image/gif",
    "WebP image": "image/webp",
    "text": "text/plain; charset=utf-8",
}
# Text that a browser would run or render as a document: not plain text, whatever its name.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|\?xml|html|head|body|script|svg|iframe|object|embed|meta|style|math)\b",
    re.IGNORECASE,
)


# How much of a file is read to tell its kind (markup is looked for in all of it).
SNIFFED_BYTES = 64 * 1024


def sniff_evidence_kind(head: bytes) -> str | None:
    """Name the accepted format the first bytes show, or None."""
    for magic, kind in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP image"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut by the end of the sample is still text.
            if error.start < len(head) - 4:
                return None
        return None if _MARKUP.search(head) else "text"
    return None


def validate_evidence_file(file) -> None:
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            "The evidence file is %(size)s; the limit is %(limit)s.",
            code="file_too_large",
            params=dict(zip(("size", "limit"), sizes_compared(file.size, limit), strict=True)),
        )
    if file.size == 0:
        raise ValidationError("The evidence file is empty.", code="file_empty")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(SNIFFED_BYTES)
    file.seek(position)
    if sniff_evidence_kind(head) is None:
        raise ValidationError(
            f"The evidence file must be {ALLOWED}; this one is none of those "
            "(markup such as HTML, SVG or script is not plain text).",
            code="file_type",
        )
