from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing import services
from licensing.models import Approval, Automaker, Element, Exporter, Licence
from tests.factories import (
    ApprovalFactory,
    AutomakerFactory,
    ControlMeasureFactory,
    ExporterFactory,
    LicenceFactory,
)

PDF = b"%PDF-1.4\n% evidence\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture
def on_26_november():
    with time_machine.travel(date(2026, 11, 26), tick=False):
        yield


@pytest.fixture
def data(on_26_november, reference_data):
    """The shipped reference data, seen on 26 November 2026."""


def html(response) -> str:
    return response.content.decode()


def row(page: str, text: str) -> str:
    """The table row that shows the text."""
    for match in re.finditer(r"<tr\b.*?</tr>", page, re.S):
        if text in match.group(0):
            return match.group(0)
    raise AssertionError(f"no table row shows {text!r}")


def rows(page: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    return re.findall(r"<tr\b.*?</tr>", body, re.S)


def field_errors(page: str, name: str) -> str:
    """The error list shown beside a form field, empty when there is none."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def approval_data(**changes) -> dict:
    ford = Automaker.objects.get(name="Ford Motor Co.")
    data = {
        "automaker": ford.pk,
        "exporter": "",
        "importer": "",
        "licence": "",
        "licence_kind": "general",
        "status": "approved",
        "evidence_grade": "news_report",
        "claimed_on": "2026-01-15",
        "statement": "A supplier says its shipments to Ford were approved.",
        "source_url": "https://example.org/ford-supplier",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def approval_with_evidence(user=None) -> Approval:
    return services.approval_record(
        automaker=Automaker.objects.get(name="Ford Motor Co."),
        status=Approval.Status.APPROVED,
        evidence_grade=Approval.EvidenceGrade.MOFCOM_NOTICE,
        claimed_on=date(2025, 12, 2),
        statement="MOFCOM notice naming Ford's suppliers.",
        evidence_file=SimpleUploadedFile("mofcom-notice.pdf", PDF, "application/pdf"),
        user=user,
    )


# Automakers


def test_automakers_page_shows_ford_expiring_on_a_company_statement(analyst_client, data):
    page = html(analyst_client.get("/automakers/"))

    # Today (26 Nov 2026) the general licences its claim rests on end within 30 days.
    ford = row(page, "Ford Motor Co.")
    assert "Expiring" in ford
    assert '<time datetime="2026-12-01">' in ford
    assert "Company statement" in ford


def test_automakers_page_shows_german_automakers_excluded_and_toyota_without_information(
    analyst_client, data
):
    page = html(analyst_client.get("/automakers/"))

    for name in ("Volkswagen AG", "BMW AG", "Mercedes-Benz Group AG"):
        assert "Excluded" in row(page, name)
        assert "Government official" in row(page, name)
    assert "No information" in row(page, "Toyota Motor Corp.")


def test_automakers_page_filters_by_status(analyst_client, data):
    page = html(analyst_client.get("/automakers/", {"status": "excluded"}))

    shown = rows(page)
    assert len(shown) == 3
    assert all("Excluded" in r for r in shown)
    assert "Ford Motor Co." not in page
    assert "Toyota Motor Corp." not in page


def test_automakers_page_sorts_by_status_best_first_then_by_name(analyst_client, data):
    page = html(analyst_client.get("/automakers/", {"sort": "status"}))

    names = [re.search(r'data-automaker="([^"]+)"', r).group(1) for r in rows(page)]
    # The two watch-listed automakers need an individual licence: after partial cover, before
    # the excluded.
    assert names == [
        "Ford Motor Co.",
        "Hino Motors, Ltd.",
        "SUBARU Corporation",
        "BMW AG",
        "Mercedes-Benz Group AG",
        "Volkswagen AG",
        "General Motors Co.",
        "Hyundai Motor Co.",
        "Stellantis N.V.",
        "Toyota Motor Corp.",
    ]


def test_automakers_page_sorts_by_name_descending_within_a_status_filter(analyst_client, data):
    page = html(analyst_client.get("/automakers/", {"sort": "-name", "status": "excluded"}))

    names = [re.search(r'data-automaker="([^"]+)"', r).group(1) for r in rows(page)]
    assert names == ["Volkswagen AG", "Mercedes-Benz Group AG", "BMW AG"]
    assert 'aria-sort="descending"' in page


def test_automakers_page_sorts_by_cover_until_with_unknown_expiries_last(analyst_client, data):
    later = LicenceFactory(valid_until=date(2027, 3, 1))
    sooner = LicenceFactory(valid_until=date(2026, 12, 20))
    ApprovalFactory(automaker=AutomakerFactory(name="Later Motors"), licence=later)
    ApprovalFactory(automaker=AutomakerFactory(name="Sooner Motors"), licence=sooner)

    page = html(analyst_client.get("/automakers/", {"sort": "cover_until"}))

    names = [re.search(r'data-automaker="([^"]+)"', r).group(1) for r in rows(page)]
    # Ford's claim names no exporter: these general licences in force on its date carry it too.
    assert names[:3] == ["Sooner Motors", "Ford Motor Co.", "Later Motors"]
    assert "Expiring" in row(page, "Sooner Motors")
    # No cover date (excluded, expired, no information): last, by name.
    assert names[-1] == "Volkswagen AG"


def test_automakers_page_queries_do_not_grow_with_more_automakers(
    analyst_client, data, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        analyst_client.get("/automakers/")
    for _ in range(15):
        licence = LicenceFactory()
        ApprovalFactory(licence=licence, exporter=licence.exporter)
        ApprovalFactory(status=Approval.Status.PENDING)

    with django_assert_max_num_queries(len(few)):
        response = analyst_client.get("/automakers/")

    assert len(rows(html(response))) == Automaker.objects.count() == 10 + 30


def test_automaker_detail_explains_the_status_and_lists_the_approvals_behind_it(
    analyst_client, data
):
    ford = Automaker.objects.get(name="Ford Motor Co.")

    page = html(analyst_client.get(f"/automakers/{ford.pk}/"))

    assert "Expiring" in page
    assert "Covered today, but the licences behind a claim end within 30 days" in page
    assert "The claims as recorded" in page
    assert "Company statement" in row(page, "Approved")
    assert f"/approvals/{ford.approvals.get().pk}/" in page


def test_automaker_detail_queries_do_not_grow_with_more_claims_and_their_licences(
    analyst_client, data, django_assert_max_num_queries
):
    ford = Automaker.objects.get(name="Ford Motor Co.")  # one claim, naming no licence
    with CaptureQueriesContext(connection) as few:
        analyst_client.get(f"/automakers/{ford.pk}/")
    for _ in range(4):  # four more scopes, each through an exporter with two licences
        exporter = ExporterFactory()
        LicenceFactory.create_batch(2, exporter=exporter, kind=Licence.Kind.GENERAL)
        ApprovalFactory(automaker=ford, exporter=exporter, licence=None, licence_kind="general")

    with django_assert_max_num_queries(len(few)):
        page = html(analyst_client.get(f"/automakers/{ford.pk}/"))

    assert page.count('class="claim"') == 5
    assert page.count("the licences of this kind its exporter holds") == 4


def test_automaker_detail_shows_a_manager_the_licences_but_not_the_approvals(manager_client, data):
    jl_mag = Licence.objects.get(exporter__name="JL Mag Rare-Earth Co. Ltd.")
    gm = Automaker.objects.get(name="General Motors Co.")
    approval = ApprovalFactory(automaker=gm, licence=jl_mag, exporter=jl_mag.exporter)

    page = html(manager_client.get(f"/automakers/{gm.pk}/"))

    assert "Expiring" in page
    assert f"/licences/{jl_mag.pk}/" in row(page, f'data-licence="{jl_mag.pk}"')
    assert "Expires in 5 days" in page
    assert f"/approvals/{approval.pk}/" not in page
    assert "The claims as recorded</h2>" not in page


# Licences


def test_licences_page_flags_the_three_general_licences_as_expiring_in_5_days(analyst_client, data):
    page = html(analyst_client.get("/licences/"))

    for exporter in Exporter.objects.all():
        shown = row(page, exporter.name)
        assert "Expires in 5 days" in shown
        assert "not public" in shown
        assert "1 Dec 2026" in shown
    assert "3 licences valid today end within 30 days" in page


def test_a_licence_past_its_end_says_when_it_expired_before_the_check_marks_it(analyst_client):
    licence = LicenceFactory(
        exporter=ExporterFactory(name="Run Out Magnets"),
        valid_from=date(2025, 12, 2),
        valid_until=date(2026, 12, 1),
    )
    assert licence.status == Licence.Status.ISSUED

    with time_machine.travel(date(2026, 12, 4), tick=False):
        listed = row(html(analyst_client.get("/licences/")), "Run Out Magnets")
        detail = html(analyst_client.get(f"/licences/{licence.pk}/"))

    assert "Expired 3 days ago" in listed
    assert "Expired 3 days ago" in detail


def test_licences_page_does_not_flag_a_licence_with_more_than_30_days_left(analyst_client, data):
    LicenceFactory(exporter=ExporterFactory(name="Far Off Magnets"), valid_until=date(2027, 6, 1))

    shown = row(html(analyst_client.get("/licences/")), "Far Off Magnets")

    assert "Expiring" not in shown
    assert "187 days" in shown


def test_licences_page_filters_by_expiring_within_and_kind(analyst_client, data):
    LicenceFactory(exporter=ExporterFactory(name="Far Off Magnets"), valid_until=date(2027, 6, 1))
    LicenceFactory(
        exporter=ExporterFactory(name="Individual Co."),
        kind="individual",
        valid_until=date(2027, 2, 1),
    )

    expiring = html(analyst_client.get("/licences/", {"expiring_within": 30}))
    individual = html(analyst_client.get("/licences/", {"kind": "individual"}))

    assert len(rows(expiring)) == 3
    assert "Far Off Magnets" not in "".join(rows(expiring))
    assert [r for r in rows(individual) if "Individual Co." in r]
    assert len(rows(individual)) == 1


def test_licences_page_queries_do_not_grow_with_more_licences(
    analyst_client, data, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        analyst_client.get("/licences/")
    LicenceFactory.create_batch(20)

    with django_assert_max_num_queries(len(few)):
        response = analyst_client.get("/licences/")

    assert len(rows(html(response))) == 23


def test_licence_detail_shows_coverage_approvals_and_who_changed_what(
    analyst_client, compliance, data
):
    licence = Licence.objects.get(exporter__name="Ningbo Yunsheng Co. Ltd.")
    approval = ApprovalFactory(licence=licence, exporter=licence.exporter)
    services.licence_update(
        licence=licence,
        data={
            "number": "GL-2025-002",
            "elements": Element.objects.filter(symbol__in=["Dy", "Tb"]),
        },
        user=compliance,
    )

    page = html(analyst_client.get(f"/licences/{licence.pk}/"))

    assert "Dysprosium" in page
    assert "8505.11" in page
    assert f"/approvals/{approval.pk}/" in page
    assert "tomshardware.com" in page
    change = re.search(r"Changed</span>\s*by <strong[^>]*>cora</strong>.*?</li>", page, re.S)
    assert change, "the change by cora is not in the history"
    assert "GL-2025-002" in row(change.group(0), "Number")
    elements = row(change.group(0), "Elements")
    assert "Samarium (Sm)" in elements
    assert "<ins>Dysprosium (Dy), Terbium (Tb)</ins>" in elements


def test_licence_detail_queries_do_not_grow_with_more_approvals_and_changes(
    analyst_client, compliance, data, django_assert_max_num_queries
):
    licence = Licence.objects.get(exporter__name="Ningbo Yunsheng Co. Ltd.")
    with CaptureQueriesContext(connection) as few:
        analyst_client.get(f"/licences/{licence.pk}/")
    for number in range(5):
        ApprovalFactory(licence=licence, exporter=licence.exporter)
        services.licence_update(
            licence=licence,
            data={"number": f"GL-{number}", "elements": Element.objects.all()[: number + 1]},
            user=compliance,
        )

    with django_assert_max_num_queries(len(few)):
        response = analyst_client.get(f"/licences/{licence.pk}/")

    assert html(response).count("history__entry--changed") == 5


def test_licence_detail_does_not_show_approvals_to_a_manager(manager_client, data):
    licence = Licence.objects.get(exporter__name="Ningbo Yunsheng Co. Ltd.")
    approval = ApprovalFactory(licence=licence, exporter=licence.exporter)

    response = manager_client.get(f"/licences/{licence.pk}/")

    assert response.status_code == 200
    assert f"/approvals/{approval.pk}/" not in html(response)
    assert "Approvals under this licence" not in html(response)


# Approvals


def test_approvals_page_filters_by_status(analyst_client, data):
    page = html(analyst_client.get("/approvals/", {"status": "excluded"}))

    assert len(rows(page)) == 3
    assert "Ford Motor Co." not in "".join(rows(page))


def test_approvals_page_queries_do_not_grow_with_more_approvals(
    analyst_client, data, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        analyst_client.get("/approvals/")
    for _ in range(10):
        licence = LicenceFactory()
        ApprovalFactory(licence=licence, exporter=licence.exporter)

    with django_assert_max_num_queries(len(few)):
        response = analyst_client.get("/approvals/")

    assert len(rows(html(response))) == 14


def test_recording_an_approval_with_an_evidence_file_stores_it_and_redirects(
    compliance_client, compliance, data
):
    jl_mag = Licence.objects.get(exporter__name="JL Mag Rare-Earth Co. Ltd.")
    upload = SimpleUploadedFile("ford-letter.pdf", PDF, "application/pdf")

    response = compliance_client.post(
        "/approvals/new/", approval_data(licence=jl_mag.pk, evidence_file=upload)
    )

    approval = Approval.objects.get(statement__startswith="A supplier says")
    assert response.status_code == 302
    assert response["Location"] == f"/approvals/{approval.pk}/"
    assert approval.licence == jl_mag
    assert approval.exporter == jl_mag.exporter
    assert approval.recorded_by == compliance
    assert approval.evidence_file_name == "ford-letter.pdf"
    with approval.evidence_file.open("rb") as stored:
        assert stored.read() == PDF
    detail = html(compliance_client.get(response["Location"]))
    assert "Approval recorded" in detail
    assert "Download ford-letter.pdf" in detail


def test_recording_an_approval_under_another_exporters_licence_shows_the_error_by_licence(
    compliance_client, data
):
    jl_mag = Licence.objects.get(exporter__name="JL Mag Rare-Earth Co. Ltd.")
    ningbo = Exporter.objects.get(name="Ningbo Yunsheng Co. Ltd.")
    before = Approval.objects.count()

    response = compliance_client.post(
        "/approvals/new/", approval_data(licence=jl_mag.pk, exporter=ningbo.pk)
    )

    assert response.status_code == 200
    assert "This licence is held by JL Mag Rare-Earth Co. Ltd." in field_errors(
        html(response), "licence"
    )
    assert "Nothing was saved" in html(response)
    assert Approval.objects.count() == before


def test_recording_an_approval_with_a_too_large_file_shows_the_error_by_the_file(
    compliance_client, data, settings
):
    settings.EVIDENCE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000, "application/pdf")
    before = Approval.objects.count()

    response = compliance_client.post("/approvals/new/", approval_data(evidence_file=upload))

    assert response.status_code == 200
    errors = field_errors(html(response), "evidence_file")
    assert "The evidence file is 2.0" in errors
    assert "the limit is 1000" in errors
    assert Approval.objects.count() == before


def test_recording_an_approval_with_a_file_that_is_not_a_pdf_image_or_text_is_refused(
    compliance_client, data
):
    upload = SimpleUploadedFile("notice.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04", "application/pdf")
    before = Approval.objects.count()

    response = compliance_client.post("/approvals/new/", approval_data(evidence_file=upload))

    assert response.status_code == 200
    assert "must be a PDF, a PNG, JPEG, GIF or WebP image" in field_errors(
        html(response), "evidence_file"
    )
    assert Approval.objects.count() == before


def test_recording_an_approval_without_source_or_file_is_refused(compliance_client, data):
    before = Approval.objects.count()

    response = compliance_client.post("/approvals/new/", approval_data(source_url=""))

    assert response.status_code == 200
    assert "Give a source URL or attach an evidence file." in html(response)
    assert Approval.objects.count() == before


def test_editing_an_approval_shows_who_changed_what_on_its_detail_page(compliance_client, data):
    approval = Approval.objects.get(automaker__name="Ford Motor Co.")

    response = compliance_client.post(
        f"/approvals/{approval.pk}/edit/",
        approval_data(status="pending", statement=approval.statement, claimed_on="2025-12-10"),
    )

    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.status == Approval.Status.PENDING
    page = html(compliance_client.get(f"/approvals/{approval.pk}/"))
    change = re.search(r"Changed</span>\s*by <strong[^>]*>cora</strong>.*?</li>", page, re.S)
    assert change, "the change by cora is not in the history"
    status = row(change.group(0), "Status")
    assert "<del>Approved</del>" in status
    assert "<ins>Pending</ins>" in status
    assert "Evidence grade" in change.group(0)
    assert "<ins>News report</ins>" in row(change.group(0), "Evidence grade")


def test_editing_an_approval_keeps_its_evidence_file_when_none_is_chosen(
    compliance_client, compliance, data
):
    approval = approval_with_evidence(user=compliance)

    compliance_client.post(
        f"/approvals/{approval.pk}/edit/",
        approval_data(source_url="", statement="MOFCOM notice, re-read.", claimed_on="2025-12-02"),
    )

    approval.refresh_from_db()
    assert approval.statement == "MOFCOM notice, re-read."
    assert approval.evidence_file_name == "mofcom-notice.pdf"
    with approval.evidence_file.open("rb") as stored:
        assert stored.read() == PDF


def test_evidence_download_is_an_attachment_for_an_analyst(analyst_client, data):
    approval = approval_with_evidence()

    response = analyst_client.get(f"/approvals/{approval.pk}/evidence/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mofcom-notice.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_evidence_download_is_forbidden_to_a_manager(manager_client, data):
    approval = approval_with_evidence()

    response = manager_client.get(f"/approvals/{approval.pk}/evidence/")

    assert response.status_code == 403


def test_an_analyst_may_not_record_an_approval(analyst_client, data):
    before = Approval.objects.count()

    shown = analyst_client.get("/approvals/new/")
    posted = analyst_client.post("/approvals/new/", approval_data())

    assert shown.status_code == 403
    assert "You do not have permission" in html(shown)
    assert posted.status_code == 403
    assert Approval.objects.count() == before


def test_an_analyst_may_not_edit_an_approval(analyst_client, data):
    approval = Approval.objects.get(automaker__name="Ford Motor Co.")

    response = analyst_client.post(
        f"/approvals/{approval.pk}/edit/", approval_data(status="refused")
    )

    assert response.status_code == 403
    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED


@pytest.mark.parametrize("path", ["/approvals/", "/approvals/1/"])
def test_a_manager_may_not_open_approvals(manager_client, data, path):
    assert manager_client.get(path).status_code == 403


def test_a_manager_reads_the_control_measures_the_charts_mark(manager_client, data):
    assert manager_client.get("/control-measures/").status_code == 200


# Control measures


def test_control_measures_page_says_a_suspension_end_awaits_confirmation_not_in_force(
    analyst_client, data
):
    page = html(analyst_client.get("/control-measures/"))

    in_force = re.search(r'<ul class="in-force">(.*?)</ul>', page, re.S).group(1)
    for number in ("57", "61", "62"):
        reference = f"MOFCOM Announcement No. {number} of 2025"
        assert reference in in_force
        card = re.search(rf"<h3><a [^>]*>{reference}</a></h3>.*?</article>", page, re.S).group(0)
        assert "Suspension ended on 10 November 2026 — awaiting confirmation" in card
        assert '<time datetime="2026-11-10">10 Nov 2026</time>' in card
        assert "In force" not in card
    assert "MOFCOM/GACC Announcement No. 18 of 2025" in in_force


def test_control_measures_page_shows_the_suspension_on_an_earlier_day(analyst_client, data):
    page = html(analyst_client.get("/control-measures/", {"on": "2026-06-01"}))

    in_force = re.search(r'<ul class="in-force">(.*?)</ul>', page, re.S).group(1)
    assert "No. 57 of 2025" not in in_force
    assert "No. 18 of 2025" in in_force
    card = re.search(
        r"<h3><a [^>]*>MOFCOM Announcement No. 57 of 2025</a></h3>.*?</article>", page, re.S
    )
    assert "Suspended until" in card.group(0)
    assert "lapsed" not in card.group(0)


def test_control_measures_page_narrows_to_an_element(analyst_client, data):
    page = html(analyst_client.get("/control-measures/", {"element": "Ho"}))

    assert "MOFCOM Announcement No. 57 of 2025" in page
    assert "MOFCOM/GACC Announcement No. 18 of 2025" not in page


def test_control_measures_page_shows_an_error_for_a_bad_date(analyst_client, data):
    response = analyst_client.get("/control-measures/", {"on": "2026-13-45"})

    assert response.status_code == 200
    assert "Enter a valid date." in field_errors(html(response), "on")


def test_control_measures_page_queries_do_not_grow_with_more_measures(
    analyst_client, data, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        analyst_client.get("/control-measures/")
    ControlMeasureFactory.create_batch(10)

    with django_assert_max_num_queries(len(few)):
        analyst_client.get("/control-measures/")


# Layout and access


def test_navigation_shows_a_manager_only_the_pages_the_role_may_open(manager_client, data):
    page = html(manager_client.get("/licences/"))

    nav = re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)
    assert 'href="/automakers/"' in nav
    assert 'href="/licences/"' in nav
    assert 'href="/approvals/"' not in nav
    assert 'href="/control-measures/"' in nav
    assert "max" in page
    assert '<span class="account__role">Manager</span>' in page
    assert re.search(r'<form method="post" action="/logout/"', page)


def test_compliance_sees_the_record_approval_button_and_an_analyst_does_not(
    compliance_client, analyst_client, data
):
    assert 'href="/approvals/new/"' in html(compliance_client.get("/approvals/"))
    assert 'href="/approvals/new/"' not in html(analyst_client.get("/approvals/"))


def test_an_anonymous_visitor_is_sent_to_log_in(client, data):
    response = client.get("/automakers/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/automakers/"
    assert "Log in to RareGate" in html(client.get("/login/"))


def test_logging_out_takes_a_post_and_ends_the_session(analyst_client, data):
    response = analyst_client.post("/logout/")

    assert response.status_code == 302
    assert analyst_client.get("/automakers/").status_code == 302


def test_an_unknown_approval_is_not_found(analyst_client, data):
    assert analyst_client.get("/approvals/999999/").status_code == 404


def test_licence_detail_lists_its_dated_changes_and_its_renewal(analyst_client, compliance, data):
    licence = Licence.objects.get(exporter__name="Ningbo Yunsheng Co. Ltd.")
    services.licence_transition(
        licence=licence,
        to_status=Licence.Status.SUSPENDED,
        effective_on=date(2026, 11, 28),
        reason="Suspended pending an inspection.",
        user=compliance,
        on=date(2026, 11, 26),
    )
    renewal = LicenceFactory(
        exporter=licence.exporter,
        renews=licence,
        valid_from=date(2026, 12, 2),
        valid_until=date(2027, 12, 1),
    )

    page = html(analyst_client.get(f"/licences/{licence.pk}/"))
    renewal_page = html(analyst_client.get(f"/licences/{renewal.pk}/"))

    change = row(page, "Suspended pending an inspection.")
    assert "28 Nov 2026" in change and "scheduled" in change and "Issued → Suspended" in change
    assert "by cora" in change
    assert 'badge--issued">Issued</span>' in page  # until the 28th
    assert f'href="/licences/{renewal.pk}/"' in page
    assert f'href="/licences/{licence.pk}/"' in renewal_page


def test_automaker_detail_shows_the_ten_licences_a_claim_rests_on_that_end_last(
    analyst_client, data
):
    exporter, automaker = ExporterFactory(), AutomakerFactory(name="Many Motors")
    for month in range(1, 13):
        LicenceFactory(exporter=exporter, valid_until=date(2027, month, 1))
    ApprovalFactory(automaker=automaker, exporter=exporter, licence=None, licence_kind="general")

    page = html(analyst_client.get(f"/automakers/{automaker.pk}/"))

    claim = re.search(r'<article class="claim".*?</article>', page, re.S).group(0)
    assert len(re.findall(r"<tr data-licence=", claim)) == 10
    assert "1 Dec 2027" in claim and "1 Mar 2027" in claim and "1 Feb 2027" not in claim
    assert "And 2 more, ending earlier." in claim
