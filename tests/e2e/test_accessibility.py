"""Every page as each role sees it, audited by axe-core in a real browser: no serious or
critical violation (contrast, names, labels, landmarks, ARIA), on a desktop and, for the main
pages, on a 390 px phone; and the keyboard reaches the skip link, the main nav and submits forms.

One test per role over a list of pages, so a failure names every bad page at once."""

from __future__ import annotations

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import ANALYST, COMPLIANCE, MANAGER
from dashboards.services import monthly_summaries_rebuild
from exports.models import ExportRecord, ImportBatch
from exports.series import series_sync
from licensing.alerts.services import alerts_raise
from licensing.models import (
    Automaker,
    ControlMeasure,
    EntityListEntry,
    Licence,
    ScreeningMatch,
)
from licensing.screening import party_screen
from tests.conftest import user_with_role
from tests.dashboards.test_summaries import import_data_file
from tests.e2e.conftest import log_in
from tests.factories import ApprovalFactory, ImporterFactory, SupplyLinkFactory

# The live server runs in another thread, so the test data must be committed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Nodes of the site header left out of the audit while the header is being rewritten (issue
# 16, phones). The integrator removes this list once the new header is merged; the report
# names what each node violated and the fix.
HEADER_NODES_EXCLUDED_UNTIL_THE_NEW_HEADER: list[str] = []
# Markup we serve but do not write: Swagger UI (drf-spectacular-sidecar) draws the API docs,
# and its own contrast and nested controls are its maintainers' to fix. Our bar above it is
# audited.
THIRD_PARTY_NODES = {"/api/docs/": ["#swagger-ui"]}

AXE = Axe()


@pytest.fixture
def seeded(reference_data):
    """The shipped reference data, a year of customs figures, alerts, a claim with its evidence
    and a supply chain: every kind of page has something to show."""
    series_sync()
    import_data_file("gacc_rare_earths_monthly.csv")
    import_data_file("gacc_ndfeb_magnets_monthly.csv")
    monthly_summaries_rebuild()
    for username, role in (("ana", ANALYST), ("cora", COMPLIANCE), ("max", MANAGER)):
        user_with_role(username, role)
    licence = Licence.objects.get(exporter__name="JL Mag Rare-Earth Co. Ltd.")
    automaker = Automaker.objects.get(name="General Motors Co.")
    # An importer named as an entity-list entry: a possible match for Compliance to review.
    listed = EntityListEntry.objects.exclude(name_en="").exclude(country_code="").first()
    importer = ImporterFactory(name=listed.name_en, country=listed.country_code)
    party_screen(party=importer)
    supply = SupplyLinkFactory(supplier_importer=importer, customer_automaker=automaker)
    approval = ApprovalFactory(
        automaker=automaker,
        licence=licence,
        exporter=licence.exporter,
        claimed_on=date.today(),
        evidence_file=SimpleUploadedFile("letter.txt", b"Approved under the general licence."),
        evidence_file_name="letter.txt",
    )
    alerts_raise(on=date.today())
    measure = ControlMeasure.objects.filter(items__isnull=False).first()
    batch = ImportBatch.objects.first()
    ids = {
        "licence": licence.pk,
        "automaker": automaker.pk,
        "importer": importer.pk,
        "supply": supply.pk,
        "approval": approval.pk,
        "measure": measure.pk,
        "item": measure.items.first().pk,
        "batch": batch.pk,
        "record": ExportRecord.objects.filter(batch=batch).first().pk,
        "exporter": licence.exporter_id,
    }
    ids["screening"] = ScreeningMatch.objects.filter(importer=importer, entry=listed).get().pk
    return ids


READ_PAGES = [
    "/",
    "/charts/",
    "/charts/?series=gacc-ndfeb-magnets",
    "/automakers/",
    "/automakers/{automaker}/",
    "/automakers/{automaker}/timeline/",
    "/licences/",
    "/licences/{licence}/",
    "/control-measures/",
    "/control-measures/{measure}/",
    "/controls/lookup/",
    "/controls/lookup/?code=8505111000",
    "/exporters/",
    "/exporters/{exporter}/",
    "/elements/Dy/",
    "/codes/8505.11/",
    "/search/?q=Ningbo",
    "/alerts/",
    "/profile/",
    "/profile/password/",
    "/api/docs/",
]
ANALYST_PAGES = [
    *READ_PAGES,
    "/what-if/",
    "/importers/",
    "/importers/{importer}/",
    "/approvals/",
    "/approvals/{approval}/",
    "/controls/de-minimis/",
    "/entity-lists/",
    "/screening/",
    "/imports/",
    "/imports/{batch}/",
    "/imports/figures/{record}/",
]
COMPLIANCE_PAGES = [
    *ANALYST_PAGES,
    "/licences/new/",
    "/licences/{licence}/edit/",
    "/approvals/new/",
    "/approvals/{approval}/edit/",
    "/importers/new/",
    "/importers/{importer}/edit/",
    "/supply-links/new/",
    "/supply-links/{supply}/edit/",
    "/control-measures/new/",
    "/control-measures/{measure}/edit/",
    "/control-measures/{measure}/items/new/",
    "/control-items/{item}/edit/",
    "/screening/{screening}/review/",
    "/imports/new/",
    "/imports/{batch}/withdraw/",
]
MANAGER_PAGES = READ_PAGES
PHONE_PAGES = ["/", "/charts/", "/automakers/", "/licences/", "/alerts/"]


def violations(page, path: str = "") -> list[str]:
    """Each serious or critical violation on the page as it stands: rule, help and nodes."""
    excluded = HEADER_NODES_EXCLUDED_UNTIL_THE_NEW_HEADER + THIRD_PARTY_NODES.get(path, [])
    context = {"exclude": [[node] for node in excluded]} if excluded else None
    results = AXE.run(page, context=context)
    found = []
    for rule in results.response["violations"]:
        nodes = [node for node in rule["nodes"] if node.get("impact") in BLOCKING]
        if nodes:
            targets = "; ".join(
                f"{' '.join(map(str, node['target']))} {node['html'][:120]}" for node in nodes[:5]
            )
            more = f" (+{len(nodes) - 5} more)" if len(nodes) > 5 else ""
            found.append(f"{rule['id']} ({rule['impact']}): {rule['help']} -> {targets}{more}")
    return found


def audit(page, live_server, paths: list[str], ids: dict, expect_status: int = 200) -> list[str]:
    report = []
    for path in paths:
        url = path.format(**ids)
        response = page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        if response.status != expect_status:
            report.append(f"{url}: answered {response.status}, not {expect_status}")
            continue
        report += [f"{url}: {line}" for line in violations(page, path)]
    return report


def audit_role(page, live_server, username: str, paths: list[str], ids: dict) -> list[str]:
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, username)
    report = audit(page, live_server, paths, ids)
    report += audit(page, live_server, ["/no-such-page/"], ids, expect_status=404)
    page.set_viewport_size(PHONE)
    report += [f"390px {line}" for line in audit(page, live_server, PHONE_PAGES, ids)]
    return report


def fail_on(report: list[str]) -> None:
    assert not report, "Accessibility violations:\n" + "\n".join(report)


def test_an_analyst_meets_no_serious_accessibility_violation(page, live_server, seeded):
    fail_on(audit_role(page, live_server, "ana", ANALYST_PAGES, seeded))


def test_a_manager_meets_no_serious_accessibility_violation(page, live_server, seeded):
    fail_on(audit_role(page, live_server, "max", MANAGER_PAGES, seeded))


def test_compliance_meets_no_serious_accessibility_violation(page, live_server, seeded, tmp_path):
    report = audit_role(page, live_server, "cora", COMPLIANCE_PAGES, seeded)
    # The preview of an upload is the answer to a POST: reach it through the upload form.
    upload = tmp_path / "revised.csv"
    upload.write_text(
        "series,period,partner,tonnes,value,value_unit,source_url\n"
        "gacc-rare-earths,2025-11,,5493.9,,,https://example.org/gacc\n"
    )
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[name=file]", str(upload))
    page.click("button:has-text('Preview')")
    page.wait_for_url(re.compile(r"/imports/preview/$"))
    report += [f"/imports/preview/: {line}" for line in violations(page)]
    fail_on(report)


def test_a_visitor_meets_no_serious_accessibility_violation_logging_in(page, live_server, db):
    page.set_viewport_size(DESKTOP)
    report = audit(page, live_server, ["/login/"], {})
    page.set_viewport_size(PHONE)
    report += [f"390px {line}" for line in audit(page, live_server, ["/login/"], {})]
    fail_on(report)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {name: el.getAttribute("name"), cls: el.className, text: el.textContent.trim(),
                  inMainNav: Boolean(el.closest('nav[aria-label="Main"]')),
                  visible: el.getBoundingClientRect().top >= 0};
        }"""
    )


def tab_to(page, wanted, limit: int = 30) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = focused(page)
        if wanted(here):
            return here
    raise AssertionError(f"{limit} presses of Tab never reached it; last: {here}")


def test_the_keyboard_reaches_the_skip_link_first_then_the_nav_and_submits_forms(
    page, live_server, seeded
):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/login/")
    # The log-in form puts the cursor in its first field (Django's autofocus).
    assert focused(page)["name"] == "username"
    page.keyboard.type("ana")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "password"
    page.keyboard.type("pw-for-tests")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login/" not in page.url, "the log-in form is submitted with Enter"

    page.goto(f"{live_server.url}/automakers/")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert "skip-link" in skip["cls"] and skip["visible"], "the skip link comes first, on view"
    first_in_nav = tab_to(page, lambda here: here["inMainNav"], limit=5)
    assert first_in_nav["text"], "the main navigation is reached right after the brand"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    page.goto(f"{live_server.url}/controls/lookup/")
    tab_to(page, lambda here: here["name"] == "code")
    page.keyboard.type("8505111000")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "code=8505111000" in page.url
    assert "8505" in page.locator("main").inner_text()


def test_each_chart_is_one_image_named_by_its_title_and_its_text_alternative(
    page, live_server, seeded
):
    log_in(page, live_server, "ana")
    for path in ("/", "/charts/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector("[data-figure] svg.main-svg[role=img]", state="attached")
        charts = page.eval_on_selector_all(
            "[data-figure]",
            """els => els.map(el => ({
              images: Array.from(el.querySelectorAll("svg[role=img]"), svg => svg.ariaLabel),
              shown: el.querySelectorAll("svg.main-svg:not([aria-hidden=true])").length,
              alternative: el.dataset.chartAlternative,
            }))""",
        )
        assert charts, path
        for chart in charts:
            assert len(chart["images"]) == 1 and chart["shown"] == 1, f"{path}: {chart}"
            label = chart["images"][0]
            title = label.removesuffix(chart["alternative"]).rstrip(". ")
            assert title and label.endswith(chart["alternative"]), f"{path}: {label!r}"
