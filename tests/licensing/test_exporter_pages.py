"""/exporters/ and /exporters/<pk>/: who holds licences, what they hold, whom they supply,
the claims naming them, their listing and their history; and the links that lead there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from licensing.models import EntityListEntry, Licence, LicenceParty
from licensing.services import licence_update
from tests.conftest import client_for
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ExporterFactory,
    ImporterFactory,
    LicenceFactory,
    SupplyLinkFactory,
)

pytestmark = pytest.mark.django_db


def valid_licence(exporter, *, ends_in: int, **fields) -> Licence:
    today = timezone.localdate()
    return LicenceFactory(
        exporter=exporter,
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=ends_in),
        **fields,
    )


def page(client, exporter) -> str:
    response = client.get(f"/exporters/{exporter.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_counts_each_exporters_licences_valid_today(analyst_client):
    jl_mag = ExporterFactory(name="JL Mag Rare-Earth Co. Ltd.", name_zh="金力永磁", city="Ganzhou")
    valid_licence(jl_mag, ends_in=10)
    valid_licence(jl_mag, ends_in=200)
    LicenceFactory(exporter=jl_mag, valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31))
    ExporterFactory(name="Ningbo Yunsheng Co. Ltd.")

    response = analyst_client.get("/exporters/")

    rows = {exporter.name: exporter.valid_licences for exporter in response.context["exporters"]}
    assert rows == {"JL Mag Rare-Earth Co. Ltd.": 2, "Ningbo Yunsheng Co. Ltd.": 0}
    html = response.content.decode()
    assert f'href="/exporters/{jl_mag.pk}/"' in html
    assert "金力永磁" in html and "Ganzhou, Jiangxi" in html


def test_the_list_filters_by_english_or_chinese_name(analyst_client):
    ExporterFactory(name="JL Mag Rare-Earth Co. Ltd.", name_zh="金力永磁")
    ExporterFactory(name="Ningbo Yunsheng Co. Ltd.", name_zh="宁波韵升")

    by_english = analyst_client.get("/exporters/", {"name": "yunsheng"}).context["exporters"]
    by_chinese = analyst_client.get("/exporters/", {"name": "金力"}).context["exporters"]
    by_nobody = analyst_client.get("/exporters/", {"name": "nobody"})

    assert [exporter.name for exporter in by_english] == ["Ningbo Yunsheng Co. Ltd."]
    assert [exporter.name for exporter in by_chinese] == ["JL Mag Rare-Earth Co. Ltd."]
    assert "No exporter has that name." in by_nobody.content.decode()


def test_the_list_is_paginated_by_fifty(analyst_client):
    for number in range(51):
        ExporterFactory(name=f"Exporter {number:02} Co. Ltd.")

    first = analyst_client.get("/exporters/")
    second = analyst_client.get("/exporters/", {"page": 2})

    assert len(first.context["exporters"]) == 50
    assert [exporter.name for exporter in second.context["exporters"]] == ["Exporter 50 Co. Ltd."]


def test_its_page_shows_its_licences_with_status_and_expiry_in_words(analyst_client):
    exporter = ExporterFactory(name="JL Mag Rare-Earth Co. Ltd.", name_zh="金力永磁")
    soon = valid_licence(exporter, ends_in=5, number="GL-2025-001")
    ended_on = timezone.localdate() - timedelta(days=3)
    ended = LicenceFactory(exporter=exporter, valid_from=date(2024, 1, 1), valid_until=ended_on)
    LicenceFactory(
        exporter=exporter,
        status=Licence.Status.APPLIED,
        kind=Licence.Kind.INDIVIDUAL,
        issued_on=None,
        valid_from=None,
        valid_until=None,
    )

    html = page(analyst_client, exporter)

    assert "金力永磁" in html
    assert f'href="/licences/{soon.pk}/"' in html and "GL-2025-001" in html
    assert f'href="/licences/{ended.pk}/"' in html
    assert "Expires in 5 days" in html
    assert "Expired 3 days ago" in html
    assert "Applied" in html
    assert "1 valid on" in html and "3 in all" in html


def test_its_customers_are_the_parties_its_licences_name_and_its_supply_links_lead_to(
    analyst_client,
):
    exporter = ExporterFactory()
    licence = valid_licence(exporter, ends_in=100, number="GL-7")
    bosch = ImporterFactory(name="Bosch")
    ford = AutomakerFactory(name="Ford")
    LicenceParty.objects.create(licence=licence, role="consignee", importer=bosch)
    LicenceParty.objects.create(licence=licence, role="end_user", automaker=ford)
    denso = ImporterFactory(name="Denso", country="JPN")
    SupplyLinkFactory(
        supplier_exporter=exporter,
        supplier_importer=None,
        customer_importer=denso,
        customer_automaker=None,
        valid_from=date(2025, 6, 1),
    )
    ImporterFactory(name="Valeo")  # supplied by nobody here

    html = page(analyst_client, exporter)

    assert f'href="/importers/{bosch.pk}/"' in html
    assert f'href="/automakers/{ford.pk}/"' in html
    assert f'href="/importers/{denso.pk}/"' in html
    assert "Valeo" not in html


def test_a_manager_sees_the_parties_its_licences_name_but_not_its_supply_links(manager_client):
    exporter = ExporterFactory()
    licence = valid_licence(exporter, ends_in=100)
    ford = AutomakerFactory(name="Ford")
    LicenceParty.objects.create(licence=licence, role="end_user", automaker=ford)
    SupplyLinkFactory(
        supplier_exporter=exporter,
        supplier_importer=None,
        customer_importer=ImporterFactory(name="Denso"),
        customer_automaker=None,
    )

    html = page(manager_client, exporter)

    assert f'href="/automakers/{ford.pk}/"' in html
    assert "Denso" not in html and "Supply links" not in html


def test_its_approvals_are_shown_to_those_who_may_read_approvals(analyst_client, manager_client):
    exporter = ExporterFactory()
    approval = ApprovalFactory(exporter=exporter, statement="Shipments to Ford approved.")

    assert "Shipments to Ford approved." in page(analyst_client, exporter)
    manager_html = page(manager_client, exporter)
    assert "Approvals naming it" not in manager_html
    assert f"/approvals/{approval.pk}/" not in manager_html


def test_a_long_history_shows_the_first_rows_and_leads_to_the_lists_with_all(
    analyst_client, monkeypatch
):
    monkeypatch.setattr("licensing.views.exporters.SHOWN", 2)
    exporter = ExporterFactory()
    licences = [LicenceFactory(exporter=exporter) for _ in range(3)]
    for licence in licences:
        ApprovalFactory(exporter=exporter, licence=licence)

    html = page(analyst_client, exporter)

    assert html.count("<tr data-licence=") == 2
    assert "3 in all" in html
    assert f'href="/licences/?exporter={exporter.pk}"' in html
    assert "The newest 2 of 3" in html
    assert f'href="/approvals/?exporter={exporter.pk}"' in html


def test_it_says_when_its_name_matches_an_entity_list_entry(analyst_client):
    listed = ExporterFactory(name="Hunan Sparkle Magnet Co. Ltd.")
    clean = ExporterFactory(name="Ningbo Yunsheng Co. Ltd.")
    EntityListEntry.objects.create(
        list=EntityListEntry.List.UNRELIABLE_ENTITY_LIST,
        announcement="MOFCOM Announcement No. 12 of 2026",
        listed_on=date(2026, 1, 5),
        name_en="Hunan Sparkle Magnet Co., Ltd.",
        country="China",
        country_code="CHN",
        source_url="https://example.org/list",
        confidence="confirmed",
    )

    listed_html = page(analyst_client, listed)

    assert "Possible match by name" in listed_html and "Unreliable entity list" in listed_html
    assert "MOFCOM Announcement No. 12 of 2026" in listed_html
    assert "Its names match no entry" in page(analyst_client, clean)


def test_its_history_shows_who_changed_what(analyst_client, compliance):
    exporter = ExporterFactory(name="JL Mag")
    exporter.city = "Ganzhou"
    exporter.save()

    html = page(analyst_client, exporter)

    assert "Change history" in html and "Ganzhou" in html and "Created" in html


def test_an_unknown_exporter_is_a_404(analyst_client):
    assert analyst_client.get("/exporters/999999/").status_code == 404


@pytest.mark.parametrize("fixture", ["analyst", "manager", "compliance"])
def test_every_role_reads_the_exporter_pages(request, fixture):
    client = client_for(request.getfixturevalue(fixture))
    exporter = ExporterFactory()

    assert client.get("/exporters/").status_code == 200
    assert client.get(f"/exporters/{exporter.pk}/").status_code == 200


def test_the_pages_ask_anonymous_visitors_to_log_in(client):
    exporter = ExporterFactory()

    assert client.get("/exporters/").status_code == 302
    assert client.get(f"/exporters/{exporter.pk}/").status_code == 302


def populate(exporter, numbers: range) -> None:
    for number in numbers:
        licence = valid_licence(exporter, ends_in=number + 1, number=f"GL-{number}")
        importer = ImporterFactory()
        automaker = AutomakerFactory()
        LicenceParty.objects.create(licence=licence, role="consignee", importer=importer)
        LicenceParty.objects.create(licence=licence, role="end_user", automaker=automaker)
        SupplyLinkFactory(
            supplier_exporter=exporter,
            supplier_importer=None,
            customer_importer=importer,
            customer_automaker=None,
        )
        ApprovalFactory(automaker=automaker, exporter=exporter, licence=licence, importer=importer)
        licence_update(licence=licence, data={"notes": f"checked {number}"}, user=None)
        exporter.city = f"City {number}"
        exporter.save()


def test_an_exporters_page_makes_the_same_queries_at_3_and_30_licences(analyst):
    client = client_for(analyst)
    exporter = ExporterFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/exporters/{exporter.pk}/").status_code == 200
            assert client.get("/exporters/").status_code == 200
        return len(captured)

    populate(exporter, range(3))
    queries()  # the client's permissions are read once, then cached
    few = queries()
    populate(exporter, range(3, 30))
    for number in range(27):
        ExporterFactory(name=f"Other exporter {number}")

    assert queries() == few


def test_an_importers_page_shows_whom_it_supplies_the_licences_naming_it_and_its_history(
    analyst_client,
):
    importer = ImporterFactory(name="Bosch")
    licence = valid_licence(ExporterFactory(name="JL Mag"), ends_in=20, number="GL-9")
    LicenceParty.objects.create(licence=licence, role="consignee", importer=importer)
    ford = AutomakerFactory(name="Ford")
    SupplyLinkFactory(supplier_importer=importer, customer_automaker=ford)
    SupplyLinkFactory(
        supplier_exporter=licence.exporter,
        supplier_importer=None,
        customer_importer=importer,
        customer_automaker=None,
    )

    response = analyst_client.get(f"/importers/{importer.pk}/")

    html = response.content.decode()
    assert f'href="/automakers/{ford.pk}/"' in html
    assert f'href="/licences/{licence.pk}/"' in html and "GL-9" in html and "Consignee" in html
    assert f'href="/exporters/{licence.exporter_id}/"' in html
    assert "expires in 20 days" in html
    assert "Change history" in html


def test_an_importers_page_makes_the_same_queries_at_3_and_30_licences_naming_it(analyst):
    client = client_for(analyst)
    importer = ImporterFactory()

    def name_it(numbers: range) -> None:
        for number in numbers:
            licence = valid_licence(ExporterFactory(), ends_in=number + 1)
            LicenceParty.objects.create(licence=licence, role="consignee", importer=importer)
            SupplyLinkFactory(supplier_importer=importer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/importers/{importer.pk}/").status_code == 200
        return len(captured)

    name_it(range(3))
    queries()
    few = queries()
    name_it(range(3, 30))

    assert queries() == few


def test_licence_approval_and_supply_pages_link_the_exporter(analyst_client):
    exporter = ExporterFactory()
    licence = valid_licence(exporter, ends_in=30)
    approval = ApprovalFactory(exporter=exporter, licence=licence)
    SupplyLinkFactory(
        supplier_exporter=exporter,
        supplier_importer=None,
        customer_importer=ImporterFactory(),
        customer_automaker=None,
    )
    exporter_link = f'href="/exporters/{exporter.pk}/"'

    for url in (
        f"/licences/{licence.pk}/",
        f"/approvals/{approval.pk}/",
        "/approvals/",
        "/licences/",
        f"/importers/{SupplyLinkFactory._meta.model.objects.last().customer_importer_id}/",
    ):
        assert exporter_link in analyst_client.get(url).content.decode(), url
