"""GET /api/v1/controls/lookup/: what applies to a code on a day, on the reference data."""

from __future__ import annotations

from datetime import date

import pytest

from licensing.models import ControlMeasure
from licensing.register import control_measure_update

pytestmark = pytest.mark.django_db

URL = "/api/v1/controls/lookup/"
NO18 = "MOFCOM/GACC Announcement No. 18 of 2025"
NO57 = "MOFCOM Announcement No. 57 of 2025"


def lookup(client, code: str, on: str) -> dict:
    response = client.get(URL, {"code": code, "on": on})
    assert response.status_code == 200, response.content
    return response.json()


def states(answer: dict) -> dict[str, str]:
    return {measure["reference"]: measure["state"] for measure in answer["measures"]}


@pytest.mark.parametrize("code", ["8505111000", "850511", "8505.11", "8505 11"])
def test_a_magnet_code_in_any_writing_finds_no_18_and_no_57(analyst_client, reference_data, code):
    answer = lookup(analyst_client, code, "2025-12-15")

    assert answer["hs6"] == "8505.11"
    assert states(answer)[NO18] == "in_force"
    assert states(answer)[NO57] == "suspended"
    # No. 18 names magnets but gives them no code: matched by form, and said so.
    magnets = {(i["control_code"], i["matched_by"]) for i in answer["items"]}
    assert ("1C904.a", "form") in magnets and ("1C902.a", "form") in magnets
    assert {s["code"] for s in answer["series"]} >= {"gacc-ndfeb-magnets", "comtrade-850511"}
    assert "gacc-rare-earths" not in {s["code"] for s in answer["series"]}


def test_before_no_18_nothing_applied_to_samarium_metal(analyst_client, reference_data):
    answer = lookup(analyst_client, "2805301910", "2025-04-03")

    assert answer["measures"] == []
    assert answer["items"] == []
    assert answer["licences"] == [] and answer["licences_count"] == 0


def test_samarium_metal_by_its_code_from_no_18_on(analyst_client, reference_data):
    answer = lookup(analyst_client, "2805301910", "2025-04-04")

    assert states(answer) == {NO18: "in_force"}
    item = next(i for i in answer["items"] if i["control_code"] == "1C902.a")
    assert (item["elements"], item["form"], item["matched_by"], item["confidence"]) == (
        ["Sm"],
        "metal",
        "code",
        "confirmed",
    )
    assert item["codes"][0]["commodity_code"] == "2805301910"


def test_holmium_through_no_57_from_announcement_to_the_end_of_its_suspension(
    analyst_client, reference_data
):
    days = {
        "2025-10-20": "announced",  # between its announcement and its suspension
        "2025-12-15": "suspended",
        "2026-11-10": "suspended",
        "2026-12-01": "awaiting_confirmation",  # nobody has recorded what happened
    }
    for day, expected in days.items():
        answer = lookup(analyst_client, "Ho", day)
        assert states(answer)[NO57] == expected, day
        assert {i["control_code"] for i in answer["items"]} == {"1C909.a"}


def test_after_a_confirmed_lapse_no_57_is_in_force_again(analyst_client, reference_data):
    no70 = ControlMeasure.objects.get(reference="MOFCOM/GACC Announcement No. 70 of 2025")
    control_measure_update(
        measure=no70,
        data={
            "outcome": "lapsed",
            "outcome_known_on": date(2026, 11, 12),
            "outcome_source_url": "https://example.org/no-70-lapsed",
        },
        change_source_url="https://example.org/no-70-lapsed",
    )

    assert states(lookup(analyst_client, "280530", "2026-11-11"))[NO57] == "awaiting_confirmation"
    after = lookup(analyst_client, "280530", "2026-12-01")
    assert states(after)[NO57] == "in_force"
    assert next(m for m in after["measures"] if m["reference"] == NO57)["since"] == "2026-11-11"


def test_a_control_code_finds_its_items_and_their_measure(analyst_client, reference_data):
    answer = lookup(analyst_client, "1C902", "2025-12-15")

    assert answer["kind"] == "control code"
    assert answer["hs6"] is None
    assert {i["control_code"] for i in answer["items"]} == {"1C902.a", "1C902.b", "1C902.c"}
    assert states(answer) == {NO18: "in_force"}
    # The general licences of 2 December 2025 name samarium: they cover it that day.
    assert answer["licences_count"] == 3
    assert {licence["exporter"] for licence in answer["licences"]} >= {"JL Mag Rare-Earth Co. Ltd."}


def test_a_magnet_code_finds_the_general_licences_valid_that_day(analyst_client, reference_data):
    assert lookup(analyst_client, "8505111000", "2026-11-30")["licences_count"] == 3
    assert lookup(analyst_client, "8505111000", "2026-12-02")["licences_count"] == 0


def test_an_inferred_control_code_is_never_shown_as_confirmed(analyst_client, reference_data):
    answer = lookup(analyst_client, "1C905", "2025-12-15")

    assert [(i["control_code"], i["confidence"]) for i in answer["items"]] == [
        ("1C905", "inferred")
    ]


@pytest.mark.parametrize("code", ["", "magnets", "12", "8505111000123"])
def test_text_that_is_no_code_is_refused_with_what_to_give(analyst_client, reference_data, code):
    response = analyst_client.get(URL, {"code": code})

    assert response.status_code == 400
    assert "code" in response.json()
