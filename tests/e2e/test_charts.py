"""The charts read in a browser: numbered event badges that never overlap, even on a phone,
a legend under the chart, no console error, no page wider than the window."""

from __future__ import annotations

import pytest

from core.roles import ANALYST
from dashboards.services import monthly_summaries_rebuild
from exports.series import series_sync
from tests.conftest import user_with_role
from tests.dashboards.test_summaries import import_data_file
from tests.e2e.conftest import log_in

# The live server runs in another thread, so the test data must be committed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# The badges' boxes as drawn: plotly writes each annotation as g.annotation, its box a rect.
BADGES = """
(id) => Array.from(document.querySelectorAll(`[data-figure="${id}"] g.annotation`))
  .filter((g) => /^\\d+$/.test(g.textContent.trim()))
  .map((g) => {
    const box = g.querySelector("rect.bg").getBoundingClientRect();
    return {text: g.textContent.trim(), left: box.left, right: box.right,
            top: box.top, bottom: box.bottom};
  })
"""


@pytest.fixture
def figures(reference_data):
    # A transactional test's flush empties the series the migrations made; make them again.
    series_sync()
    import_data_file("gacc_rare_earths_monthly.csv")
    import_data_file("gacc_ndfeb_magnets_monthly.csv")
    monthly_summaries_rebuild()
    user_with_role("ana", ANALYST)


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440px", "390px"])
@pytest.mark.parametrize(
    "path", ["/", "/?period=2025-06", "/charts/", "/charts/?series=gacc-ndfeb-magnets"]
)
def test_the_event_badges_never_overlap_and_the_legend_names_them(
    page, live_server, figures, viewport, path
):
    messages: list[str] = []
    page.on(
        "console",
        lambda message: message.type == "error" and messages.append(message.text),
    )
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    page.set_viewport_size(viewport)
    log_in(page, live_server, "ana")

    page.goto(f"{live_server.url}{path}")
    page.wait_for_selector('[data-figure="figure-monthly"] svg.main-svg', state="attached")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-figure=\"figure-monthly\"] g.annotation').length"
    )

    badges = page.evaluate(BADGES, "figure-monthly")
    legend = page.locator('[data-chart-legend="figure-monthly"] .chart-events__item')
    assert badges, "the reference measures mark the chart"
    assert [badge["text"] for badge in badges] == [str(n) for n in range(1, len(badges) + 1)]
    assert legend.count() == len(badges)
    assert overlapping(badges) == []
    plot = page.locator('[data-figure="figure-monthly"]').bounding_box()
    for badge in badges:  # none cut off at the plot's edges
        assert plot["x"] - 1 <= badge["left"] and badge["right"] <= plot["x"] + plot["width"] + 1
        assert plot["y"] - 1 <= badge["top"]
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    assert messages == []


def test_a_badge_shows_its_hover_card(page, live_server, figures):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector('[data-figure="figure-monthly"] g.annotation', state="attached")

    badge = page.locator('[data-figure="figure-monthly"] g.annotation').first
    badge.hover(force=True)

    card = page.locator('[data-figure="figure-monthly"] .hoverlayer')
    page.wait_for_function(
        "() => document.querySelector('[data-figure=\"figure-monthly\"] .hoverlayer')"
        ".textContent.trim().startsWith('1. ')"
    )
    first = page.locator('[data-chart-legend="figure-monthly"] [data-event="1"]').inner_text()
    # The same event in the card (what, when) as in the legend's first line.
    day = first.split("·")[0].strip()
    assert " ".join(day.split()[-3:]) in card.text_content()


def test_choosing_another_series_loads_its_partners(page, live_server, figures):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/charts/")
    assert page.locator("[data-partner-menu] option").count() == 1

    page.select_option("[data-series-menu]", "gacc-ndfeb-magnets")

    page.wait_for_function(
        "() => document.querySelector('[data-partner-menu]').dataset.series"
        " === 'gacc-ndfeb-magnets'"
    )
    values = page.eval_on_selector_all(
        "[data-partner-menu] option", "options => options.map((o) => o.value)"
    )
    assert values == ["", "DEU", "JPN", "KOR", "USA", "VNM"]
