"""A code's answer for the lookup page and API: licensing's controls and the export series that
measure it (dashboards may read both apps; licensing does not read exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exports.models import Series
from exports.selectors import series_measuring
from licensing.controls import Lookup, code_lookup


@dataclass
class CodeAnswer:
    lookup: Lookup
    series: list[Series]


def code_answer(*, code: str, on: date) -> CodeAnswer:
    """What applies to the code on the day; raises licensing.controls.NotACode."""
    lookup = code_lookup(code=code, on=on)
    return CodeAnswer(lookup, series_measuring(lookup.hs_codes))
