"""Which layout a file is in, judged from its content (never from its name)."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from . import archives
from .base import MAX_COLUMNS, ParseFailure
from .comtrade import comtrade_layout
from .decoding import detect_encoding, first_line
from .gacc_layout import looks_like_gacc_text
from .raregate_csv import is_raregate_header

SUPPORTED = (
    "RareGate CSV (series,period,partner,tonnes,value,value_unit,source_url); "
    "GACC's table of major export commodities (全国出口重点商品量值表) as .csv, .xlsx or .xls; "
    "UN Comtrade API CSV (47 columns, typeCode … isAggregate); "
    'UN Comtrade API JSON ({"data": [...]}); '
    "UN Comtrade bulk file (34 tab-separated columns, datasetCode …), plain or gzip"
)


@dataclass
class Detected:
    """A file's layout: one of the ParseResult formats, or "xlsx"/"xls" for a workbook."""

    layout: str
    data: bytes
    encoding: str | None = None  # for text layouts
    archive: str | None = None  # "gzip" or "zip" when the upload was compressed


def detect(data: bytes, *, max_expanded_bytes: int) -> Detected:
    """Expand a compressed upload (one level) and tell its layout from its content."""
    archive = None
    if data.startswith(archives.GZIP_MAGIC):
        archive = "gzip"
        data = archives.gunzip(data, max_expanded_bytes=max_expanded_bytes)
    elif data.startswith(archives.EMPTY_ZIP_MAGIC):
        raise ParseFailure("The zip archive is empty.")
    elif data.startswith(archives.ZIP_MAGIC):
        zipped = archives.open_zip(data)
        if archives.is_xlsx(zipped):
            archives.check_workbook_size(zipped, max_expanded_bytes=max_expanded_bytes)
            return Detected("xlsx", data)
        archive = "zip"
        _, data = archives.unzip_single(zipped, max_expanded_bytes=max_expanded_bytes)
    if not data:
        raise ParseFailure(
            f"The {archive} archive holds an empty file." if archive else "The file is empty."
        )
    if archive and data.startswith((archives.GZIP_MAGIC, archives.ZIP_MAGIC)):
        if not (data.startswith(archives.ZIP_MAGIC) and archives.is_xlsx(archives.open_zip(data))):
            raise ParseFailure(
                f"The {archive} archive holds another archive; upload the file itself."
            )
        archives.check_workbook_size(archives.open_zip(data), max_expanded_bytes=max_expanded_bytes)
        return Detected("xlsx", data, archive=archive)
    if data.startswith(archives.OLE2_MAGIC):
        return Detected("xls", data, archive=archive)
    encoding = detect_encoding(data)
    return Detected(_text_layout(data, encoding), data, encoding=encoding, archive=archive)


def _narrow_enough(line: str) -> None:
    """Refuse a first line of more than MAX_COLUMNS comma- or tab-separated fields (counted on
    its first 64 KiB: a longer line is too wide anyway)."""
    separators = max(line.count(","), line.count("\t"))
    if separators < MAX_COLUMNS:
        return
    fields = max(len(next(csv.reader([line], delimiter=d), [])) for d in (",", "\t"))
    if fields > MAX_COLUMNS:
        shown = f"{fields:,}" if len(line) < 65536 else f"more than {fields:,}"
        raise ParseFailure(f"Line 1 has {shown} columns; a customs file has at most {MAX_COLUMNS}.")


def _text_layout(data: bytes, encoding: str) -> str:
    head = data[:65536].decode(encoding, errors="ignore").lstrip("\ufeff")
    if not head.strip():
        raise ParseFailure("The file holds only blank lines.")
    if head.lstrip().startswith("{"):
        return "comtrade_api_json"
    line = first_line(data, encoding)
    _narrow_enough(line)
    layout = comtrade_layout(line)
    if layout:
        return layout
    cells = [cell.strip() for cell in next(csv.reader([line]), [])]
    if is_raregate_header(cells):
        return "raregate_csv"
    if looks_like_gacc_text(head):
        return "gacc_table"
    seen = [cell for cell in (line.split("\t") if "\t" in line else cells) if cell][:4]
    shown = ", ".join(f"'{cell[:40]}'" for cell in seen) or "nothing readable"
    raise ParseFailure(
        f"Unknown file layout: the first line starts with {shown}. Supported layouts: {SUPPORTED}."
    )
