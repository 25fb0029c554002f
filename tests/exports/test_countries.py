"""Partner codes: ISO 3166-1 alpha-3, and UN Comtrade's own partner codes."""

from __future__ import annotations

import pytest

from exports.parsers.countries import comtrade_partner_iso, is_iso_alpha3


@pytest.mark.parametrize(
    ("code", "iso"),
    [
        ("0", ""),
        ("842", "USA"),
        ("699", "IND"),
        ("251", "FRA"),
        ("381", "ITA"),
        ("579", "NOR"),
        ("757", "CHE"),
        ("490", "TWN"),
        ("276", "DEU"),
        ("392", "JPN"),
        ("410", "KOR"),
        ("344", "HKG"),
        ("036", "AUS"),
        (" 704 ", "VNM"),
    ],
)
def test_comtrade_codes_map_to_iso_alpha3(code, iso):
    assert comtrade_partner_iso(code) == iso


@pytest.mark.parametrize("code", ["899", "58", "711", "492", "97", "839", "891", "W00", ""])
def test_groupings_former_states_and_unknown_codes_have_no_iso_code(code):
    assert comtrade_partner_iso(code) is None


def test_iso_alpha3_codes_are_checked_against_the_standard():
    assert is_iso_alpha3("DEU")
    assert is_iso_alpha3("TWN")
    assert not is_iso_alpha3("deu")
    assert not is_iso_alpha3("XKX")
    assert not is_iso_alpha3("EU")
