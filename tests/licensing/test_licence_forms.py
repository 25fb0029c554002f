"""Recording and editing licences through the pages, as Compliance does."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from licensing.models import Licence
from tests.factories import ElementFactory, ExporterFactory, HsCodeFactory, LicenceFactory

Status = Licence.Status


@pytest.fixture(autouse=True)
def on_26_november():
    with time_machine.travel(date(2026, 11, 26), tick=False):
        yield


def html(response) -> str:
    return response.content.decode()


def field_errors(page: str, name: str) -> str:
    """The error list shown beside a form field, empty when there is none."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def status_options(page: str) -> list[str]:
    select = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="(\w+)"', select)


def licence_data(licence: Licence, **changes) -> dict:
    """What the edit page posts for a licence left as it is, with some fields changed."""
    data = {
        "exporter": licence.exporter_id,
        "kind": licence.kind,
        "number": licence.number,
        "status": licence.status,
        "issued_on": licence.issued_on or "",
        "valid_from": licence.valid_from or "",
        "valid_until": licence.valid_until or "",
        "elements": [element.pk for element in licence.elements.all()],
        "hs_codes": [code.pk for code in licence.hs_codes.all()],
        "quantity_cap_kg": licence.quantity_cap_kg or "",
        "customer_scope": licence.customer_scope,
        "notes": licence.notes,
        "source_url": licence.source_url,
    }
    data.update(changes)
    return data


def new_licence_data(exporter, **changes) -> dict:
    data = {
        "exporter": exporter.pk,
        "kind": Licence.Kind.INDIVIDUAL,
        "number": "IL-2026-0147",
        "status": Status.ISSUED,
        "issued_on": "2026-01-08",
        "valid_from": "2026-01-10",
        "valid_until": "2027-01-09",
        "quantity_cap_kg": "1500.5",
        "customer_scope": "Ford Motor Co. and its tier-1 suppliers",
        "notes": "Reported by the exporter's filing.",
        "source_url": "example.org/filing",
    }
    data.update(changes)
    return data


def snapshot(licence: Licence) -> dict:
    """What is stored for a licence, to compare before and after a refused change."""
    licence.refresh_from_db()
    return {
        "fields": {field: getattr(licence, field) for field in licence_data(licence)},
        "elements": set(licence.elements.values_list("pk", flat=True)),
        "history": licence.history.count(),
    }


@pytest.fixture
def dysprosium(db):
    return ElementFactory()


@pytest.fixture
def terbium(db):
    return ElementFactory(symbol="Tb", name="Terbium", atomic_number=65)


@pytest.fixture
def magnets(db):
    return HsCodeFactory()


# Recording


def test_the_record_page_offers_every_status_and_elements_by_symbol_and_name(
    compliance_client, dysprosium, magnets
):
    page = html(compliance_client.get("/licences/new/"))

    assert status_options(page) == Status.values
    assert "Dy · Dysprosium" in page
    assert "8505.11 · Permanent magnets of metal" in page
    assert 'type="checkbox" name="elements"' in page


def test_compliance_records_a_licence_with_elements_and_one_history_record_by_them(
    compliance_client, compliance, dysprosium, terbium, magnets
):
    exporter = ExporterFactory()

    response = compliance_client.post(
        "/licences/new/",
        new_licence_data(exporter, elements=[dysprosium.pk, terbium.pk], hs_codes=[magnets.pk]),
    )

    licence = Licence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/licences/{licence.pk}/"
    assert licence.exporter == exporter
    assert licence.kind == Licence.Kind.INDIVIDUAL
    assert licence.number == "IL-2026-0147"
    assert licence.status == Status.ISSUED
    assert (licence.valid_from, licence.valid_until) == (date(2026, 1, 10), date(2027, 1, 9))
    assert licence.quantity_cap_kg == Decimal("1500.500")
    assert licence.source_url == "https://example.org/filing"
    assert set(licence.elements.all()) == {dysprosium, terbium}
    assert list(licence.hs_codes.all()) == [magnets]
    [record] = licence.history.all()
    assert record.history_type == "+"
    assert record.history_user == compliance
    detail = html(compliance_client.get(response["Location"]))
    assert "Licence recorded: Individual licence IL-2026-0147" in detail
    assert "Terbium" in detail


def test_recording_a_licence_that_ends_before_it_starts_shows_the_error_by_valid_until(
    compliance_client,
):
    exporter = ExporterFactory()

    response = compliance_client.post(
        "/licences/new/", new_licence_data(exporter, valid_until="2025-12-31")
    )

    page = html(response)
    assert response.status_code == 200
    assert "Nothing was saved" in page
    assert "“Valid until” cannot be before “valid from”." in field_errors(page, "valid_until")
    assert field_errors(page, "valid_from") == ""
    assert not Licence.objects.exists()


def test_recording_a_number_the_exporter_already_holds_shows_the_error_by_the_number(
    compliance_client,
):
    held = LicenceFactory(number="IL-2026-0147")
    other_exporter = ExporterFactory()

    refused = compliance_client.post("/licences/new/", new_licence_data(held.exporter))
    accepted = compliance_client.post("/licences/new/", new_licence_data(other_exporter))

    assert refused.status_code == 200
    assert "This exporter already holds a licence with this number." in field_errors(
        html(refused), "number"
    )
    assert accepted.status_code == 302
    assert Licence.objects.filter(exporter=held.exporter).count() == 1
    assert Licence.objects.filter(number="IL-2026-0147").count() == 2


# Editing


def test_editing_the_notes_shows_the_change_by_compliance_in_the_history(
    compliance_client, dysprosium
):
    licence = LicenceFactory(notes="First reading.")
    licence.elements.add(dysprosium)

    response = compliance_client.post(
        f"/licences/{licence.pk}/edit/",
        licence_data(licence, notes="Confirmed by the MOFCOM notice."),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/licences/{licence.pk}/"
    licence.refresh_from_db()
    assert licence.notes == "Confirmed by the MOFCOM notice."
    assert list(licence.elements.all()) == [dysprosium]
    page = html(compliance_client.get(response["Location"]))
    assert "Licence updated" in page
    change = re.search(r"Changed</span>\s*by <strong[^>]*>cora</strong>.*?</li>", page, re.S)
    assert change, "the change by cora is not in the history"
    notes = re.search(r"<tr>\s*<th[^>]*>Notes</th>.*?</tr>", change.group(0), re.S).group(0)
    assert "<del>First reading.</del>" in notes
    assert "<ins>Confirmed by the MOFCOM notice.</ins>" in notes
    assert "Elements" not in change.group(0)


def test_the_edit_page_offers_only_the_statuses_the_lifecycle_allows(compliance_client):
    licence = LicenceFactory(status=Status.ISSUED)

    page = html(compliance_client.get(f"/licences/{licence.pk}/edit/"))

    assert status_options(page) == [
        "issued",
        "suspended",
        "revoked",
        "surrendered",
        "expired",
        "exhausted",
    ]
    assert "Issued (current)" in page
    assert "From issued: suspended, revoked, surrendered, expired, exhausted." in page
    assert "issued again only with a new validity period" in page
    assert 'value="1 Dec 2026"' in page


def test_editing_validity_to_end_before_it_starts_is_refused_and_stores_nothing(
    compliance_client,
):
    licence = LicenceFactory()
    before = snapshot(licence)

    response = compliance_client.post(
        f"/licences/{licence.pk}/edit/",
        licence_data(licence, valid_until="2025-11-30", notes="Shortened."),
    )

    assert response.status_code == 200
    assert "“Valid until” cannot be before “valid from”." in field_errors(
        html(response), "valid_until"
    )
    assert snapshot(licence) == before


def test_a_forged_post_issuing_a_revoked_licence_gets_the_lifecycle_message_by_the_status(
    compliance_client,
):
    licence = LicenceFactory(status=Status.REVOKED)
    before = snapshot(licence)

    response = compliance_client.post(
        f"/licences/{licence.pk}/edit/",
        licence_data(licence, status=Status.ISSUED, notes="Reinstated?"),
    )

    page = html(response)
    assert response.status_code == 200
    assert status_options(page) == ["revoked"]
    assert "A licence cannot go from revoked to issued." in field_errors(page, "status")
    assert "Allowed from here: none (final)." in field_errors(page, "status")
    # The page shows the licence as stored, not as posted.
    assert "From revoked: none (final)." in page
    assert snapshot(licence) == before


def test_issuing_an_expired_licence_without_a_new_validity_period_is_refused(compliance_client):
    licence = LicenceFactory(
        status=Status.EXPIRED, valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)
    )
    before = snapshot(licence)

    response = compliance_client.post(
        f"/licences/{licence.pk}/edit/", licence_data(licence, status=Status.ISSUED)
    )

    assert response.status_code == 200
    assert "licence is issued again only with a new validity period" in field_errors(
        html(response), "status"
    )
    assert snapshot(licence) == before


def test_issuing_an_expired_licence_with_a_new_validity_period_renews_it(compliance_client):
    licence = LicenceFactory(
        status=Status.EXPIRED, valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)
    )

    response = compliance_client.post(
        f"/licences/{licence.pk}/edit/",
        licence_data(
            licence, status=Status.ISSUED, valid_from="2026-11-20", valid_until="2027-11-19"
        ),
    )

    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == Status.ISSUED
    assert licence.valid_until == date(2027, 11, 19)


def test_editing_to_a_number_the_exporter_already_holds_is_refused_by_the_number(
    compliance_client,
):
    held = LicenceFactory(number="GL-2025-001")
    licence = LicenceFactory(exporter=held.exporter, number="GL-2025-002")
    before = snapshot(licence)

    response = compliance_client.post(
        f"/licences/{licence.pk}/edit/", licence_data(licence, number="GL-2025-001")
    )

    assert response.status_code == 200
    page = html(response)
    assert "This exporter already holds a licence with this number." in field_errors(page, "number")
    # The heading names the licence as stored; the field keeps what was typed.
    assert "General licence GL-2025-002" in page
    assert 'value="GL-2025-001"' in re.search(r'<input[^>]*name="number"[^>]*>', page).group(0)
    assert snapshot(licence) == before


# Access


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", ["analyst_client", "manager_client"])
def test_analysts_and_managers_may_neither_open_nor_post_the_licence_forms(role_client, request):
    client = request.getfixturevalue(role_client)
    licence = LicenceFactory(notes="As found.")
    before = snapshot(licence)

    pages = {
        "/licences/new/": new_licence_data(licence.exporter, number="NEW-1"),
        f"/licences/{licence.pk}/edit/": licence_data(licence, notes="Changed."),
    }
    for url, data in pages.items():
        shown = client.get(url)
        posted = client.post(url, data)

        assert shown.status_code == 403, url
        assert posted.status_code == 403, url
    assert Licence.objects.count() == 1
    assert snapshot(licence) == before


def test_only_compliance_sees_the_record_and_edit_buttons(
    compliance_client, analyst_client, manager_client
):
    licence = LicenceFactory()
    edit = f'href="/licences/{licence.pk}/edit/"'

    assert 'href="/licences/new/"' in html(compliance_client.get("/licences/"))
    assert edit in html(compliance_client.get(f"/licences/{licence.pk}/"))
    for client in (analyst_client, manager_client):
        assert 'href="/licences/new/"' not in html(client.get("/licences/"))
        assert edit not in html(client.get(f"/licences/{licence.pk}/"))
