"""A measure's state on a day, from what was known that day."""

from __future__ import annotations

from datetime import date

import pytest

from licensing.models import ControlMeasure
from licensing.states import State, state_on
from tests.factories import ControlMeasureFactory

pytestmark = pytest.mark.django_db

SOURCE = "https://example.org/mofcom"


@pytest.fixture
def no70():
    return ControlMeasureFactory(
        reference="MOFCOM/GACC Announcement No. 70 of 2025",
        kind=ControlMeasure.Kind.SUSPENSION,
        announced_on=date(2025, 11, 7),
        effective_from=date(2025, 11, 7),
        in_force_until=date(2026, 11, 10),
    )


@pytest.fixture
def no57(no70):
    return ControlMeasureFactory(
        reference="MOFCOM Announcement No. 57 of 2025",
        kind=ControlMeasure.Kind.CONTROL_EXPANDED,
        announced_on=date(2025, 10, 9),
        effective_from=date(2025, 11, 8),
        suspended_from=date(2025, 11, 7),
        suspended_until=date(2026, 11, 10),
        suspended_by=no70,
    )


def record(measure, **outcome) -> None:
    for name, value in outcome.items():
        setattr(measure, name, value)
    measure.full_clean()
    measure.save()


def test_a_measure_has_no_state_before_it_is_announced(no57):
    assert state_on(no57, date(2025, 10, 8)) is None


def test_between_announcement_and_suspension_it_is_announced(no57):
    state = state_on(no57, date(2025, 10, 20))

    assert state.state == State.ANNOUNCED
    assert state.label == "Announced; takes effect on 8 November 2025"
    assert state.applies is False


def test_a_measure_suspended_before_its_effective_day_is_suspended_not_in_force(no57):
    for day in (date(2025, 11, 7), date(2025, 11, 8), date(2026, 11, 10)):
        state = state_on(no57, day)
        assert state.state == State.SUSPENDED
        assert state.until == date(2026, 11, 10)
    assert state_on(no57, date(2026, 1, 1)).label == "Suspended until 10 November 2026"


def test_after_the_suspension_ends_unrecorded_it_awaits_confirmation(no57, no70):
    state = state_on(no57, date(2026, 12, 1))

    assert state.state == State.AWAITING_CONFIRMATION
    assert state.since == date(2026, 11, 11)
    assert state.label == "Suspension ended on 10 November 2026 — awaiting confirmation"
    assert state.applies is None
    assert state_on(no70, date(2026, 12, 1)).state == State.AWAITING_CONFIRMATION
    assert state_on(no70, date(2026, 11, 10)).state == State.IN_FORCE


def test_a_confirmed_lapse_counts_from_the_day_it_was_known(no57, no70):
    record(no70, outcome="lapsed", outcome_known_on=date(2026, 11, 20), outcome_source_url=SOURCE)

    assert state_on(no57, date(2026, 11, 15)).state == State.AWAITING_CONFIRMATION
    state = state_on(no57, date(2026, 12, 1))
    assert state.state == State.IN_FORCE
    assert state.since == date(2026, 11, 11)
    assert state.applies is True
    assert state_on(no70, date(2026, 12, 1)).state == State.ENDED


def test_an_extension_recorded_on_the_suspension_extends_the_measures_it_suspends(no57, no70):
    record(
        no70,
        outcome="extended",
        extended_until=date(2027, 11, 10),
        outcome_known_on=date(2026, 11, 5),
        outcome_source_url=SOURCE,
    )

    assert state_on(no57, date(2026, 11, 8)).state == State.SUSPENDED
    state = state_on(no57, date(2026, 12, 1))
    assert (state.state, state.until, state.source_url) == (
        State.EXTENDED,
        date(2027, 11, 10),
        SOURCE,
    )
    assert state.label == "Suspension extended to 10 November 2027"
    assert state_on(no70, date(2026, 12, 1)).state == State.EXTENDED
    # Past the extension nobody has said what happened either.
    assert state_on(no57, date(2027, 11, 11)).state == State.AWAITING_CONFIRMATION


def test_a_measure_ended_at_the_suspension_end_stays_ended(no57, no70):
    record(no70, outcome="ended", outcome_known_on=date(2026, 11, 11), outcome_source_url=SOURCE)

    assert state_on(no57, date(2026, 12, 1)).state == State.ENDED


def test_a_measure_in_force_from_its_effective_day_until_its_end():
    measure = ControlMeasureFactory(
        announced_on=date(2025, 4, 4),
        effective_from=date(2025, 4, 4),
        in_force_until=date(2026, 4, 3),
    )

    assert state_on(measure, date(2025, 4, 4)).state == State.IN_FORCE
    label = state_on(measure, date(2026, 4, 3)).label
    assert label == "In force since 4 April 2025 until 3 April 2026"
    assert state_on(measure, date(2026, 4, 4)).state == State.ENDED


def test_an_outcome_needs_its_day_and_source(no70):
    from django.core.exceptions import ValidationError

    no70.outcome = "lapsed"
    with pytest.raises(ValidationError, match="day it was known"):
        no70.full_clean()
    no70.outcome, no70.extended_until = "", date(2027, 1, 1)
    with pytest.raises(ValidationError, match="only an extension"):
        no70.full_clean()
