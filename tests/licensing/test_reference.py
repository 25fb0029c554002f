from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from licensing.models import (
    Approval,
    Automaker,
    Confidence,
    ControlItem,
    ControlItemCode,
    ControlMeasure,
    Element,
    EntityListEntry,
    Exporter,
    HsCode,
    Importer,
    Licence,
    ScreeningMatch,
)
from licensing.register import control_measure_update

pytestmark = pytest.mark.django_db

MODELS = [Element, HsCode, ControlMeasure, Exporter, Automaker, Importer, Licence, Approval]


def snapshot() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS
    } | {
        "history": (Licence.history.count(), Approval.history.count()),
        "updated": sorted(Licence.objects.values_list("updated_at", flat=True)),
    }


def test_it_loads_the_reference_data():
    call_command("load_reference", stdout=StringIO())

    assert Element.objects.count() == 17
    assert Element.objects.get(symbol="Dy").group == Element.Group.HEAVY
    assert Exporter.objects.count() == 3
    assert Automaker.objects.get(name="Toyota Motor Corp.").country == "JPN"
    licences = Licence.objects.filter(kind=Licence.Kind.GENERAL, status=Licence.Status.ISSUED)
    assert licences.count() == 3
    assert {licence.valid_until for licence in licences} == {date(2026, 12, 1)}
    assert sorted(licences[0].elements.values_list("symbol", flat=True)) == sorted(
        ["Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y"]
    )
    ford = Approval.objects.get(automaker__name="Ford Motor Co.")
    assert (ford.status, ford.evidence_grade) == ("approved", "company_statement")
    assert ford.source_url.startswith("https://www.kitco.com/")
    excluded = Approval.objects.filter(status="excluded", evidence_grade="government_official")
    assert sorted(excluded.values_list("automaker__name", flat=True)) == [
        "BMW AG",
        "Mercedes-Benz Group AG",
        "Volkswagen AG",
    ]
    no70 = ControlMeasure.objects.get(reference="MOFCOM/GACC Announcement No. 70 of 2025")
    assert no70.kind == ControlMeasure.Kind.SUSPENSION
    no57 = ControlMeasure.objects.get(reference="MOFCOM Announcement No. 57 of 2025")
    assert no57.suspended_until == date(2026, 11, 10)
    assert no57.suspended_by == no70


def test_it_loads_the_corrected_and_current_facts():
    call_command("load_reference", stdout=StringIO())

    no70 = ControlMeasure.objects.get(reference="MOFCOM/GACC Announcement No. 70 of 2025")
    assert no70.effective_from == date(2025, 11, 7)
    assert no70.in_force_until == date(2026, 11, 10)
    no57 = ControlMeasure.objects.get(reference="MOFCOM Announcement No. 57 of 2025")
    # Its scope includes holmium permanent-magnet materials.
    assert sorted(no57.hs_codes.values_list("code", flat=True)) == ["2805.30", "2846.90", "8505.11"]
    references = set(ControlMeasure.objects.values_list("reference", flat=True))
    for number in (
        "No. 56 of 2025",
        "No. 72 of 2025",
        "No. 1 of 2026",
        "No. 11 of 2026",
        "No. 12 of 2026",
        "No. 20 of 2026",
        "No. 23 of 2026",
    ):
        assert any(number in reference for reference in references), number
    suspended = ControlMeasure.objects.filter(suspended_by=no70).values_list("reference", flat=True)
    assert sorted(s.split(" No. ")[1] for s in suspended) == [
        "56 of 2025",
        "57 of 2025",
        "61 of 2025",
        "62 of 2025",
    ]


def test_it_loads_the_control_items_with_their_confidence():
    call_command("load_reference", stdout=StringIO())

    samarium_metal = ControlItem.objects.get(control_code="1C902.a", form="metal")
    assert samarium_metal.measure.reference == "MOFCOM/GACC Announcement No. 18 of 2025"
    assert list(samarium_metal.elements.values_list("symbol", flat=True)) == ["Sm"]
    assert [(c.commodity_code, c.hs_subheading) for c in samarium_metal.codes.all()] == [
        ("2805301910", "280530")
    ]
    assert samarium_metal.confidence == Confidence.CONFIRMED
    # A code read from a garbled copy is not fact, and an inferred control code says so.
    gadolinium_oxide = ControlItem.objects.get(control_code="1C903.b")
    assert gadolinium_oxide.confidence == Confidence.UNCONFIRMED
    assert {c.confidence for c in gadolinium_oxide.codes.all()} == {Confidence.UNCONFIRMED}
    assert ControlItem.objects.get(control_code="1C905").confidence == Confidence.INFERRED
    # The tariff's own lines are no control of any measure.
    assert not ControlItemCode.objects.filter(commodity_code="8505119000").exists()


def test_it_loads_the_entity_lists():
    call_command("load_reference", stdout=StringIO())

    assert EntityListEntry.objects.count() == 260
    subaru = EntityListEntry.objects.get(name_en="SUBARU Corporation")
    assert (subaru.list, subaru.listed_on, subaru.country_code) == (
        "watch_list",
        date(2026, 2, 24),
        "JPN",
    )
    assert subaru.measure.reference == "MOFCOM Announcement No. 12 of 2026"
    assert EntityListEntry.objects.get(name_en="MP Materials Corp.").list == (
        "export_control_control_list"
    )
    leidos = EntityListEntry.objects.get(name_en="Leidos")
    assert leidos.delisted_on == date(2025, 11, 10)
    # Both watch-listed automakers are screened, and confirmed: automakers.csv names their entry.
    assert sorted(ScreeningMatch.objects.values_list("automaker__name", "status")) == [
        ("Hino Motors, Ltd.", "confirmed"),
        ("SUBARU Corporation", "confirmed"),
    ]


def test_an_edited_measure_survives_the_load_and_the_command_reports_the_difference():
    call_command("load_reference", stdout=StringIO())
    no57 = ControlMeasure.objects.get(reference="MOFCOM Announcement No. 57 of 2025")
    control_measure_update(
        measure=no57,
        data={"title": "Edited by Compliance", "hs_codes": []},
        change_source_url="https://example.org/our-reading",
    )
    out = StringIO()

    call_command("load_reference", stdout=out)

    no57.refresh_from_db()
    assert no57.title == "Edited by Compliance"
    assert no57.hs_codes.count() == 0
    report = out.getvalue()
    assert "Kept 2 value(s) edited in the app" in report
    assert "“MOFCOM Announcement No. 57 of 2025”, title: kept 'Edited by Compliance'" in report
    assert "hs_codes: kept []; the file has ['2805.30', '2846.90', '8505.11']" in report
    # A row no one edited is still brought in line with the file.
    no18 = ControlMeasure.objects.get(reference="MOFCOM/GACC Announcement No. 18 of 2025")
    no18.title = "Changed behind the app's back"
    no18.save()
    call_command("load_reference", stdout=StringIO())
    no18.refresh_from_db()
    assert no18.title.startswith("Export controls on seven")


def test_running_it_twice_changes_nothing():
    call_command("load_reference", stdout=StringIO())
    before = snapshot()
    out = StringIO()

    call_command("load_reference", stdout=out)

    assert snapshot() == before
    assert "nothing changed" in out.getvalue()


def test_it_does_not_overwrite_a_claim_a_user_has_edited():
    call_command("load_reference", stdout=StringIO())
    ford = Approval.objects.get(automaker__name="Ford Motor Co.")
    ford.statement = "Edited by compliance"
    ford.save()

    call_command("load_reference", stdout=StringIO())

    assert Approval.objects.get(pk=ford.pk).statement == "Edited by compliance"
    assert Approval.objects.count() == 4


def test_demo_users_come_from_the_command_not_from_migrations():
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()
    out = StringIO()

    call_command("create_demo_users", stdout=out)

    users = get_user_model().objects
    assert users.get(username="analyst").groups.get().name == "Analyst"
    assert users.get(username="compliance").groups.get().name == "Compliance"
    assert users.get(username="manager").groups.get().name == "Manager"
    assert users.get(username="analyst").check_password("analyst-demo")
    assert "analyst-demo" in out.getvalue()
