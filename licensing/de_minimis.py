"""The 0.1 % rule of MOFCOM Announcement No. 61 of 2025: a foreign-made item needs a MOFCOM
licence when its Chinese-origin controlled rare-earth content is worth 0.1 % or more of its value,
or when it was made with Chinese rare-earth technology, on a day the announcement applies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from licensing.models import ControlMeasure
from licensing.states import MeasureState, state_on

REFERENCE = "No. 61 of 2025"


@dataclass(frozen=True)
class DeMinimis:
    on: date
    share_percent: Decimal
    over_threshold: bool
    chinese_technology: bool
    measure: ControlMeasure | None
    state: MeasureState | None
    # True: a licence is needed; False: No. 61 asks none that day; None: nobody knows.
    needs_licence: bool | None

    @property
    def share(self) -> str:
        """The share as written: 0.25, 0.1, 12."""
        return f"{self.share_percent.normalize():f}"

    @property
    def caught(self) -> bool:
        """Whether the item falls under No. 61's terms, whatever its state."""
        return self.over_threshold or self.chinese_technology

    @property
    def verdict(self) -> str:
        reasons = []
        if self.over_threshold:
            reasons.append(f"Chinese-origin controlled rare earths are {self.share}% of its value")
        if self.chinese_technology:
            reasons.append("it was made with Chinese rare-earth technology")
        why = " and ".join(reasons)
        if not self.caught:
            return (
                f"No licence under {REFERENCE}: Chinese-origin controlled rare earths are "
                f"{self.share}% of its value, under 0.1%, and no Chinese rare-earth "
                "technology was used."
            )
        if self.measure is None or self.state is None:
            return f"{REFERENCE} was not announced by this day: it asks for no licence."
        if self.needs_licence is None:
            return (
                f"Unknown: {why}, so {REFERENCE} would require a MOFCOM licence, but its "
                f"suspension has ended and nobody has recorded whether it was extended "
                f"({self.state.label})."
            )
        if self.needs_licence:
            return f"A MOFCOM licence is needed: {why} ({REFERENCE}: {self.state.label})."
        return (
            f"No licence under {REFERENCE} on this day, although {why}: {self.state.label.lower()}."
        )


def _measure() -> ControlMeasure | None:
    return (
        ControlMeasure.objects.select_related("suspended_by")
        .filter(reference__contains=REFERENCE)
        .first()
    )


def de_minimis_check(
    *, item_value: Decimal, content_value: Decimal, chinese_technology: bool, on: date
) -> DeMinimis:
    """Whether No. 61 asks a MOFCOM licence for the item on the day, with the measure's state
    that day (values in one currency; the content no more than the item)."""
    if item_value <= 0:
        raise ValueError("The item's value must be more than zero.")
    if content_value < 0 or content_value > item_value:
        raise ValueError("The rare-earth content is worth between zero and the item's value.")
    share = (content_value / item_value * 100).quantize(Decimal("0.001"), ROUND_HALF_UP)
    # Compared exactly, not rounded: 0.1 % is a thousandth.
    over = content_value * 1000 >= item_value
    measure = _measure()
    state = state_on(measure, on) if measure else None
    caught = over or chinese_technology
    needs = state.applies if caught and state is not None else False
    return DeMinimis(on, share, over, chinese_technology, measure, state, needs)
