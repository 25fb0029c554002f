"""The dashboards' choices: a period on the overview; series, partners, measure and months on
the charts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import OuterRef, Subquery

from core.forms import QuickSelect
from core.periods import MONTH_FORMAT
from dashboards import charts, selectors
from dashboards.figures import measurable, partners
from dashboards.models import MonthlySummary
from exports.models import Series

NO_FIGURES = "no figures yet"
# A chart of more partners than this is a tangle of lines: the stacked chart shows them all.
PARTNERS_AT_MOST = 6


class MonthField(forms.DateField):
    """A month written YYYY-MM, cleaned to its first day."""

    widget = forms.DateInput(format=MONTH_FORMAT, attrs={"type": "month", "placeholder": "YYYY-MM"})
    input_formats = [MONTH_FORMAT]
    default_error_messages = {"invalid": "Enter a month as YYYY-MM, e.g. 2025-11."}


class QuickSelectMultiple(QuickSelect):
    """QuickSelect's fast options in a <select multiple>."""

    allow_multiple_selected = True
    value_from_datadict = forms.SelectMultiple.value_from_datadict
    value_omitted_from_data = forms.SelectMultiple.value_omitted_from_data

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, {**(attrs or {}), "multiple": True}, renderer)


def series_choices() -> list[tuple[str, str, str, bool]]:
    """(code, name, value unit, has figures) of every series, in one query."""
    # A row's id by the index on (series, period_end), per series: PostgreSQL turns an EXISTS
    # into a hash join over every summary (about 200 ms at a million), a LIMIT 1 it does not.
    first = MonthlySummary.objects.filter(series_id=OuterRef("pk")).order_by("period_end")
    rows = Series.objects.annotate(first=Subquery(first.values("pk")[:1])).order_by("code")
    return [
        (code, name, unit, first is not None)
        for code, name, unit, first in rows.values_list("code", "name", "value_unit", "first")
    ]


def partner_choices(series: str) -> list[tuple[str, str]]:
    """The partner menu of a series: all destinations, then the partners it has figures for
    (also what the page's script loads when another series is chosen)."""
    return [("", "All destinations")] + [
        (code, f"{name} ({code})") for code, name in partners(series)
    ]


class ChartsForm(forms.Form):
    """What the charts page draws: one series, one or more partners ("" = all destinations),
    in tonnes, value or value per tonne, over a range."""

    # Written in Python: a series to 200 partners has 200 options.
    series = forms.ChoiceField(label="Series", widget=QuickSelect)
    partner = forms.MultipleChoiceField(
        label="Partners",
        required=False,
        widget=QuickSelectMultiple(attrs={"size": 4, "data-partner-menu": ""}),
        help_text=f"Up to {PARTNERS_AT_MOST}; Ctrl or ⌘ to choose several.",
    )
    measure = forms.ChoiceField(label="Measure", required=False, widget=QuickSelect)
    start = MonthField(label="From", required=False)
    end = MonthField(label="To", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        series = series_choices()
        self.fields["series"].choices = [
            (code, name if held else f"{name} — {NO_FIGURES}") for code, name, _, held in series
        ]
        self.fields["series"].widget.attrs["data-series-menu"] = ""
        chosen = self.data.get("series") or selectors.HEADLINE_SERIES
        units = {code: unit for code, _, unit, _ in series}
        # Only a series that exists: its code is part of a cache key.
        named = partner_choices(chosen) if chosen in units else [("", "All destinations")]
        self.partners = [code for code, _ in named if code]
        self.fields["partner"].choices = named
        self.fields["measure"].choices = measurable(units.get(chosen, ""))

    def clean_partner(self) -> tuple[str, ...]:
        chosen = tuple(dict.fromkeys(self.cleaned_data["partner"])) or ("",)
        if len(chosen) > PARTNERS_AT_MOST:
            raise forms.ValidationError(f"Choose at most {PARTNERS_AT_MOST} partners.")
        return chosen

    def clean_measure(self) -> str:
        return self.cleaned_data["measure"] or charts.TONNES

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "“To” cannot be before “From”.")
        return cleaned


def charts_form(query) -> ChartsForm:
    """The form bound to the query (a QueryDict: several partners), the headline series when
    none is chosen."""
    data = {name: query.get(name, "") for name in ("series", "measure", "start", "end")}
    data["series"] = data["series"] or selectors.HEADLINE_SERIES
    data["partner"] = query.getlist("partner") if hasattr(query, "getlist") else []
    if not hasattr(query, "getlist") and query.get("partner"):
        data["partner"] = [query["partner"]]
    return ChartsForm(data)
