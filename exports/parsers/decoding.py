"""Decode text files as their sources write them: UTF-8, GBK/GB18030, or Latin-1 for Comtrade."""

from __future__ import annotations

import codecs
import re

from .base import ParseFailure

UTF8_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20
# CJK Unified Ideographs and Extension A.
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_UNDETERMINED = (
    "Could not determine the file's text encoding: it is not UTF-8, GBK/GB18030, "
    "or a Latin-1 Comtrade file."
)


def _decodes(data: bytes, encoding: str, *, find_cjk: bool = False) -> tuple[bool, bool]:
    """(whether data decodes, whether it holds CJK text), decoding in chunks to bound memory."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    cjk = False
    try:
        for start in range(0, len(data), _CHUNK):
            chunk = decoder.decode(data[start : start + _CHUNK])
            if find_cjk and not cjk:
                cjk = _CJK.search(chunk) is not None
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, False
    return True, cjk


def first_line(data: bytes, encoding: str = "latin-1", limit: int = 65536) -> str:
    """The file's first line (without BOM and line break), decoded leniently."""
    head = data[:limit]
    if head.startswith(UTF8_BOM):
        head = head[len(UTF8_BOM) :]
    return head.split(b"\n", 1)[0].rstrip(b"\r").decode(encoding, errors="replace")


def detect_encoding(data: bytes) -> str:
    """The codec to read this text file with: "utf-8-sig", "utf-8", "latin-1" or "gb18030"."""
    from .comtrade import comtrade_layout  # Comtrade headers are the only Latin-1 layouts.

    if data.startswith(UTF8_BOM):
        if _decodes(data[len(UTF8_BOM) :], "utf-8")[0]:
            return "utf-8-sig"
        raise ParseFailure(_UNDETERMINED)
    if _decodes(data, "utf-8")[0]:
        return "utf-8"
    # Comtrade's headers are ASCII and its descriptions are Latin-1 ("Côte d'Ivoire"), bytes
    # that GB18030 would also accept, so a Comtrade header settles the question first.
    if comtrade_layout(first_line(data)) is not None:
        return "latin-1"
    decodes, cjk = _decodes(data, "gb18030", find_cjk=True)
    if decodes and cjk:
        return "gb18030"
    raise ParseFailure(_UNDETERMINED)
