from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from licensing.alerts.models import Alert, AlertAcknowledgement, AlertSubscription
from licensing.alerts.services import alerts_raise
from licensing.models import ControlMeasure, Licence
from licensing.register import control_measure_update
from licensing.tasks import licensing_check
from tests.conftest import client_for
from tests.factories import ApprovalFactory, LicenceFactory, UserFactory

DAY = date(2026, 11, 26)
NOON = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


def kinds_of(alerts) -> list[tuple[str, int | None]]:
    return sorted((alert.kind, alert.licence_id) for alert in alerts)


def test_it_raises_the_demo_licences_and_the_lapse_of_no_70(reference_data):
    general = list(Licence.objects.filter(valid_until=date(2026, 12, 1)))

    raised = alerts_raise(on=DAY)

    assert len(general) == 3
    expiring = {(a.kind, a.licence_id) for a in raised if a.licence_id}
    # Five days left: one alert each, at the 7-day threshold, not one per threshold passed.
    assert expiring == {(Alert.Kind.LICENCE_EXPIRING_7, licence.pk) for licence in general}
    lapsed = [a for a in raised if a.kind == Alert.Kind.SUSPENSION_LAPSED]
    assert len(lapsed) == 1
    assert lapsed[0].control_measure.reference == "MOFCOM/GACC Announcement No. 70 of 2025"
    assert lapsed[0].concerns_on == date(2026, 11, 10)
    # Nobody has recorded what happened: the alert says so, never "in force again".
    assert lapsed[0].message == (
        "Announcement No. 70's suspension ended on 10 November 2026 and nobody has recorded "
        "whether it was extended or lapsed: Nos. 56, 57, 61 and 62 are awaiting confirmation."
    )
    ending = [a for a in raised if a.kind == Alert.Kind.SUSPENSION_ENDING]
    assert [a.message for a in ending] == [
        "Announcement No. 72's suspension ends on 27 November 2026."
    ]
    assert len(raised) == 5
    assert Alert.objects.count() == 5


def test_once_a_lapse_is_confirmed_the_alert_says_the_measures_are_in_force_again(
    reference_data,
):
    no70 = ControlMeasure.objects.get(reference="MOFCOM/GACC Announcement No. 70 of 2025")
    control_measure_update(
        measure=no70,
        data={
            "outcome": "lapsed",
            "outcome_known_on": date(2026, 11, 11),
            "outcome_source_url": "https://example.org/mofcom-no-70-lapsed",
        },
        change_source_url="https://example.org/mofcom-no-70-lapsed",
    )

    raised = alerts_raise(on=DAY)

    lapsed = [a for a in raised if a.kind == Alert.Kind.SUSPENSION_LAPSED]
    assert [a.message for a in lapsed] == [
        "Announcement No. 70's suspension lapsed on 10 November 2026: "
        "Nos. 56, 57, 61 and 62 are in force again."
    ]


def test_it_raises_nothing_twice(reference_data):
    alerts_raise(on=DAY)

    again = alerts_raise(on=DAY)

    assert again == []
    assert Alert.objects.count() == 5


def test_one_alert_per_licence_escalates_as_its_end_nears_and_passes(analyst):
    licence = LicenceFactory(valid_until=date(2026, 12, 1))

    first = alerts_raise(on=date(2026, 11, 1))
    AlertAcknowledgement.objects.create(alert=first[0], user=analyst)
    same = alerts_raise(on=date(2026, 11, 20))
    second = alerts_raise(on=date(2026, 11, 26))
    last = alerts_raise(on=date(2026, 11, 30))
    ended = alerts_raise(on=date(2026, 12, 2))

    assert [a.kind for a in first] == [Alert.Kind.LICENCE_EXPIRING_30]
    assert same == []
    assert [a.kind for a in second] == [Alert.Kind.LICENCE_EXPIRING_7]
    assert [a.kind for a in last] == [Alert.Kind.LICENCE_EXPIRING_1]
    assert [a.kind for a in ended] == [Alert.Kind.LICENCE_EXPIRED]
    [alert] = licence.alerts.all()
    assert alert.raised_on == date(2026, 12, 2)
    assert alert.message.endswith("expired: its validity ended on 1 December 2026.")
    assert not alert.acknowledgements.exists()  # escalated: new to everyone again


def test_it_raises_nothing_for_a_licence_renewed_in_time(reference_data):
    renewed = Licence.objects.filter(valid_until=date(2026, 12, 1)).first()
    renewed.valid_until = date(2027, 12, 1)
    renewed.save()

    raised = alerts_raise(on=DAY)

    assert not Alert.objects.filter(licence=renewed).exists()
    assert len([a for a in raised if a.licence_id]) == 2


def test_it_raises_an_approval_whose_licence_expired():
    licence = LicenceFactory(valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31))
    approval = ApprovalFactory(licence=licence)
    ApprovalFactory(licence=LicenceFactory(), status="withdrawn")

    raised = alerts_raise(on=DAY)

    on_approvals = [a for a in raised if a.approval_id]
    assert [(a.kind, a.approval_id) for a in on_approvals] == [
        (Alert.Kind.APPROVAL_LICENCE_EXPIRED, approval.pk)
    ]
    assert "expired on 31 December 2025" in on_approvals[0].message
    assert alerts_raise(on=DAY) == []


def test_it_warns_of_a_suspension_that_ends_within_30_days(reference_data):
    raised = alerts_raise(on=date(2026, 10, 20))

    ending = [a for a in raised if a.kind == Alert.Kind.SUSPENSION_ENDING]
    assert [a.control_measure.reference for a in ending] == [
        "MOFCOM/GACC Announcement No. 70 of 2025"
    ]
    assert ending[0].message == (
        "Announcement No. 70's suspension ends on 10 November 2026: "
        "Nos. 56, 57, 61 and 62 come back into force unless it is extended."
    )


@time_machine.travel(NOON, tick=False)
def test_the_daily_task_emails_the_new_alerts_to_subscribers_only(reference_data, analyst):
    analyst.email = "ana@example.org"
    analyst.save()
    AlertSubscription.objects.create(user=analyst, email_digest=True)
    no_address = UserFactory(username="noaddress", role="Analyst")
    AlertSubscription.objects.create(user=no_address, email_digest=True)
    UserFactory(username="notsubscribed", role="Analyst", email="not@example.org")
    no_role = UserFactory(username="norole", email="norole@example.org")
    AlertSubscription.objects.create(user=no_role, email_digest=True)

    result = licensing_check.delay().get()

    assert result == {"licences changed": 0, "raised": 5, "emailed": 1}
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    assert "5 new alerts" in mail.outbox[0].subject
    assert "Announcement No. 70's suspension ended" in mail.outbox[0].body

    licensing_check.delay().get()

    assert len(mail.outbox) == 1


@time_machine.travel(NOON, tick=False)
def test_the_page_lists_the_alerts_and_the_badge_counts_them(reference_data, manager_client):
    alerts_raise(on=DAY)

    response = manager_client.get("/alerts/")

    assert response.status_code == 200
    assert response.context["alert_badge_count"] == 5
    body = response.content.decode()
    assert "Announcement No. 70&#x27;s suspension ended" in body
    assert 'class="nav-count"' in body


@time_machine.travel(NOON, tick=False)
def test_the_badge_counts_alerts_raised_after_it_was_first_shown(reference_data, manager_client):
    assert manager_client.get("/alerts/").context["alert_badge_count"] == 0

    alerts_raise(on=DAY)

    assert manager_client.get("/alerts/").context["alert_badge_count"] == 5


@time_machine.travel(NOON, tick=False)
def test_the_page_filters_by_kind(reference_data, analyst_client):
    alerts_raise(on=DAY)

    response = analyst_client.get("/alerts/", {"kind": "suspension_lapsed"})

    assert [a.kind for a in response.context["alerts"]] == ["suspension_lapsed"]


@time_machine.travel(NOON, tick=False)
def test_the_badge_forgets_alerts_older_than_a_week(reference_data, analyst_client):
    alerts_raise(on=date(2026, 11, 1))

    response = analyst_client.get("/alerts/")

    assert response.context["alert_badge_count"] == 0


@pytest.mark.parametrize("role", ["analyst", "compliance", "manager"])
def test_every_role_sees_the_page(role, request):
    user = request.getfixturevalue(role)

    assert client_for(user).get("/alerts/").status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/alerts/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_user_opts_in_and_out_of_the_digest(compliance_client, compliance):
    response = compliance_client.post("/alerts/subscription/", {"email_digest": "on"})

    assert response.status_code == 302
    assert AlertSubscription.objects.get(user=compliance).email_digest is True

    compliance_client.post("/alerts/subscription/", {})

    assert AlertSubscription.objects.get(user=compliance).email_digest is False


def test_the_command_prints_what_it_raised(reference_data, capsys):
    call_command("raise_alerts", "--on", "2026-11-26")

    out = capsys.readouterr().out
    assert "5 new alerts on 2026-11-26." in out
    assert "Suspension ended: Announcement No. 70's suspension ended" in out


def test_an_automakers_change_of_status_raises_an_alert_once(reference_data):
    raised = alerts_raise(on=date(2026, 12, 2))
    again = alerts_raise(on=date(2026, 12, 2))

    changes = {a.automaker.name: a.message for a in raised if a.automaker_id}
    assert changes["Ford Motor Co."] == (
        "Ford Motor Co.: expiring until 1 December 2026, expired from 2 December 2026."
    )
    assert again == []
    quiet = alerts_raise(on=date(2026, 12, 3))
    assert not [a for a in quiet if a.automaker_id]


@time_machine.travel(NOON, tick=False)
def test_each_user_acknowledges_an_alert_for_themselves(
    reference_data, analyst_client, manager_client
):
    alerts_raise(on=DAY)
    alert = Alert.objects.get(kind=Alert.Kind.SUSPENSION_LAPSED)

    response = analyst_client.post(f"/alerts/{alert.pk}/acknowledge/", {"next": "/alerts/?open=1"})
    mine = analyst_client.get("/alerts/", {"open": "1"})
    theirs = manager_client.get("/alerts/", {"open": "1"})

    assert response.status_code == 302 and response["Location"] == "/alerts/?open=1"
    assert alert not in mine.context["alerts"]
    assert alert in theirs.context["alerts"]
    assert mine.context["alert_badge_count"] == 4
    assert theirs.context["alert_badge_count"] == 5
    assert "acknowledged by you" in analyst_client.get("/alerts/").content.decode()
