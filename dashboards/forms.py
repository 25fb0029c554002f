"""The dashboards' choices: a period on the overview; series, partner and months on the charts."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import QuickSelect
from core.periods import MONTH_FORMAT
from dashboards import selectors
from dashboards.figures import partners
from exports.models import Series


class MonthField(forms.DateField):
    """A month written YYYY-MM, cleaned to its first day."""

    widget = forms.DateInput(format=MONTH_FORMAT, attrs={"type": "month", "placeholder": "YYYY-MM"})
    input_formats = [MONTH_FORMAT]
    default_error_messages = {"invalid": "Enter a month as YYYY-MM, e.g. 2025-11."}


class ChartsForm(forms.Form):
    """What the charts page draws: one series, one partner ("" = all destinations), a range."""

    # Written in Python: a series to 200 partners has 200 options.
    series = forms.ChoiceField(label="Series", widget=QuickSelect)
    partner = forms.ChoiceField(label="Partner", required=False, widget=QuickSelect)
    start = MonthField(label="From", required=False)
    end = MonthField(label="To", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        series = list(Series.objects.values_list("code", "name"))
        self.fields["series"].choices = [(code, name) for code, name in series]
        chosen = self.data.get("series") or selectors.HEADLINE_SERIES
        # Only a series that exists: its code is part of a cache key.
        named = partners(chosen) if chosen in dict(series) else []
        self.partners = [code for code, _ in named]
        self.fields["partner"].choices = [("", "All destinations")] + [
            (code, f"{name} ({code})") for code, name in named
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "“To” cannot be before “From”.")
        return cleaned


def charts_form(query: dict) -> ChartsForm:
    """The form bound to the query, the headline series when none is chosen."""
    data = {name: query.get(name, "") for name in ("series", "partner", "start", "end")}
    data["series"] = data["series"] or selectors.HEADLINE_SERIES
    return ChartsForm(data)
