"""Screening parties against MOFCOM's lists, Compliance's review, and what a confirmed listing
does to cover."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from licensing import services
from licensing.models import Approval, Automaker, EntityListEntry, Licence, ScreeningMatch
from licensing.screening import entries_screen, party_screen, screening_match_review
from licensing.selectors import CoverStatus, automaker_status
from tests.factories import ApprovalFactory, AutomakerFactory, ExporterFactory, LicenceFactory

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/mofcom-list"


def entry(list_: str, name: str, listed_on: date, **fields) -> EntityListEntry:
    return EntityListEntry.objects.create(
        list=list_,
        announcement="MOFCOM Announcement No. 12 of 2026",
        listed_on=listed_on,
        name_en=name,
        country=fields.pop("country", "Japan"),
        country_code=fields.pop("country_code", "JPN"),
        source_url=SOURCE,
        confidence="confirmed",
        **fields,
    )


def status(automaker: Automaker, day: date) -> str:
    return automaker_status(automaker=automaker, on=day).status


def test_subaru_and_hino_need_individual_licences_from_the_watch_listing(
    reference_data, analyst_client
):
    for name in ("SUBARU Corporation", "Hino Motors, Ltd."):
        automaker = Automaker.objects.get(name=name)
        match = automaker.screening_matches.get()
        assert (match.status, match.entry.list) == ("confirmed", "watch_list")
        assert status(automaker, date(2026, 2, 23)) == CoverStatus.NO_INFORMATION
        assert status(automaker, date(2026, 2, 24)) == CoverStatus.NEEDS_INDIVIDUAL_LICENCE

    subaru = Automaker.objects.get(name="SUBARU Corporation")
    page = analyst_client.get(f"/automakers/{subaru.pk}/").content.decode()
    assert "Needs an individual licence" in page
    assert "MOFCOM Announcement No. 12 of 2026" in page
    assert "https://www.ettoday.net/news/20260224/3122152.htm" in page  # the entry's source
    assert "General licences cannot cover it" in page


@pytest.fixture
def covered_by_a_general_licence():
    automaker = AutomakerFactory(name="Kanto Motor Corporation", country="JPN")
    exporter = ExporterFactory()
    licence = LicenceFactory(
        exporter=exporter,
        kind=Licence.Kind.GENERAL,
        valid_from=date(2025, 12, 2),
        valid_until=date(2026, 12, 1),
    )
    ApprovalFactory(
        automaker=automaker,
        exporter=exporter,
        licence=licence,
        status=Approval.Status.APPROVED,
        claimed_on=date(2026, 1, 10),
    )
    return automaker, exporter


def test_a_confirmed_watch_listing_turns_general_licence_cover_into_needs_an_individual_one(
    covered_by_a_general_licence,
):
    automaker, exporter = covered_by_a_general_licence
    listed = entry("watch_list", "Kanto Motor Corp.", date(2026, 3, 1))
    entries_screen(entries=[listed])
    match = automaker.screening_matches.get()
    assert match.status == "possible"
    # A possible match changes nothing until Compliance confirms it.
    assert status(automaker, date(2026, 3, 2)) == CoverStatus.COVERED

    screening_match_review(match=match, status="confirmed", reason="Same company, same address.")

    assert status(automaker, date(2026, 2, 28)) == CoverStatus.COVERED
    assert status(automaker, date(2026, 3, 1)) == CoverStatus.NEEDS_INDIVIDUAL_LICENCE
    # An individual licence of the exporter covers it again.
    LicenceFactory(
        exporter=exporter,
        kind=Licence.Kind.INDIVIDUAL,
        valid_from=date(2026, 3, 5),
        valid_until=date(2026, 9, 30),
    )
    ApprovalFactory(
        automaker=automaker,
        exporter=exporter,
        licence_kind=Licence.Kind.INDIVIDUAL,
        status=Approval.Status.APPROVED,
        claimed_on=date(2026, 3, 6),
    )
    assert status(automaker, date(2026, 3, 10)) == CoverStatus.COVERED


def test_a_confirmed_control_listing_bars_the_paths_through_the_party(
    covered_by_a_general_licence,
):
    automaker, _ = covered_by_a_general_licence
    listed = entry("export_control_control_list", "KANTO MOTOR CORPORATION", date(2026, 4, 1))
    entries_screen(entries=[listed])
    match = automaker.screening_matches.get()
    screening_match_review(match=match, status="confirmed", reason="Named in the notice.")

    assert status(automaker, date(2026, 3, 31)) == CoverStatus.COVERED
    assert status(automaker, date(2026, 4, 1)) == CoverStatus.BARRED
    # Delisted, the path counts again from that day.
    listed.delisted_on = date(2026, 5, 1)
    listed.save()
    assert status(automaker, date(2026, 5, 1)) == CoverStatus.COVERED


def test_a_dismissed_match_changes_nothing_and_its_reason_stays_in_history(
    covered_by_a_general_licence, compliance
):
    automaker, _ = covered_by_a_general_licence
    entries_screen(entries=[entry("watch_list", "Kanto Motors", date(2026, 3, 1))])
    match = automaker.screening_matches.get()

    screening_match_review(
        match=match, status="dismissed", reason="A different company in Osaka.", user=compliance
    )

    assert status(automaker, date(2026, 3, 2)) == CoverStatus.COVERED
    latest = match.history.first()
    assert (latest.status, latest.reason, latest.history_user) == (
        "dismissed",
        "A different company in Osaka.",
        compliance,
    )
    with pytest.raises(ValidationError, match="Say why"):
        screening_match_review(match=match, status="confirmed", reason="  ")


def test_an_importer_is_screened_when_created_and_again_when_renamed():
    entry("watch_list", "TDK Corporation", date(2026, 2, 24))

    importer = services.importer_create(name="TDK Corp.", country="JPN", kind="tier1_supplier")
    assert [m.matched_name for m in importer.screening_matches.all()] == ["TDK Corporation"]

    services.importer_update(importer=importer, data={"name": "Tokyo Denki Kagaku"})
    assert not importer.screening_matches.exists()


def test_rescreening_keeps_a_reviewed_match(covered_by_a_general_licence):
    automaker, _ = covered_by_a_general_licence
    entries_screen(entries=[entry("watch_list", "Kanto Motor Corp.", date(2026, 3, 1))])
    match = automaker.screening_matches.get()
    screening_match_review(match=match, status="dismissed", reason="Different company.")

    automaker.name = "Kanto Trading"
    automaker.save()
    party_screen(party=automaker)

    assert ScreeningMatch.objects.get(pk=match.pk).status == "dismissed"


NEAR_MISSES = [
    ("ＳＵＢＡＲＵ　ＣＯＲＰＯＲＡＴＩＯＮ", "JPN"),  # full width
    ("subaru corp", "JPN"),  # case, legal form
    ("SUBARU Co., Ltd.", "JPN"),
    ("斯巴鲁株式会社", ""),  # the Chinese name of the entry
]


@pytest.mark.parametrize(("name", "country"), NEAR_MISSES)
def test_the_screening_api_matches_near_miss_names(analyst_client, reference_data, name, country):
    response = analyst_client.post(
        "/api/v1/screenings/", {"name": name, "country": country}, content_type="application/json"
    )

    assert response.status_code == 200
    matches = response.json()["matches"]
    assert matches[0]["list"] == "watch_list"
    assert matches[0]["entry"]["name_en"] == "SUBARU Corporation"
    assert matches[0]["score"] >= 88


def test_a_transliteration_matches(analyst_client, reference_data):
    response = analyst_client.post(
        "/api/v1/screenings/",
        {"name": "Mitsubishi Heavy Industries Ship Building Co., Ltd.", "country": "JPN"},
        content_type="application/json",
    )

    names = [m["entry"]["name_en"] for m in response.json()["matches"]]
    assert "Mitsubishi Heavy Industries Shipbuilding Co." in names


@pytest.mark.parametrize(
    "name", ["Mitsubishi Motors Corporation", "Toyota Motor Corp.", "General Motors Co."]
)
def test_different_companies_do_not_match(analyst_client, reference_data, name):
    response = analyst_client.post(
        "/api/v1/screenings/", {"name": name}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["matches"] == []


def test_the_entity_lists_api_filters_by_list_and_day(analyst_client, reference_data):
    listed = analyst_client.get(
        "/api/v1/entity-lists/", {"list": "watch_list", "listed_on": "2026-03-01"}
    ).json()
    names = {row["name_en"] for row in listed["results"]}

    assert {"SUBARU Corporation", "Hino Motors, Ltd.", "TDK Corporation"} <= names
    before = analyst_client.get(
        "/api/v1/entity-lists/", {"list": "watch_list", "listed_on": "2026-02-23"}
    ).json()
    assert "SUBARU Corporation" not in {row["name_en"] for row in before["results"]}


HEADER = "list,announcement,listed_on,name_en,name_zh,country,source_url\n"


def test_a_list_file_is_imported_and_its_entries_screened(tmp_path, covered_by_a_general_licence):
    automaker, _ = covered_by_a_general_licence
    path = tmp_path / "watch.csv"
    path.write_text(
        HEADER + "watch_list,MOFCOM Announcement No. 30 of 2026,2026-09-01,"
        "Kanto Motor Corp.,,Japan,https://example.org/no-30\n",
        encoding="utf-8",
    )
    out = StringIO()

    call_command("import_entity_list", str(path), stdout=out)

    entry = EntityListEntry.objects.get(name_en="Kanto Motor Corp.")
    assert (entry.list, entry.country_code) == ("watch_list", "JPN")
    assert automaker.screening_matches.get().entry == entry
    assert "possible list matches found: 1" in out.getvalue()


def test_a_list_file_with_a_bad_row_loads_nothing_and_names_the_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "watch_list,No. 30,2026-09-01,Good Name,,Japan,https://example.org/a\n"
        + "black_list,No. 30,1 Sept 2026,,,Japan,ftp://example.org/b\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as raised:
        call_command("import_entity_list", str(path), stdout=StringIO())

    message = str(raised.value)
    assert "bad.csv, line 3, column list: “black_list” is none of" in message
    assert "bad.csv, line 3, column listed_on: “1 Sept 2026” is not a date" in message
    assert "bad.csv, line 3, column name_en" in message
    assert "bad.csv, line 3, column source_url" in message
    assert not EntityListEntry.objects.exists()
