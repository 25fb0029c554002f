"""In a browser: preview an upload, import what was previewed, then withdraw it."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from core.roles import COMPLIANCE, roles_sync
from exports.models import ExportRecord, ImportBatch
from exports.series import series_sync
from tests.e2e.conftest import log_in
from tests.exports.test_preview import HEADER, SOURCE, imported
from tests.factories import UserFactory

# The live server runs in another thread, so the test data must be committed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DATA = Path(settings.BASE_DIR) / "data" / "exports"
SCREENSHOTS = os.environ.get("RAREGATE_SCREENSHOTS")  # a folder, to look at the pages


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def shipped():
    roles_sync()
    series_sync()
    UserFactory(username="cora", role=COMPLIANCE)
    return imported((DATA / "gacc_rare_earths_monthly.csv").read_bytes(), "gacc.csv")


def test_compliance_previews_imports_and_withdraws_a_file(page, live_server, shipped, tmp_path):
    wrong = tmp_path / "test.csv"
    wrong.write_text(HEADER + f"gacc-rare-earths,2025-11,,5493.9,,,{SOURCE}\n")
    november = ExportRecord.objects.get(period_start=date(2025, 11, 1), is_current=True)
    log_in(page, live_server, "cora")

    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[name=file]", str(wrong))
    page.click("button:has-text('Preview')")
    page.wait_for_url(re.compile(r"/imports/preview/$"))
    shot(page, "preview")
    revisions = page.locator("#revisions").inner_text()
    assert "5,493.873 → 5,493.9" in revisions
    assert "less precise" in revisions
    assert ImportBatch.objects.count() == 1  # nothing stored by the preview

    page.click("button:has-text('Import this file')")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    batch = ImportBatch.objects.exclude(pk=shipped.pk).get()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert ExportRecord.objects.get(period_start=date(2025, 11, 1), is_current=True).batch == batch
    shot(page, "imported")

    page.fill("textarea[name=reason]", "Rounded figures from a news report, not GACC's table.")
    page.check("input[name=confirm]")
    page.click("button:has-text('Withdraw import')")
    page.wait_for_url(re.compile(rf"/imports/{batch.pk}/$"))
    shot(page, "withdrawn")
    assert "Withdrawn on" in page.locator("#withdrawal").inner_text()
    assert ExportRecord.objects.get(period_start=date(2025, 11, 1), is_current=True) == november

    page.goto(f"{live_server.url}/imports/figures/{november.pk}/")
    shot(page, "history")
    assert "Rounded figures from a news report" in page.locator("main").inner_text()
