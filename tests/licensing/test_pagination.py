"""List pages show 50 rows a page, the automakers and the measures' timeline too."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.factories import AutomakerFactory, ControlMeasureFactory

pytestmark = pytest.mark.django_db


def test_the_automakers_list_is_paginated_with_its_counts_over_every_page(analyst_client):
    for number in range(51):
        AutomakerFactory(name=f"Automaker {number:02d}")

    first = analyst_client.get("/automakers/").content.decode()
    second = analyst_client.get("/automakers/", {"page": 2}).content.decode()

    assert first.count("data-automaker=") == 50
    assert re.findall(r'data-automaker="([^"]+)"', second) == ["Automaker 50"]
    assert "Page 1 of 2" in first
    assert 'All <span class="tabs__count">51</span>' in first


def test_a_status_tab_with_no_automaker_still_counts_every_status(analyst_client):
    for number in range(3):
        AutomakerFactory(name=f"Automaker {number}")

    page = analyst_client.get("/automakers/", {"status": "excluded"}).content.decode()

    assert 'data-automaker="' not in page
    assert 'All <span class="tabs__count">3</span>' in page
    assert 'No information <span class="tabs__count">3</span>' in page
    assert 'Excluded <span class="tabs__count">0</span>' in page


def test_the_automakers_list_has_a_last_page_and_none_beyond_it(analyst_client):
    for number in range(51):
        AutomakerFactory(name=f"Automaker {number:02d}")

    last = analyst_client.get("/automakers/", {"page": "last"}).content.decode()

    assert re.findall(r'data-automaker="([^"]+)"', last) == ["Automaker 50"]
    assert analyst_client.get("/automakers/", {"page": 3}).status_code == 404
    assert analyst_client.get("/automakers/", {"page": "two"}).status_code == 404


def test_the_automakers_api_pages_count_what_the_status_filter_lets_through(analyst_client):
    for number in range(3):
        AutomakerFactory(name=f"Automaker {number}")
    api = "/api/v1/automakers/"

    first = analyst_client.get(api).json()
    last = analyst_client.get(api, {"page": "last"}).json()
    none = analyst_client.get(api, {"status": "covered"}).json()

    assert first["count"] == 3
    assert [row["name"] for row in last["results"]] == ["Automaker 0", "Automaker 1", "Automaker 2"]
    assert (none["count"], none["results"]) == (0, [])
    assert analyst_client.get(api, {"page": 2}).status_code == 404


def test_the_measures_timeline_is_paginated(analyst_client):
    for number in range(51):
        ControlMeasureFactory(effective_from=date(2025, 4, 4) + timedelta(days=number))

    first = analyst_client.get("/control-measures/").content.decode()
    second = analyst_client.get("/control-measures/", {"page": 2}).content.decode()

    assert first.count('class="timeline__item') == 50
    assert second.count('class="timeline__item') == 1
    assert "Page 2 of 2" in second
