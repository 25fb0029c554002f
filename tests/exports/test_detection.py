"""The layout is told from the content, compressed uploads are expanded within a limit."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from exports.parsers import ParseFailure, parse_file

from .files import (
    DATA,
    KNOWN_SERIES,
    SAMPLES,
    comtrade_api_csv,
    comtrade_bulk,
    comtrade_json,
    comtrade_record,
    gacc_csv,
    gacc_grid,
    gacc_xlsx,
    parse,
    raregate_csv,
)

RAREGATE = raregate_csv("gacc-rare-earths,2025-11,,5493.873,3.497,CNY_100M,")


def zipped(*members: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "layout"),
    [
        (RAREGATE, "raregate_csv"),
        (gacc_csv(gacc_grid()), "gacc_table"),
        (gacc_xlsx(("表1", gacc_grid())), "gacc_table"),
        (comtrade_api_csv(comtrade_record()), "comtrade_api_csv"),
        (comtrade_json(comtrade_record()), "comtrade_api_json"),
        (comtrade_bulk(comtrade_record()), "comtrade_bulk"),
        (comtrade_bulk(comtrade_record(), compress=True), "comtrade_bulk"),
        (zipped(("export.csv", comtrade_api_csv(comtrade_record()))), "comtrade_api_csv"),
        (gzip.compress(RAREGATE), "raregate_csv"),
    ],
)
def test_the_layout_comes_from_the_content_not_the_name(data, layout):
    result = parse_file(
        data, file_name="misleading.xls", known_series=KNOWN_SERIES, max_expanded_bytes=10**7
    )

    assert result.format == layout
    assert len(result.rows) == 1
    assert result.errors == []


def test_the_shipped_raregate_files_are_raregate_csv():
    for path in DATA.glob("*.csv"):
        assert parse(path.read_bytes()).format == "raregate_csv"


def test_an_empty_file_is_refused():
    with pytest.raises(ParseFailure) as failure:
        parse(b"")

    assert str(failure.value) == "The file is empty."


def test_a_file_of_blank_lines_is_refused():
    with pytest.raises(ParseFailure) as failure:
        parse(b"\n\r\n  \n")

    assert str(failure.value) == "The file holds only blank lines."


def test_a_truncated_gzip_file_is_refused():
    data = gzip.compress((SAMPLES / "comtrade_bulk_final_excerpt.tsv").read_bytes())

    with pytest.raises(ParseFailure) as failure:
        parse(data[: len(data) // 2])

    assert str(failure.value) == (
        "The file is a gzip archive but it is truncated or corrupt "
        "(Compressed file ended before the end-of-stream marker was reached)."
    )


def test_a_corrupt_gzip_file_is_refused():
    data = bytearray(gzip.compress(RAREGATE * 20))
    data[20:40] = b"\xff" * 20

    with pytest.raises(ParseFailure) as failure:
        parse(bytes(data))

    assert str(failure.value).startswith(
        "The file is a gzip archive but it is truncated or corrupt ("
    )


def test_a_gzip_file_expanding_past_the_limit_is_refused():
    bomb = gzip.compress(b"0" * (1 << 20))

    with pytest.raises(ParseFailure) as failure:
        parse(bomb, limit=64 * 1024)

    assert len(bomb) < 2048
    assert str(failure.value) == (
        "The gzip archive expands to more than 64 kB, the most an upload may expand to."
    )


def test_a_zip_file_expanding_past_the_limit_is_refused():
    with pytest.raises(ParseFailure) as failure:
        parse(zipped(("big.csv", b"0" * (1 << 20))), limit=1000)

    assert str(failure.value) == (
        "The zip archive expands to more than 1000 bytes, the most an upload may expand to."
    )


def test_a_workbook_expanding_past_the_limit_is_refused():
    with pytest.raises(ParseFailure) as failure:
        parse(gacc_xlsx(("表1", gacc_grid())), limit=1000)

    assert str(failure.value) == (
        "The workbook expands to more than 1000 bytes, the most an upload may expand to."
    )


def test_a_truncated_zip_file_is_refused():
    data = zipped(("export.csv", RAREGATE * 50))

    with pytest.raises(ParseFailure) as failure:
        parse(data[:-30])

    assert str(failure.value) == (
        "The file is a zip archive but it is truncated or corrupt (File is not a zip file)."
    )


def test_a_zip_with_several_files_is_refused():
    with pytest.raises(ParseFailure) as failure:
        parse(zipped(("a.csv", RAREGATE), ("b.csv", RAREGATE)))

    assert str(failure.value) == (
        "The zip archive holds 2 files (a.csv, b.csv); "
        "upload a zip with exactly one file, or the file itself."
    )


def test_an_empty_zip_is_refused():
    with pytest.raises(ParseFailure) as failure:
        parse(zipped())

    assert str(failure.value) == "The zip archive is empty."


def test_a_gzip_holding_an_empty_file_is_refused():
    with pytest.raises(ParseFailure) as failure:
        parse(gzip.compress(b""))

    assert str(failure.value) == "The gzip archive holds an empty file."


def test_an_archive_inside_an_archive_is_refused():
    with pytest.raises(ParseFailure) as failure:
        parse(gzip.compress(gzip.compress(RAREGATE)))

    assert str(failure.value) == "The gzip archive holds another archive; upload the file itself."


def test_a_zipped_workbook_is_read():
    data = zipped(("table.xlsx", gacc_xlsx(("表1", gacc_grid()))))

    assert parse(data).rows["tonnes"].tolist() == [5493.873]


def test_an_unknown_layout_is_refused_naming_what_was_seen():
    with pytest.raises(ParseFailure) as failure:
        parse(b"Reporter,Partner,Year,Trade Value\nChina,Japan,2024,1\n")

    assert str(failure.value) == (
        "Unknown file layout: the first line starts with 'Reporter', 'Partner', 'Year', "
        "'Trade Value'. Supported layouts: RareGate CSV "
        "(series,period,partner,tonnes,value,value_unit,source_url); GACC's table of major "
        "export commodities (全国出口重点商品量值表) as .csv, .xlsx or .xls; UN Comtrade API CSV "
        '(47 columns, typeCode … isAggregate); UN Comtrade API JSON ({"data": [...]}); '
        "UN Comtrade bulk file (34 tab-separated columns, datasetCode …), plain or gzip."
    )


def test_a_comtrade_header_with_columns_missing_is_an_unknown_layout():
    header = b"typeCode,freqCode,reporterCode,isAggregate\nC,M,156,False\n"

    with pytest.raises(ParseFailure, match=r"^Unknown file layout: the first line starts with "):
        parse(header)
