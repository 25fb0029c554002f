from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from licensing.models import (
    Approval,
    Automaker,
    ControlMeasure,
    Element,
    Exporter,
    HsCode,
    Importer,
    Licence,
)

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
    assert no57.hs_codes.count() == 2


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
