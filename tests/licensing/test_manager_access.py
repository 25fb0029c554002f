"""Managers see the why: the evidence behind an automaker's status, read-only, and the control
measures their charts mark, with every link on those pages open to them."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from licensing.models import Approval, Automaker, ControlMeasure, Licence
from tests.factories import ApprovalFactory


@pytest.fixture
def data(reference_data):
    """The shipped reference data, seen on 26 November 2026."""
    with time_machine.travel(date(2026, 11, 26), tick=False):
        yield


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section [^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def evidence_row(page: str, claim: Approval) -> str:
    match = re.search(rf'<tr data-evidence="{claim.pk}">.*?</tr>', page, re.S)
    assert match, f"no evidence row for claim {claim.pk}"
    return match.group(0)


@pytest.fixture
def gm_claims(data):
    """General Motors, covered by JL Mag's general licence on a company statement, and an older
    news report through another scope, past the reconfirmation horizon."""
    jl_mag = Licence.objects.get(exporter__name="JL Mag Rare-Earth Co. Ltd.")
    gm = Automaker.objects.get(name="General Motors Co.")
    fresh = ApprovalFactory(
        automaker=gm,
        licence=jl_mag,
        exporter=jl_mag.exporter,
        evidence_grade=Approval.EvidenceGrade.COMPANY_STATEMENT,
        claimed_on=date(2026, 3, 2),
        source_url="https://example.org/jl-mag-gm",
    )
    stale = ApprovalFactory(
        automaker=gm,
        licence=None,
        licence_kind="general",
        evidence_grade=Approval.EvidenceGrade.NEWS_REPORT,
        claimed_on=date(2025, 10, 1),
        source_url="",
        evidence_file=SimpleUploadedFile("memo.txt", b"Internal memo."),
        evidence_file_name="memo.txt",
    )
    return gm, fresh, stale


def test_a_manager_sees_each_claims_grade_date_source_and_age(manager_client, gm_claims):
    gm, fresh, stale = gm_claims

    page = html(manager_client.get(f"/automakers/{gm.pk}/"))

    summary = section(page, "evidence-heading")
    assert "Why: the evidence behind this status" in summary
    shown = evidence_row(summary, fresh)
    assert re.sub(r"<[^>]+>", "", shown).count("Approved through JL Mag Rare-Earth Co. Ltd.") == 1
    assert f'href="/exporters/{fresh.exporter_id}/"' in shown
    assert "<td>Company statement</td>" in shown
    assert '<time datetime="2026-03-02">2 Mar 2026</time>' in shown
    assert "269 days" in shown  # 2 March to 26 November 2026
    assert "older than" not in shown
    assert 'href="https://example.org/jl-mag-gm"' in shown
    old = evidence_row(summary, stale)
    assert "<td>News report</td>" in old
    assert "421 days" in old
    assert "older than 365 days" in old
    assert "A document on file" in old  # named, but not handed to a manager


def test_the_managers_summary_has_no_way_to_the_claims_or_to_change_them(manager_client, gm_claims):
    gm, fresh, stale = gm_claims

    page = html(manager_client.get(f"/automakers/{gm.pk}/"))

    summary = section(page, "evidence-heading")
    assert "/approvals/" not in page
    assert "/evidence/" not in page
    assert "<form" not in summary
    assert "edit" not in summary.lower()
    assert "The claims as recorded</h2>" not in page
    assert re.findall(r'<form method="post" action="([^"]*)"', page) == ["/logout/"]
    assert manager_client.get(f"/approvals/{fresh.pk}/").status_code == 403


def test_an_analyst_gets_the_claims_in_full_instead_of_the_summary(analyst_client, gm_claims):
    gm, fresh, _ = gm_claims

    page = html(analyst_client.get(f"/automakers/{gm.pk}/"))

    assert "The claims as recorded</h2>" in page
    assert f'href="/approvals/{fresh.pk}/"' in page
    assert section(page, "evidence-heading") == ""


def test_the_summary_says_when_no_claim_is_on_record(manager_client, data):
    honda = Automaker.objects.exclude(approvals__isnull=False).first()

    page = html(manager_client.get(f"/automakers/{honda.pk}/"))

    assert "nothing says this automaker is covered" in section(page, "evidence-heading")


def test_a_manager_opens_the_control_measures_and_each_measures_page(manager_client, data):
    page = html(manager_client.get("/control-measures/"))
    measures = ControlMeasure.objects.all()
    assert measures.count() > 5

    for measure in measures:
        assert f'href="/control-measures/{measure.pk}/"' in page
        shown = html(manager_client.get(f"/control-measures/{measure.pk}/"))
        assert f"<h1>{measure.reference}</h1>" in shown
        assert "/edit/" not in shown  # reads, never changes


def test_every_link_a_manager_is_shown_on_the_measures_pages_opens(manager_client, data):
    pages = ["/control-measures/"] + [
        f"/control-measures/{pk}/" for pk in ControlMeasure.objects.values_list("pk", flat=True)
    ]
    links = set()
    for path in pages:
        page = html(manager_client.get(path))
        links.update(
            link.replace("&amp;", "&")
            for link in re.findall(r'href="(/[^"#]*)"', page)
            if not link.startswith("/static/")
        )
    assert any(link.startswith("/control-measures/") for link in links)

    refused = {
        link: status
        for link in sorted(links)
        if (status := manager_client.get(link).status_code) not in (200, 302)
    }

    assert refused == {}
