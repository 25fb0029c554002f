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


def test_the_measures_timeline_is_paginated(analyst_client):
    for number in range(51):
        ControlMeasureFactory(effective_from=date(2025, 4, 4) + timedelta(days=number))

    first = analyst_client.get("/control-measures/").content.decode()
    second = analyst_client.get("/control-measures/", {"page": 2}).content.decode()

    assert first.count('class="timeline__item') == 50
    assert second.count('class="timeline__item') == 1
    assert "Page 2 of 2" in second
