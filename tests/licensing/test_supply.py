"""The supply chain Compliance records: importers, supply links and licence parties."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from licensing.models import Approval, Importer, Licence, SupplyLink
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ExporterFactory,
    ImporterFactory,
    LicenceFactory,
    SupplyLinkFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post_json(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_compliance_records_an_importer_and_its_supply_links_through_the_api(compliance_client):
    exporter, automaker = ExporterFactory(), AutomakerFactory()

    importer = post_json(
        compliance_client,
        f"{API}/importers/",
        {"name": "Robert Bosch GmbH", "country": "DEU", "kind": "tier1_supplier"},
    ).json()
    upstream = post_json(
        compliance_client,
        f"{API}/supply-links/",
        {
            "supplier_exporter": exporter.pk,
            "customer_importer": importer["id"],
            "valid_from": "2025-12-01",
            "evidence": "Bosch's 2025 annual report names the exporter.",
        },
    )
    downstream = post_json(
        compliance_client,
        f"{API}/supply-links/",
        {
            "supplier_importer": importer["id"],
            "customer_automaker": automaker.pk,
            "valid_from": "2025-06-01",
            "valid_until": "2027-05-31",
            "evidence": "Supply contract.",
        },
    )

    assert upstream.status_code == 201 and downstream.status_code == 201
    assert upstream.json()["supplier_exporter"] == {"id": exporter.pk, "name": exporter.name}
    listed = compliance_client.get(f"{API}/supply-links/", {"importer": importer["id"]}).json()
    assert listed["count"] == 2
    supplies = compliance_client.get(f"{API}/importers/", {"automaker": automaker.pk}).json()
    assert [row["name"] for row in supplies["results"]] == ["Robert Bosch GmbH"]
    history = compliance_client.get(f"{API}/supply-links/{upstream.json()['id']}/history/").json()
    assert history["results"][0]["history_user"] == "cora"


def test_a_supply_link_needs_exactly_one_supplier_and_one_customer(compliance_client):
    both = post_json(
        compliance_client,
        f"{API}/supply-links/",
        {
            "supplier_exporter": ExporterFactory().pk,
            "supplier_importer": ImporterFactory().pk,
            "customer_automaker": AutomakerFactory().pk,
            "evidence": "x",
        },
    )
    none = post_json(
        compliance_client,
        f"{API}/supply-links/",
        {"supplier_exporter": ExporterFactory().pk, "evidence": "x"},
    )

    assert both.status_code == 400
    assert both.json()["supplier_exporter"] == ["Name one supplier: an exporter or an importer."]
    assert none.json()["customer_importer"] == ["Name one customer: an importer or an automaker."]
    assert SupplyLink.objects.count() == 0


def test_only_compliance_records_importers(analyst_client):
    response = post_json(
        analyst_client, f"{API}/importers/", {"name": "X", "country": "DEU", "kind": "other"}
    )

    assert response.status_code == 403
    assert not Importer.objects.exists()


def test_a_licence_names_its_consignee_and_end_user(compliance_client):
    consignee, end_user = ImporterFactory(), AutomakerFactory()
    exporter = ExporterFactory()

    response = post_json(
        compliance_client,
        f"{API}/licences/",
        {
            "exporter": exporter.pk,
            "kind": "individual",
            "status": "issued",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "parties": [
                {"importer": consignee.pk, "role": "consignee"},
                {"automaker": end_user.pk, "role": "end_user"},
            ],
        },
    )
    refused = post_json(
        compliance_client,
        f"{API}/licences/",
        {
            "exporter": exporter.pk,
            "kind": "individual",
            "parties": [{"role": "consignee"}],
        },
    )

    assert response.status_code == 201
    assert response.json()["parties"] == [
        {
            "role": "consignee",
            "importer": {"id": consignee.pk, "name": consignee.name},
            "automaker": None,
        },
        {
            "role": "end_user",
            "importer": None,
            "automaker": {"id": end_user.pk, "name": end_user.name},
        },
    ]
    assert refused.status_code == 400
    assert refused.json()["parties"] == ["party 1: A party is an importer or an automaker."]


def test_an_approval_through_an_importer_needs_its_supply_link_on_the_claims_date(
    compliance_client,
):
    importer, automaker = ImporterFactory(), AutomakerFactory()
    claim = {
        "automaker": automaker.pk,
        "importer": importer.pk,
        "status": "approved",
        "evidence_grade": "company_statement",
        "claimed_on": "2026-03-01",
        "statement": "Covered through our Tier-1.",
        "source_url": "https://example.com/s",
    }

    refused = post_json(compliance_client, f"{API}/approvals/", claim)
    SupplyLinkFactory(supplier_importer=importer, customer_automaker=automaker)
    accepted = post_json(compliance_client, f"{API}/approvals/", claim)

    assert "record the supply link first" in refused.json()["importer"][0]
    assert accepted.status_code == 201
    assert Approval.objects.count() == 1


def test_compliance_records_an_importer_and_a_supplier_on_the_pages(compliance_client):
    exporter, automaker = ExporterFactory(), AutomakerFactory()

    created = compliance_client.post(
        "/importers/new/", {"name": "Denso Corp.", "country": "JPN", "kind": "tier1_supplier"}
    )
    importer = Importer.objects.get(name="Denso Corp.")
    form = compliance_client.get(f"/supply-links/new/?customer_importer={importer.pk}")
    linked = compliance_client.post(
        "/supply-links/new/",
        {
            "supplier_exporter": exporter.pk,
            "customer_importer": importer.pk,
            "evidence": "Denso's filing.",
        },
    )
    SupplyLinkFactory(supplier_importer=importer, customer_automaker=automaker)
    page = compliance_client.get(f"/automakers/{automaker.pk}/").content.decode()

    assert created.status_code == 302 and created["Location"] == f"/importers/{importer.pk}/"
    assert re.search(rf'<option value="{importer.pk}" selected>', form.content.decode())
    assert linked.status_code == 302
    chain = re.search(r'id="supply-heading".*?</section>', page, re.S).group(0)
    assert "Denso Corp. (JPN)" in chain and exporter.name in chain


def test_the_importers_page_lists_them_with_their_links(analyst_client):
    link = SupplyLinkFactory()
    LicenceFactory()

    page = analyst_client.get("/importers/").content.decode()
    detail = analyst_client.get(f"/importers/{link.supplier_importer.pk}/").content.decode()

    assert link.supplier_importer.name in page
    assert link.customer_automaker.name in detail
    assert "Record importer" not in page  # analysts read


# Over time and under a hypothesis


def test_fords_timeline_runs_from_no_information_through_cover_to_its_end(
    analyst_client, reference_data
):
    ford = reference_data_automaker("Ford Motor Co.")
    url = f"{API}/automakers/{ford.pk}/timeline/"

    entries = analyst_client.get(url, {"from": "2025-12-01", "to": "2026-12-31"}).json()
    too_long = analyst_client.get(url, {"from": "2020-01-01", "to": "2026-12-31"})

    assert entries == [
        {"date": "2025-12-01", "status": "no_information"},
        {"date": "2025-12-10", "status": "partially_covered"},
        {"date": "2026-11-01", "status": "expiring"},
        {"date": "2026-12-02", "status": "expired"},
    ]
    assert too_long.status_code == 400 and "at most" in too_long.json()["to"][0]


def reference_data_automaker(name: str):
    from licensing.models import Automaker

    return Automaker.objects.get(name=name)


def test_what_if_lists_exactly_the_automakers_whose_every_covering_path_runs_through_it(
    analyst_client,
):
    licence, other = LicenceFactory(), LicenceFactory()
    only_through_it, also_elsewhere, elsewhere = (AutomakerFactory(name=n) for n in "ABC")
    ApprovalFactory(automaker=only_through_it, licence=licence, exporter=licence.exporter)
    ApprovalFactory(automaker=also_elsewhere, exporter=licence.exporter, licence=licence)
    ApprovalFactory(automaker=also_elsewhere, exporter=other.exporter, licence=other)
    ApprovalFactory(automaker=elsewhere, licence=other)
    url = f"{API}/what-if/"

    revoked = analyst_client.get(
        url, {"licence": licence.pk, "event": "revoked", "on": "2026-06-01"}
    )
    lapsing = analyst_client.get(url, {"licence": licence.pk, "event": "not_renewed"})
    renewal = LicenceFactory(
        exporter=licence.exporter,
        renews=licence,
        valid_from=date(2026, 12, 2),
        valid_until=date(2027, 12, 1),
    )
    with_renewal = analyst_client.get(url, {"licence": renewal.renews_id, "event": "not_renewed"})

    [lost] = revoked.json()
    claim = only_through_it.approvals.get()
    assert lost == {
        "automaker": {"id": only_through_it.pk, "name": "A"},
        "status_before": "covered",
        "status_after": "expired",
        "from": "2026-06-01",
        "through": [
            {
                "id": claim.pk,
                "claimed_on": "2025-12-10",
                "evidence_grade": "company_statement",
                "importer": None,
                "exporter": {"id": licence.exporter.pk, "name": licence.exporter.name},
                "licence": licence.pk,
            }
        ],
    }
    # Both licences end on 1 December 2026: without a renewal, all three lose cover.
    assert [row["automaker"]["name"] for row in lapsing.json()] == ["A", "B", "C"]
    assert [row["automaker"]["name"] for row in with_renewal.json()] == ["A", "B", "C"]
    assert with_renewal.json()[0]["from"] == "2026-12-02"


def test_the_automaker_page_shows_its_timeline_and_the_what_if_page_its_losses(
    analyst_client, reference_data
):
    ford = reference_data_automaker("Ford Motor Co.")
    jl_mag = Licence.objects.get(exporter__name__startswith="JL Mag")

    page = analyst_client.get(f"/automakers/{ford.pk}/timeline/").content.decode()
    what_if = analyst_client.get(
        "/what-if/", {"licence": jl_mag.pk, "event": "not_renewed"}
    ).content.decode()

    ningbo = Licence.objects.get(exporter__name__startswith="Ningbo")
    LicenceFactory(
        exporter=ningbo.exporter,
        renews=ningbo,
        valid_from=date(2026, 12, 2),
        valid_until=date(2027, 12, 1),
    )
    renewed_elsewhere = analyst_client.get(
        "/what-if/", {"licence": jl_mag.pk, "event": "not_renewed"}
    ).content.decode()

    days = re.findall(r'class="timeline__item" data-day="([\d-]+)"', page)
    assert days[-2:] == ["2026-11-01", "2026-12-02"]  # expiring, then lapsed
    # Ford rests on the three general licences, which all end on 1 December 2026.
    assert 'data-automaker="Ford Motor Co."' in what_if
    # With Ningbo Yunsheng's renewed, JL Mag's is no longer its only path.
    assert 'data-automaker="Ford Motor Co."' not in renewed_elsewhere


def test_the_what_if_page_finds_the_licence_by_its_number_or_its_id(analyst_client):
    numbered = LicenceFactory(number="MOFCOM-2026-0042")
    unnumbered = LicenceFactory(number="")
    LicenceFactory(number="SAME"), LicenceFactory(number="same")

    def asked(licence: str) -> str:
        page = analyst_client.get("/what-if/", {"licence": licence, "event": "not_renewed"})
        return page.content.decode()

    assert f'href="/licences/{numbered.pk}/"' in asked("mofcom-2026-0042")
    assert f'href="/licences/{unnumbered.pk}/"' in asked(f"#{unnumbered.pk}")
    assert "No licence has the number or id “NOPE”" in asked("NOPE")
    assert "More than one licence has the number “same”" in asked("same")
