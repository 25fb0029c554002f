"""Customs file parsers: bytes in, ParseResult out; no database.

parse_file() expands a compressed upload, detects the layout from the content, runs that
layout's parser and the shared row validation. A file that cannot be read as a whole raises
ParseFailure; row problems come back as ParseResult.errors.
"""

from __future__ import annotations

from .base import ParseFailure, ParseResult, RowError
from .comtrade import parse_comtrade_csv, parse_comtrade_json
from .detection import SUPPORTED, detect
from .gacc_table import parse_gacc_csv, parse_gacc_workbook
from .raregate_csv import parse_raregate_csv

__all__ = ["SUPPORTED", "ParseFailure", "ParseResult", "RowError", "parse_file"]


def parse_file(
    data: bytes,
    *,
    file_name: str = "",
    known_series: frozenset[str],
    max_expanded_bytes: int,
) -> ParseResult:
    """Parse an uploaded customs file, its layout told from its content.

    `file_name` is accepted for callers' convenience and never used: a name can lie.
    """
    if not data:
        raise ParseFailure("The file is empty.")
    found = detect(data, max_expanded_bytes=max_expanded_bytes)
    known_series = frozenset(known_series)
    if found.layout in ("xlsx", "xls"):
        return parse_gacc_workbook(found.data, kind=found.layout, known_series=known_series)
    if found.layout == "gacc_table":
        return parse_gacc_csv(found.data.decode(found.encoding), known_series=known_series)
    if found.layout == "raregate_csv":
        return parse_raregate_csv(found.data, encoding=found.encoding, known_series=known_series)
    if found.layout == "comtrade_api_json":
        return parse_comtrade_json(found.data.decode(found.encoding), known_series=known_series)
    return parse_comtrade_csv(
        found.data, encoding=found.encoding, layout=found.layout, known_series=known_series
    )
