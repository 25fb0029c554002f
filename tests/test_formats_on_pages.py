"""Every page writes figures, units, periods and dates one way (core.formatting): no raw unit
code (CNY_100M), no "in 0 days", no ISO date or month in the text a reader sees.

The pages are those of tests/test_permissions.py (every page any role opens), rendered as
Compliance (who may open the most) with a seeded import, a licence ending today and a measure.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dashboards.services import monthly_summaries_rebuild
from tests.conftest import client_for
from tests.factories import ControlMeasureFactory, LicenceFactory
from tests.test_permissions import PAGES, ROLES, objects  # noqa: F401 (a fixture)

RAW_UNIT = re.compile(r"\b[A-Z]{3}_\d+[KM]?\b")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ISO_MONTH = re.compile(r"\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])\b")
# Every page Compliance opens, and the pages' variants that show other figures.
URLS = [
    cell.url
    for cell in PAGES
    if cell.method == "GET"
    and cell.expected[ROLES.index("compliance")] == 200
    and not any(download in cell.url for download in ("format=csv", "/file/", ".csv", "/evidence/"))
] + [
    "/?period=2025-11",
    "/brief/",
    "/brief/?period=2025-11",
    "/charts/?measure=value",
    "/charts/?measure=unit_value",
    "/controls/lookup/?code=8505111000",
    "/automakers/?on=2026-12-01",
    "/control-measures/?on=2026-12-01",
    "/automakers/{automaker}/timeline/",
    "/what-if/",
    "/importers/",
    "/importers/{importer}/",
    "/importers/new/",
    "/supply-links/new/",
    "/control-measures/new/",
    "/control-measures/{measure}/edit/",
    "/control-measures/{measure}/items/new/",
    "/controls/de-minimis/",
    "/entity-lists/",
    "/screening/",
]


def visible_text(page: str) -> str:
    """What a reader sees: no scripts, styles, comments or tags (attributes go with them)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def scripts(page: str) -> str:
    """The figures' JSON (their hovers and axes are read too)."""
    return " ".join(
        re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page, re.S)
    )


@pytest.fixture
def seeded(request):
    made = request.getfixturevalue("objects")
    today = timezone.localdate()
    made["ending"] = LicenceFactory(
        issued_on=today - timedelta(days=100),
        valid_from=today - timedelta(days=100),
        valid_until=today,
    ).pk
    ControlMeasureFactory(reference="Announcement No. 61 of 2025", effective_from=date(2025, 11, 8))
    monthly_summaries_rebuild()
    return made


@pytest.mark.parametrize("url", URLS)
def test_no_page_shows_a_raw_unit_code_an_iso_date_or_in_0_days(url, seeded, compliance):
    response = client_for(compliance).get(url.format(**seeded))

    assert response.status_code == 200, response.content[:300]
    page = response.content.decode()
    text = visible_text(page)
    assert not RAW_UNIT.search(text + scripts(page)), RAW_UNIT.findall(text + scripts(page))
    assert "in 0 days" not in text
    assert not ISO_DAY.search(text), ISO_DAY.findall(text)
    assert not ISO_MONTH.search(text), ISO_MONTH.findall(text)
