"""Text is decoded as sources write it: UTF-8 (BOM or not), GBK/GB18030, Latin-1 for Comtrade."""

from __future__ import annotations

import pytest

from exports.parsers import ParseFailure
from exports.parsers.decoding import detect_encoding

from .files import comtrade_api_csv, comtrade_record, gacc_csv, gacc_grid, parse, raregate_csv

UNDETERMINED = (
    "Could not determine the file's text encoding: it is not UTF-8, GBK/GB18030, "
    "or a Latin-1 Comtrade file."
)


def test_plain_ascii_and_utf8_are_utf8():
    assert detect_encoding(b"series,period\n") == "utf-8"
    assert detect_encoding("商品名称,计量单位\n".encode()) == "utf-8"


def test_a_utf8_bom_is_recognised_and_dropped():
    data = b"\xef\xbb\xbf" + raregate_csv("gacc-rare-earths,2025-11,,5493.873,,,")

    result = parse(data)

    assert detect_encoding(data) == "utf-8-sig"
    assert result.format == "raregate_csv"
    assert result.rows["tonnes"].tolist() == [5493.873]


def test_chinese_text_in_gbk_or_gb18030_is_gb18030():
    assert detect_encoding("2025年11月全国出口重点商品量值表\n稀土,吨\n".encode("gbk")) == "gb18030"
    assert detect_encoding(gacc_csv(gacc_grid(), encoding="gb18030")) == "gb18030"


def test_a_gbk_gacc_table_is_parsed():
    result = parse(gacc_csv(gacc_grid(), encoding="gbk"))

    assert result.rows[["series", "tonnes"]].values.tolist() == [["gacc-rare-earths", 5493.873]]


def test_a_latin1_comtrade_file_is_latin1_and_parsed():
    data = (
        comtrade_api_csv(
            comtrade_record(partnerCode=384, partnerDesc="Côte d'Ivoire", reporterDesc="China")
        )
        .decode()
        .encode("latin-1")
    )

    result = parse(data)

    assert detect_encoding(data) == "latin-1"
    assert result.rows["partner"].tolist() == ["CIV"]


def test_latin1_outside_comtrade_cannot_be_decoded():
    data = "series,period,partner,tonnes,value,value_unit,source_url\nCafé,2025-11,,1,,,\n"

    with pytest.raises(ParseFailure) as failure:
        parse(data.encode("latin-1"))

    assert str(failure.value) == UNDETERMINED


def test_a_bom_before_bytes_that_are_not_utf8_cannot_be_decoded():
    with pytest.raises(ParseFailure) as failure:
        detect_encoding(b"\xef\xbb\xbfseries,period\n\xff\xfe\n")

    assert str(failure.value) == UNDETERMINED


def test_bytes_that_decode_as_gb18030_without_chinese_text_cannot_be_decoded():
    # Valid GB18030 (an ideographic comma and a full-width yen sign) but no Chinese character.
    with pytest.raises(ParseFailure, match="^Could not determine the file's text encoding"):
        detect_encoding(b"a,b\n\xa1\xa2,\xa3\xa4\n")
