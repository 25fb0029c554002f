"""The events the charts mark say what happened, as known on the day the chart is drawn."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.selectors import policy_events
from licensing.models import ControlMeasure
from licensing.register import control_measure_update
from licensing.states import State, state_on

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def labels(**kwargs) -> dict[date, list[str]]:
    found: dict[date, list[str]] = {}
    for row in policy_events(**kwargs).itertuples():
        found.setdefault(row.date, []).append(row.label)
    return found


def numbers_in(label: str) -> list[str]:
    head = label.split(" ", 2)
    if head[0] not in ("No.", "Nos."):
        return []
    return [part.strip(",") for part in label.split(" in force")[0].split()[1:]]


def test_no_event_says_in_force_on_a_day_its_measure_was_suspended_or_not_yet_effective(
    reference_data,
):
    measures = {m.short_name.removeprefix("No. "): m for m in ControlMeasure.objects.all()}

    events = labels(today=TODAY)

    checked = 0
    for day, texts in events.items():
        for text in texts:
            if " in force" not in text:
                continue
            for number in numbers_in(text):
                state = state_on(measures[number], day)
                assert state.state == State.IN_FORCE, (day, text, state)
                checked += 1
    assert checked >= 3


def test_the_measures_suspended_before_they_took_effect_are_announced_not_in_force(
    reference_data,
):
    events = labels(today=TODAY)

    assert sorted(events[date(2025, 10, 9)]) == [
        "No. 62 in force",
        "Nos. 56, 57, 61 announced (suspended before it took effect)",
    ]
    assert "No. 62 suspended" in events[date(2025, 11, 7)]
    assert not any("57" in text or "61" in text for text in events.get(date(2025, 11, 8), []))
    assert not any("61" in text for text in events.get(date(2025, 12, 1), []))


def test_the_end_of_the_suspension_awaits_confirmation_until_it_is_recorded(reference_data):
    ended = date(2026, 11, 11)

    assert labels(today=TODAY)[ended] == [
        "Nos. 56, 57, 61, 62 suspension ended — awaiting confirmation"
    ]
    assert labels(today=date(2026, 11, 1))[ended] == ["Nos. 56, 57, 61, 62 suspension ends"]

    no70 = ControlMeasure.objects.get(reference="MOFCOM/GACC Announcement No. 70 of 2025")
    control_measure_update(
        measure=no70,
        data={
            "outcome": "extended",
            "extended_until": date(2027, 11, 10),
            "outcome_known_on": date(2026, 11, 9),
            "outcome_source_url": "https://example.org/no-70-extended",
        },
        change_source_url="https://example.org/no-70-extended",
    )
    assert labels(today=TODAY)[ended] == ["Nos. 56, 57, 61, 62 suspension extended"]
