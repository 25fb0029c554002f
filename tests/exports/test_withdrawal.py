"""Withdrawing an import: its figures stop counting, those it revised count again, the summaries
rebuild, and the withdrawal stays in the batch's page and each figure's history."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboards.models import MonthlySummary
from dashboards.services import monthly_summaries_rebuild
from exports.models import ExportRecord, ImportBatch, YearToDateFigure
from exports.services import import_batch_register, import_batch_withdraw
from exports.services.batches import InvalidTransition
from tests.exports.test_preview import DATA, HEADER, SOURCE, imported
from tests.exports.test_views import cells, html, rows

pytestmark = pytest.mark.django_db

NOVEMBER = date(2025, 11, 1)
REASON = "A test file, not GACC's figures."
# The two-row test file of the issue: November revised, January–February 2026 added.
WRONG = (
    HEADER
    + f"gacc-rare-earths,2025-11,,5600,4,CNY_100M,{SOURCE}\n"
    + f"gacc-rare-earths,2026-01/2026-02,,8900,,,{SOURCE}\n"
).encode()


def november(series: str = "gacc-rare-earths") -> ExportRecord:
    return ExportRecord.objects.get(
        series__code=series, period_start=NOVEMBER, partner="", is_current=True
    )


def summary(start: date) -> MonthlySummary | None:
    return MonthlySummary.objects.filter(
        series__code="gacc-rare-earths", partner="", period_start=start
    ).first()


@pytest.fixture
def gacc() -> ImportBatch:
    """China customs' rare-earth exports to December 2025, summarised."""
    batch = imported((DATA / "gacc_rare_earths_monthly.csv").read_bytes(), "gacc.csv")
    monthly_summaries_rebuild()
    return batch


@pytest.fixture
def wrong(gacc, django_capture_on_commit_callbacks) -> ImportBatch:
    """The wrong file imported, and the summaries rebuilt by the dashboards' receivers."""
    with django_capture_on_commit_callbacks(execute=True):
        batch = imported(WRONG, "test.csv")
    assert summary(NOVEMBER).tonnes == Decimal("5600")
    return batch


def test_withdrawing_the_import_that_revised_november_makes_the_previous_figure_current(
    gacc, wrong, compliance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    restored = november()
    assert restored.batch == gacc
    assert restored.tonnes == Decimal("5493.873")
    assert restored.superseded_by_batch is None
    assert not ExportRecord.objects.filter(batch=wrong, is_current=True).exists()
    assert ExportRecord.objects.filter(batch=wrong).count() == 2  # kept, for the history
    # The summaries the receivers rebuilt show it, and no longer the span it had added.
    assert summary(NOVEMBER).tonnes == Decimal("5493.873")
    assert summary(NOVEMBER).batch_id == gacc.pk
    assert round(summary(NOVEMBER).mom_pct, 1) == 26.5
    assert summary(date(2026, 1, 1)) is None
    wrong.refresh_from_db()
    assert wrong.status == ImportBatch.Status.WITHDRAWN
    assert (wrong.withdrawn_by, wrong.withdrawal_reason) == (compliance, REASON)
    assert wrong.withdrawn_at is not None
    assert wrong.summaries_owed is False  # the rebuild settled it


def test_the_withdrawal_is_owed_to_the_summaries_until_they_are_rebuilt(wrong, compliance):
    # Without the on-commit announcement (a lost message): owed, for the periodic settle.
    import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    wrong.refresh_from_db()
    assert wrong.summaries_owed is True


def test_withdrawing_twice_is_refused(wrong, compliance):
    import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    with pytest.raises(InvalidTransition, match=r"was already withdrawn on .*: “A test file"):
        import_batch_withdraw(batch_id=wrong.pk, reason="Again.", user=compliance)

    wrong.refresh_from_db()
    assert wrong.withdrawal_reason == REASON
    assert november().batch_id != wrong.pk


def test_a_failed_or_pending_import_cannot_be_withdrawn(db, compliance):
    batch, _ = import_batch_register(
        file=ContentFile(WRONG, name="test.csv"), original_name="test.csv", enqueue=False
    )

    with pytest.raises(InvalidTransition, match="only an import that succeeded"):
        import_batch_withdraw(batch_id=batch.pk, reason=REASON, user=compliance)


def test_a_withdrawal_needs_a_reason(wrong, compliance):
    with pytest.raises(ValidationError) as refused:
        import_batch_withdraw(batch_id=wrong.pk, reason="   ", user=compliance)

    assert refused.value.message_dict == {"reason": ["Say why the import is withdrawn."]}
    wrong.refresh_from_db()
    assert wrong.status == ImportBatch.Status.SUCCEEDED
    assert november().batch == wrong


def test_a_figure_revised_again_later_stays_superseded_by_the_later_import(gacc, wrong, compliance):
    later = imported(HEADER.encode() + f"gacc-rare-earths,2025-11,,5555,,,{SOURCE}\n".encode())
    original = ExportRecord.objects.get(batch=gacc, period_start=NOVEMBER)

    import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    assert november().batch == later
    original.refresh_from_db()
    assert (original.is_current, original.superseded_by_batch) == (False, later)
    withdrawn = ExportRecord.objects.get(batch=wrong, period_start=NOVEMBER)
    assert (withdrawn.is_current, withdrawn.superseded_by_batch) == (False, None)
    # Withdrawn in turn, the later import hands November back to the first, once.
    import_batch_withdraw(batch_id=later.pk, reason="Also wrong.", user=compliance)
    assert november().batch == gacc
    assert ExportRecord.objects.filter(period_start=NOVEMBER, is_current=True).count() == 1


def test_a_withdrawn_import_loses_its_year_to_date_figures(db, compliance):
    from tests.exports.test_import_services import gacc_table

    batch = imported(gacc_table(11, 5493.873, 3.497, 58193.0), "gacc-november.xlsx")
    assert YearToDateFigure.objects.filter(batch=batch).exists()

    import_batch_withdraw(batch_id=batch.pk, reason=REASON, user=compliance)

    assert not YearToDateFigure.objects.filter(batch=batch).exists()
    assert not ExportRecord.objects.filter(is_current=True).exists()


# Re-uploading


def test_the_same_file_after_a_withdrawal_returns_the_withdrawn_import_and_says_so(
    wrong, compliance, compliance_client
):
    import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    response = compliance_client.post(
        "/imports/new/", {"file": SimpleUploadedFile("again.csv", WRONG)}, follow=True
    )

    assert response.redirect_chain == [(f"/imports/{wrong.pk}/", 302)]
    page = html(response)
    assert f"This file was imported as import {wrong.pk}, then withdrawn on " in page
    assert "It was not imported again." in page
    assert november().batch_id != wrong.pk
    assert ImportBatch.objects.count() == 2


def test_a_preview_of_a_withdrawn_file_says_so_and_offers_no_import(
    wrong, compliance, compliance_client
):
    import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    response = compliance_client.post(
        "/imports/preview/", {"file": SimpleUploadedFile("again.csv", WRONG)}
    )

    page = html(response)
    assert re.search(rf"import {wrong.pk}</a>\s+and withdrawn on", page)
    assert "It will not be imported again." in page
    assert "Import this file" not in page


def test_the_api_returns_the_withdrawn_import_for_the_same_file(
    wrong, compliance, compliance_client
):
    import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    response = compliance_client.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("again.csv", WRONG)}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["withdrawal_reason"]) == (
        wrong.pk,
        "withdrawn",
        REASON,
    )
    assert body["withdrawn_by"] == compliance.username


# The pages


def withdraw(client, batch: ImportBatch, **data):
    return client.post(f"/imports/{batch.pk}/withdraw/", data, follow=True)


def test_the_batch_page_offers_compliance_a_withdrawal_with_a_reason(wrong, compliance_client):
    page = html(compliance_client.get(f"/imports/{wrong.pk}/"))

    assert f'action="/imports/{wrong.pk}/withdraw/"' in page
    assert 'name="reason"' in page
    assert 'name="confirm"' in page


def test_the_batch_page_offers_analysts_no_withdrawal(wrong, analyst_client):
    page = html(analyst_client.get(f"/imports/{wrong.pk}/"))

    assert "/withdraw/" not in page


def test_compliance_withdraws_from_the_batch_page(wrong, compliance, compliance_client):
    response = withdraw(compliance_client, wrong, reason=REASON, confirm="on")

    assert response.redirect_chain == [(f"/imports/{wrong.pk}/", 302)]
    page = html(response)
    assert f"Import {wrong.pk} is withdrawn" in page
    assert "Withdrawn</strong> on" in page
    assert "by cora" in page
    assert "A test file, not GACC&#x27;s figures." in page
    assert "Kept, no longer current" in page
    assert 'name="reason"' not in page  # once is enough
    assert november().batch_id != wrong.pk


def test_a_withdrawal_without_a_reason_or_confirmation_asks_again(wrong, compliance_client):
    response = withdraw(compliance_client, wrong, reason="")

    page = html(response)
    assert response.status_code == 200
    assert "This field is required." in page
    assert "Tick this to confirm the withdrawal." in page
    wrong.refresh_from_db()
    assert wrong.status == ImportBatch.Status.SUCCEEDED


def test_withdrawing_twice_from_the_page_is_refused_with_a_message(
    wrong, compliance, compliance_client
):
    import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    response = withdraw(compliance_client, wrong, reason="Again.", confirm="on")

    assert f"Import {wrong.pk} was already withdrawn on" in html(response)
    wrong.refresh_from_db()
    assert wrong.withdrawal_reason == REASON


def test_analysts_and_managers_may_not_withdraw(wrong, analyst_client, manager_client):
    for client in (analyst_client, manager_client):
        response = client.post(
            f"/imports/{wrong.pk}/withdraw/", {"reason": REASON, "confirm": "on"}
        )
        assert response.status_code == 403
        api = client.post(
            f"/api/v1/imports/{wrong.pk}/withdrawal/",
            {"reason": REASON},
            content_type="application/json",
        )
        assert api.status_code == 403
    wrong.refresh_from_db()
    assert wrong.status == ImportBatch.Status.SUCCEEDED


def test_the_figure_history_shows_the_withdrawn_version_with_its_reason(
    gacc, wrong, compliance, analyst_client
):
    import_batch_withdraw(batch_id=wrong.pk, reason=REASON, user=compliance)

    page = html(analyst_client.get(f"/imports/figures/{november().pk}/"))

    versions = [cells(row) for row in rows(page)]
    assert len(versions) == 2
    first, withdrawn = versions
    assert first[0] == f"import {gacc.pk}"
    assert first[3].startswith("5,493.9 t")
    assert "as stored: 5,493.873" in first[3]
    assert first[5] == "Current"
    assert withdrawn[0] == f"import {wrong.pk}"
    assert withdrawn[3] == "5,600.0 t"
    assert withdrawn[4] == "400"  # CNY 4 hundred million, in the series' CNY million
    assert "Withdrawn" in withdrawn[5]
    assert "A test file, not GACC&#x27;s figures." in withdrawn[5]
    assert "Value (CNY million)" in page


# The API


def test_the_api_withdraws_an_import_with_a_reason(wrong, compliance, compliance_client):
    response = compliance_client.post(
        f"/api/v1/imports/{wrong.pk}/withdrawal/",
        {"reason": REASON},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["withdrawal_reason"]) == ("withdrawn", REASON)
    assert body["withdrawn_by"] == "cora"
    assert body["withdrawn_at"]
    assert november().batch_id != wrong.pk


def test_the_api_refuses_a_second_withdrawal_and_one_without_a_reason(
    wrong, compliance, compliance_client
):
    url = f"/api/v1/imports/{wrong.pk}/withdrawal/"
    no_reason = compliance_client.post(url, {}, content_type="application/json")
    compliance_client.post(url, {"reason": REASON}, content_type="application/json")

    again = compliance_client.post(url, {"reason": "Again."}, content_type="application/json")

    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()
    assert again.status_code == 400
    assert "was already withdrawn on" in again.json()["status"][0]
