"""In a browser: a large upload shows its progress (the file sent, then the import's stages) and
ends on the import's page with a message that says what became of it."""

from __future__ import annotations

import re

import pycountry
import pytest

from core.roles import COMPLIANCE, roles_sync
from exports.models import ImportBatch
from exports.series import series_sync
from tests.e2e.conftest import log_in
from tests.exports.test_preview import HEADER, SOURCE
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROWS = 20_000

# Records every stage the progress panel shows, across the page's life, for the test to read.
WATCH_STAGES = """
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("[data-upload-progress]");
  if (!panel) return;
  new MutationObserver(() => {
    if (!panel.hidden) window.stageSeen(panel.getAttribute("data-stage") || "",
                                        panel.querySelector("[data-upload-state]").textContent);
  }).observe(panel, { attributes: true, subtree: true, childList: true, characterData: true });
});
"""


def big_file(path) -> None:
    """ROWS figures of distinct (month, partner): 25 years of months to 67 partners."""
    partners = [country.alpha_3 for country in pycountry.countries][:67]
    months = [f"{year}-{month:02d}" for year in range(2000, 2025) for month in range(1, 13)]
    keys = [(month, partner) for partner in partners for month in months][:ROWS]
    lines = [
        f"comtrade-850511,{month},{partner},{index % 997 + 0.5},,,{SOURCE}\n"
        for index, (month, partner) in enumerate(keys)
    ]
    path.write_text(HEADER + "".join(lines))


def test_a_large_upload_shows_its_progress_and_a_true_final_message(browser, live_server, tmp_path):
    roles_sync()
    series_sync()
    UserFactory(username="cora", role=COMPLIANCE)
    file = tmp_path / "big.csv"
    big_file(file)
    context = browser.new_context(bypass_csp=True)  # for the watching script only
    page = context.new_page()
    page.set_default_timeout(60_000)
    seen: list[tuple[str, str]] = []
    page.expose_function("stageSeen", lambda stage, text: seen.append((stage, text)))
    page.add_init_script(WATCH_STAGES)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, live_server, "cora")

    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[name=file]", str(file))
    page.click("button:has-text('Upload and import')")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    stages = [stage for stage, _ in seen]
    assert "sending" in stages and "importing" in stages
    # The import followed while the upload's answer was still on its way.
    assert any(text.startswith(f"Import {batch.pk}: ") for _, text in seen)
    assert any(text.startswith("Sending the file: ") and text.endswith("%") for _, text in seen)
    message = page.locator(".messages").inner_text()
    assert f"Imported big.csv: {batch.rows_stored:,} figures stored" in message
    assert "Queued" not in page.content()
    assert errors == []
    context.close()
