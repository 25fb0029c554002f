from __future__ import annotations

import time

import pytest

from licensing.names import (
    MATCH_THRESHOLD,
    Candidate,
    NameMatch,
    candidate,
    country_code,
    normalise_name,
    screen,
    similarity,
)


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("SUBARU Corporation", "subaru"),
        ("ＳＵＢＡＲＵ株式会社", "subaru"),
        ("TDK株式会社", "tdk"),
        ("Hino Motors, Ltd.", "hino motors"),
        ("  Hino   Motors ", "hino motors"),
        ("Gibbs&Cox, Inc.", "gibbs cox"),
        ("USA Rare Earth, L.L.C.", "usa rare earth"),
        ("Volkswagen AG", "volkswagen"),
        ("Fiat S.p.A.", "fiat"),
        ("Koninklijke Philips N.V.", "koninklijke philips"),
        ("Robert Bosch GmbH & Co. KG", "robert bosch"),
        ("Kabushiki Kaisha Toshiba", "toshiba"),
        ("The Boeing Company", "boeing"),
        ("Société Générale S.A.", "societe generale"),
        ("McDonald’s Corporation", "mcdonalds"),
        ("Beijing Zhong Ke San Huan High-Tech Co. Ltd.", "beijing zhong ke san huan high tech"),
        ("北京中科三环高技术股份有限公司", "北京中科三环高技术"),
        ("中国稀土集团有限公司", "中国稀土集团"),
        ("㈱デンソー", "デンソー"),
        ("株式会社デンソー", "デンソー"),
    ],
)
def test_it_normalises_a_name_to_its_distinctive_words(name, normalised):
    assert normalise_name(name) == normalised


@pytest.mark.parametrize(
    ("name", "normalised"), [("Co., Ltd.", "co ltd"), ("株式会社", "株式会社")]
)
def test_it_keeps_a_name_made_only_of_a_legal_form(name, normalised):
    assert normalise_name(name) == normalised


def test_it_normalises_an_empty_name_to_an_empty_string():
    assert normalise_name("") == ""


def one(key: object, *names: str, country: str = "") -> list[Candidate]:
    return [candidate(key, names, country)]


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("SUBARU Corporation", "Subaru Corp."),
        ("ＳＵＢＡＲＵ株式会社", "SUBARU Corporation"),
        ("Hino Motors, Ltd.", "HINO MOTORS LTD"),
        ("Hino Motors", "Hino Motors, Ltd."),
        ("Mitsubishi Materials Corporation", "Mitsubishi Materials Corp"),
        ("MP Materials Corp.", "MP Materials"),
        ("USA Rare Earth, Inc.", "USA Rare Earth LLC"),
        ("Gibbs&Cox, Inc.", "Gibbs & Cox"),
        ("Kabushiki Kaisha Toshiba", "Toshiba Corporation"),
        ("Société Générale S.A.", "Societe Generale"),
        ("Raytheon Missiles and Defense", "Raytheon Missiles & Defense"),
    ],
)
def test_it_matches_the_same_company_written_another_way(name, listed):
    assert screen(name, "", one(1, listed)) == [NameMatch(1, listed, 100.0, False)]


@pytest.mark.parametrize(
    ("name", "listed"),
    [("Zhongke Sanhuan", "Zhong Ke San Huan"), ("Ningbo Yunsheng", "Ning Bo Yun Sheng")],
)
def test_it_matches_a_transliteration_spaced_otherwise(name, listed):
    assert [match.score for match in screen(name, "CHN", one(1, listed))] == [100.0]


@pytest.mark.parametrize(
    ("name", "listed", "score"),
    [
        ("Lockheed Martin Corporation", "Lockhead Martin Corp", 93.3),
        ("Huntington Ingalls Industries, Inc.", "Huntington Ingals Industries", 98.2),
        ("Mitsubishi Material Corp", "Mitsubishi Materials Corporation", 97.4),
    ],
)
def test_it_matches_a_name_with_a_typo(name, listed, score):
    assert [match.score for match in screen(name, "", one(1, listed))] == [score]


def test_it_matches_an_entry_by_its_japanese_name_and_says_which_name():
    entries = one(7, "东电化株式会社", "TDK株式会社")

    assert screen("TDK Corporation", "JPN", entries) == [NameMatch(7, "TDK株式会社", 100.0, False)]


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("Mitsubishi Motors Corporation", "Mitsubishi Materials Corporation"),
        ("Mitsubishi Electric Corporation", "Mitsubishi Electric Software Corporation"),
        ("Toyota Motor Corp.", "Hino Motors, Ltd."),
        ("General Motors Co.", "General Dynamics"),
        ("Ford Motor Co.", "Oceaneering International, Inc."),
        ("Honda Motor Co., Ltd.", "Hino Motors, Ltd."),
        ("General Dynamics Land Systems", "General Dynamics"),
    ],
)
def test_it_does_not_match_a_different_company(name, listed):
    assert similarity(name, listed) < MATCH_THRESHOLD
    assert screen(name, "", one(1, listed)) == []


def test_it_does_not_match_a_parent_with_its_subsidiary_on_the_list():
    assert screen("Mitsubishi Electric Corp.", "JPN", one(1, "Mitsubishi Electric Software")) == []


@pytest.mark.parametrize(
    ("name", "listed", "score"),
    [("TDK Corporation", "TDX Corporation", 0.0), ("TDK", "T.D.K. Corp.", 100.0)],
)
def test_it_matches_a_short_name_only_when_equal(name, listed, score):
    assert similarity(name, listed) == score


def test_it_does_not_match_on_legal_forms_alone():
    assert similarity("Acme Co., Ltd.", "Zenith Co., Ltd.") < 50
    assert screen("Acme Co., Ltd.", "", one(1, "Zenith Co., Ltd.")) == []


def test_it_reports_a_match_in_another_country():
    assert screen("Hino Motors", "JPN", one(1, "Hino Motors, Ltd.", country="USA")) == [
        NameMatch(1, "Hino Motors, Ltd.", 100.0, True)
    ]


@pytest.mark.parametrize(("country", "listed_country"), [("", "JPN"), ("JPN", ""), ("jpn", "JPN")])
def test_it_does_not_say_countries_differ_unless_both_are_known_and_differ(country, listed_country):
    (match,) = screen("Hino Motors", country, one(1, "Hino Motors", country=listed_country))

    assert not match.country_differs


def test_it_lists_matches_best_first_then_by_key():
    entries = [
        candidate(3, ["Mitsubishi Material"]),
        candidate(2, ["Mitsubishi Materials Corp."]),
        candidate(1, ["Mitsubishi Materials Co., Ltd."]),
        candidate(4, ["Mitsubishi Motors"]),
    ]

    matches = screen("Mitsubishi Materials Corporation", "", entries)

    assert [(match.key, match.score) for match in matches] == [(1, 100.0), (2, 100.0), (3, 97.4)]


def test_it_reports_a_candidate_once_with_its_best_name():
    entries = [
        candidate(1, ["Hino Motor", "Hino Motors, Ltd."]),
        candidate(1, ["HINO MOTORS SALES"]),
    ]

    assert screen("Hino Motors", "", entries) == [NameMatch(1, "Hino Motors, Ltd.", 100.0, False)]


def test_it_uses_the_threshold_it_is_given():
    entries = one(1, "Mitsubishi Electric Software")

    assert [match.score for match in screen("Mitsubishi Electric", "", entries, threshold=80)] == [
        81.8
    ]


def test_it_makes_a_candidate_of_the_names_that_are_given():
    names = ["Hino Motors, Ltd.", "", None, " Hino Motors, Ltd. ", "日野自動車株式会社"]
    entry = candidate(5, names, "jpn")

    assert entry == Candidate(5, ("Hino Motors, Ltd.", "日野自動車株式会社"), "JPN")
    assert [normalised for _, normalised, _ in entry.compared] == ["hino motors", "日野自動車"]


def test_it_screens_a_name_against_a_list_quickly():
    entries = [
        candidate(key, [f"Company Number {key} Ltd.", f"公司{key}有限公司", f"Alias {key} Corp."])
        for key in range(300)
    ]

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        screen("Mitsubishi Materials Corporation", "JPN", entries)
        timings.append(time.perf_counter() - started)

    assert min(timings) < 0.05


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("United States", "USA"),
        ("Japan", "JPN"),
        ("Taiwan (listed by MOFCOM as 台湾地区)", "TWN"),
        ("Czech Republic", "CZE"),
        ("United Kingdom", "GBR"),
        ("UK", "GBR"),
        ("South Korea", "KOR"),
        ("Russia", "RUS"),
        ("USA", "USA"),
        ("DEU", "DEU"),
    ],
)
def test_it_finds_the_code_of_a_country_as_the_lists_write_it(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "United States per dataset (TASS calls it UK-based)",
        "EU (member state not stated in source)",
        "Korea",
        "Atlantis",
        "",
    ],
)
def test_it_finds_no_code_for_an_unknown_or_disputed_country(text):
    assert country_code(text) == ""
