"""A control measure's state on a day, from what was known that day: the one rule that pages,
the API, alerts, charts and the 0.1 % calculator read.

A suspension's end is not the measure's return: when the day has passed and nobody has recorded
what happened (lapsed, extended, ended), the state is *awaiting confirmation*, never "in force".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.db import models

from core.formatting import day_in_words
from licensing.models import ControlMeasure

Outcome = ControlMeasure.Outcome


class State(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    IN_FORCE = "in_force", "In force"
    SUSPENDED = "suspended", "Suspended"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Suspension ended — awaiting confirmation"
    EXTENDED = "extended", "Suspension extended"
    ENDED = "ended", "Ended"


@dataclass(frozen=True)
class MeasureState:
    state: State
    # The first and last day of this state, where known (None: open or not known).
    since: date | None
    until: date | None
    # The outcome's source, for an extension or a confirmed end.
    source_url: str = ""

    @property
    def label(self) -> str:
        """'Suspended until 10 Nov 2026', 'Suspension ended on 10 Nov 2026 — awaiting
        confirmation', 'In force since 4 Apr 2025' …"""
        if self.state == State.ANNOUNCED:
            return f"Announced; takes effect on {day_in_words(self.until + timedelta(days=1))}"
        if self.state == State.IN_FORCE:
            until = f" until {day_in_words(self.until)}" if self.until else ""
            return f"In force since {day_in_words(self.since)}{until}"
        if self.state == State.SUSPENDED:
            return f"Suspended until {day_in_words(self.until)}" if self.until else "Suspended"
        if self.state == State.AWAITING_CONFIRMATION:
            ended = day_in_words(self.since - timedelta(days=1))
            return f"Suspension ended on {ended} — awaiting confirmation"
        if self.state == State.EXTENDED:
            return f"Suspension extended to {day_in_words(self.until)}"
        return f"Ended on {day_in_words(self.since - timedelta(days=1))}"

    @property
    def applies(self) -> bool | None:
        """Whether the measure's own rules apply that day; None when nobody knows."""
        if self.state == State.AWAITING_CONFIRMATION:
            return None
        return self.state == State.IN_FORCE


def _outcome(measure: ControlMeasure, on: date) -> ControlMeasure | None:
    """The measure that holds the outcome of this one's pause, if it was known on the day."""
    holder = measure.suspended_by if measure.suspended_by_id else measure
    if holder.outcome and holder.outcome_known_on <= on:
        return holder
    return None


def _after_pause(measure: ControlMeasure, on: date, ends: date) -> MeasureState | None:
    """The state after the pause that ended on `ends`; None when it lapsed as scheduled."""
    day_after = ends + timedelta(days=1)
    holder = _outcome(measure, on)
    if holder is None:
        return MeasureState(State.AWAITING_CONFIRMATION, day_after, None)
    if holder.outcome == Outcome.EXTENDED:
        if on <= holder.extended_until:
            return MeasureState(
                State.EXTENDED, day_after, holder.extended_until, holder.outcome_source_url
            )
        next_day = holder.extended_until + timedelta(days=1)
        return MeasureState(State.AWAITING_CONFIRMATION, next_day, None)
    if holder.outcome == Outcome.ENDED:
        return MeasureState(State.ENDED, day_after, None, holder.outcome_source_url)
    return None


def state_on(measure: ControlMeasure, on: date) -> MeasureState | None:
    """The measure's state on the day; None before it was announced."""
    if on < measure.announced_on:
        return None
    effective = measure.effective_from
    if measure.kind == ControlMeasure.Kind.SUSPENSION:
        # A suspension is itself in force from its effective day to its end.
        ends = measure.in_force_until
        if on < effective:
            return MeasureState(State.ANNOUNCED, measure.announced_on, effective - timedelta(1))
        if ends is None or on <= ends:
            return MeasureState(State.IN_FORCE, effective, ends)
        after = _after_pause(measure, on, ends)
        return after or MeasureState(State.ENDED, ends + timedelta(days=1), None)

    if measure.in_force_until is not None and on > measure.in_force_until:
        return MeasureState(State.ENDED, measure.in_force_until + timedelta(days=1), None)
    start, ends = measure.suspended_from, measure.suspended_until
    if start is not None and start <= on and (ends is None or on <= ends):
        return MeasureState(State.SUSPENDED, start, ends)
    since = effective
    if ends is not None and on > ends:
        after = _after_pause(measure, on, ends)
        if after is not None:
            return after
        since = max(effective, ends + timedelta(days=1))
    if on < effective:
        return MeasureState(State.ANNOUNCED, measure.announced_on, effective - timedelta(days=1))
    return MeasureState(State.IN_FORCE, since, measure.in_force_until)


class MeasureOn(NamedTuple):
    measure: ControlMeasure
    state: MeasureState


def states_on(measures, on: date) -> list[MeasureOn]:
    """Each announced measure with its state on the day (`measures` should select_related
    suspended_by)."""
    pairs = (MeasureOn(measure, state_on(measure, on)) for measure in measures)
    return [pair for pair in pairs if pair.state is not None]
