"""The register Compliance keeps in the app: measures recorded and edited with a source for
every change, what happened when a suspension ended, screening reviews, the 0.1 % rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from licensing.de_minimis import de_minimis_check
from licensing.models import ControlMeasure, ScreeningMatch
from licensing.register import control_measure_update

pytestmark = pytest.mark.django_db

NO70 = "MOFCOM/GACC Announcement No. 70 of 2025"
API = "/api/v1/control-measures/"


def test_compliance_records_an_extension_on_no_70_through_the_api(
    compliance_client, analyst_client, reference_data
):
    no70 = ControlMeasure.objects.get(reference=NO70)

    response = compliance_client.patch(
        f"{API}{no70.pk}/",
        {
            "outcome": "extended",
            "extended_until": "2027-11-10",
            "outcome_known_on": "2026-11-09",
            "outcome_source_url": "https://example.org/mofcom-2026-no-70",
            "change_source_url": "https://example.org/mofcom-2026-no-70",
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "extended"
    no57 = analyst_client.get(API, {"on": "2026-12-01", "element": "Ho"}).json()["results"][0]
    assert (no57["state"], no57["state_until"]) == ("extended", "2027-11-10")
    history = analyst_client.get(f"{API}{no70.pk}/history/").json()["results"]
    assert history[0]["changes"]


def test_a_change_without_a_source_is_refused_and_nothing_is_stored(
    compliance_client, reference_data
):
    no70 = ControlMeasure.objects.get(reference=NO70)

    response = compliance_client.patch(
        f"{API}{no70.pk}/", {"title": "Reworded"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "change_source_url" in response.json()
    no70.refresh_from_db()
    assert no70.title != "Reworded" and no70.edited_at is None


def test_an_outcome_is_recorded_on_the_suspension_not_on_the_measures_it_suspends(
    reference_data,
):
    no57 = ControlMeasure.objects.get(reference="MOFCOM Announcement No. 57 of 2025")

    with pytest.raises(ValidationError, match="Record what happened on No. 70"):
        control_measure_update(
            measure=no57,
            data={
                "outcome": "lapsed",
                "outcome_known_on": date(2026, 11, 11),
                "outcome_source_url": "https://example.org/x",
            },
            change_source_url="https://example.org/x",
        )


def test_compliance_edits_a_measure_in_the_app_and_its_history_names_the_source(
    compliance_client, reference_data
):
    no70 = ControlMeasure.objects.get(reference=NO70)
    form = compliance_client.get(f"/control-measures/{no70.pk}/edit/")
    assert form.status_code == 200
    data = {
        "reference": no70.reference,
        "authority": no70.authority,
        "kind": no70.kind,
        "title": no70.title,
        "announced_on": "2025-11-07",
        "effective_from": "2025-11-07",
        "in_force_until": "2026-11-10",
        "source_url": no70.source_url,
        "outcome": "lapsed",
        "outcome_known_on": "2026-11-12",
        "outcome_source_url": "https://example.org/lapse-notice",
        "change_source_url": "https://example.org/lapse-notice",
    }

    response = compliance_client.post(f"/control-measures/{no70.pk}/edit/", data)

    assert response.status_code == 302
    no70.refresh_from_db()
    assert (no70.outcome, no70.outcome_known_on) == ("lapsed", date(2026, 11, 12))
    assert no70.edited_at is not None
    page = compliance_client.get(f"/control-measures/{no70.pk}/").content.decode()
    assert "https://example.org/lapse-notice" in page
    assert "Lapsed as scheduled" in page


def test_an_analyst_may_not_edit_a_measure(analyst_client, reference_data):
    no70 = ControlMeasure.objects.get(reference=NO70)

    assert analyst_client.get(f"/control-measures/{no70.pk}/edit/").status_code == 403
    assert analyst_client.get(f"/control-measures/{no70.pk}/").status_code == 200


def test_compliance_reviews_a_possible_match_on_its_page(compliance_client, reference_data):
    match = ScreeningMatch.objects.get(automaker__name="SUBARU Corporation")

    refused = compliance_client.post(
        f"/screening/{match.pk}/review/", {"status": "dismissed", "reason": ""}
    )
    assert refused.status_code == 200
    response = compliance_client.post(
        f"/screening/{match.pk}/review/",
        {"status": "dismissed", "reason": "A test of the review page."},
    )

    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.reason) == ("dismissed", "A test of the review page.")
    assert "A test of the review page." in compliance_client.get("/screening/").content.decode()


def test_the_lookup_page_answers_for_a_code(analyst_client, reference_data):
    page = analyst_client.get(
        "/controls/lookup/", {"code": "8505111000", "on": "2026-12-01"}
    ).content.decode()

    assert "MOFCOM/GACC Announcement No. 18 of 2025" in page
    assert "Suspension ended on 10 November 2026 — awaiting confirmation" in page
    assert "form (no code named)" in page
    refused = analyst_client.get("/controls/lookup/", {"code": "magnets"})
    assert "is not a code" in refused.content.decode()


ITEM = {"item_value": Decimal("10000"), "chinese_technology": False}


@pytest.mark.parametrize(
    ("on", "content", "needs"),
    [
        (date(2025, 10, 20), Decimal("50"), False),  # announced, not yet effective
        (date(2026, 6, 1), Decimal("50"), False),  # suspended
        (date(2026, 12, 1), Decimal("50"), None),  # the suspension ended: nobody knows
        (date(2026, 12, 1), Decimal("9.99"), False),  # under 0.1 %
    ],
)
def test_the_0_1_percent_rule_quotes_no_61_and_its_state(reference_data, on, content, needs):
    answer = de_minimis_check(content_value=content, on=on, **ITEM)

    assert answer.needs_licence is needs
    assert answer.measure.reference == "MOFCOM Announcement No. 61 of 2025"
    if needs is None:
        assert "awaiting confirmation" in answer.verdict
        assert "0.5% of its value" in answer.verdict


def test_the_0_1_percent_rule_needs_a_licence_once_no_61_is_confirmed_in_force(reference_data):
    no70 = ControlMeasure.objects.get(reference=NO70)
    control_measure_update(
        measure=no70,
        data={
            "outcome": "lapsed",
            "outcome_known_on": date(2026, 11, 11),
            "outcome_source_url": "https://example.org/lapse",
        },
        change_source_url="https://example.org/lapse",
    )

    exactly = de_minimis_check(content_value=Decimal("10"), on=date(2026, 12, 1), **ITEM)
    technology = de_minimis_check(
        item_value=Decimal("10000"),
        content_value=Decimal("0"),
        chinese_technology=True,
        on=date(2026, 12, 1),
    )

    assert exactly.needs_licence is True and exactly.share == "0.1"
    assert technology.needs_licence is True
    assert "Chinese rare-earth technology" in technology.verdict


def test_the_calculator_page_answers_and_refuses_content_worth_more_than_the_item(
    analyst_client, reference_data
):
    answer = analyst_client.get(
        "/controls/de-minimis/",
        {"item_value": "10000", "content_value": "50", "on": "2026-12-01"},
    ).content.decode()
    refused = analyst_client.get(
        "/controls/de-minimis/", {"item_value": "10", "content_value": "50"}
    ).content.decode()

    assert 'data-needs-licence="unknown"' in answer
    assert "cannot be worth more than the item" in refused


def test_the_0_1_percent_api_says_unknown_while_no_61_awaits_confirmation(
    analyst_client, reference_data
):
    response = analyst_client.get(
        "/api/v1/controls/de-minimis/",
        {"item_value": "10000", "content_value": "50", "on": "2026-12-01"},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["needs_licence"], body["state"], body["share_percent"]) == (
        None,
        "awaiting_confirmation",
        "0.500",
    )
    assert body["measure"] == "MOFCOM Announcement No. 61 of 2025"
    too_much = analyst_client.get(
        "/api/v1/controls/de-minimis/", {"item_value": "10", "content_value": "50"}
    )
    assert too_much.status_code == 400 and "content_value" in too_much.json()


def test_compliance_records_a_control_item_with_its_codes_and_the_load_keeps_it(
    compliance_client, reference_data
):
    no18 = ControlMeasure.objects.get(reference="MOFCOM/GACC Announcement No. 18 of 2025")
    terbium = no18.items.get(control_code="1C904.a", form="metal")
    data = {
        "control_code": "1C904.a",
        "elements": [terbium.elements.get().pk],
        "form": "metal",
        "form_detail": terbium.form_detail,
        "description": "Terbium metal",
        "confidence": "unconfirmed",
        "confidence_note": "code from a customs broker's note",
        "quote": "",
        "source_url": "https://example.org/broker-note",
        "codes": "2805301920\n",
        "change_source_url": "https://example.org/broker-note",
    }

    response = compliance_client.post(f"/control-items/{terbium.pk}/edit/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    terbium.refresh_from_db()
    assert [(c.commodity_code, c.hs_subheading, c.confidence) for c in terbium.codes.all()] == [
        ("2805301920", "280530", "unconfirmed")
    ]
    assert terbium.history.first().history_change_reason == "https://example.org/broker-note"
    call_command("load_reference", stdout=StringIO())
    terbium.refresh_from_db()
    assert terbium.description == "Terbium metal"
    answer = compliance_client.get(
        "/api/v1/controls/lookup/", {"code": "2805301920", "on": "2025-12-15"}
    ).json()
    assert ("1C904.a", "unconfirmed") in {
        (i["control_code"], i["confidence"]) for i in answer["items"]
    }


def test_compliance_adds_a_list_entry_and_the_parties_are_screened_against_it(
    compliance_client, analyst_client, reference_data
):
    entry = {
        "list": "watch_list",
        "announcement": "MOFCOM Announcement No. 40 of 2026",
        "listed_on": "2026-10-01",
        "name_en": "Toyota Motor Corporation",
        "country": "Japan",
        "source_url": "https://example.org/no-40",
        "confidence": "confirmed",
    }

    refused = analyst_client.post("/api/v1/entity-lists/", entry, content_type="application/json")
    response = compliance_client.post(
        "/api/v1/entity-lists/", entry, content_type="application/json"
    )

    assert refused.status_code == 403
    assert response.status_code == 201, response.content
    assert response.json()["country_code"] == "JPN"
    toyota = ScreeningMatch.objects.get(automaker__name="Toyota Motor Corp.")
    assert (toyota.status, toyota.entry.name_en) == ("possible", "Toyota Motor Corporation")
