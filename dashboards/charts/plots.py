"""The dashboards' charts: monthly bars, several partners as lines, the year to date, the
destinations stacked and on a map."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from core.formatting import NA, money_in_words
from core.periods import add_months, months_spanned, period_name, year_to_date_name
from dashboards.charts.base import (
    ACCENT,
    MUTED,
    PRIMARY,
    SPAN,
    Figure,
    _dates,
    _figure,
    _float,
    _floats,
    _middle,
    _numbers,
    _percent,
    _tidy,
    _tonnes,
    _true,
)
from dashboards.charts.marks import add_bands, add_events, add_stamp, add_unpublished
from exports.units import UNITS, converted, unit_words

OTHER = "Other partners"
OTHER_COLOUR = "#c3cad4"
NOT_REPORTED = "Not reported by destination"
NOT_REPORTED_COLOUR = "#e6e9ee"
# A month bar takes this share of an average month; a January–February bar twice as much.
MONTH_MS = 365.25 / 12 * 24 * 3600 * 1000
BAR_WIDTH_MS = 0.8 * MONTH_MS
# What a chart can plot of a series: tonnes, its value in the series' one unit, or the value
# per tonne in the unit's currency.
TONNES, VALUE, UNIT_VALUE = "tonnes", "value", "unit_value"
MEASURES = {TONNES: "Tonnes", VALUE: "Value", UNIT_VALUE: "Value per tonne"}


@dataclass(frozen=True)
class Measured:
    """The figures a chart plots of each period, the axis title and how a hover writes one."""

    values: list[float]
    axis: str
    write: Callable[[float], str]


def measured(summary: pd.DataFrame, measure: str = TONNES, unit: str = "") -> Measured:
    """Tonnes; the value of each period in the series' one `unit` (exports.units), whatever
    unit each was stored in; or the value per tonne in the unit's currency (n/a at 0 t)."""
    tonnes = _floats(summary["tonnes"])
    if measure == TONNES:
        return Measured(tonnes, "tonnes", _tonnes)
    if measure not in MEASURES or unit not in UNITS:
        raise ValueError(f"cannot plot {measure!r} in {unit!r}")
    currency = UNITS[unit].currency
    values = [
        _float(converted(value, stored, unit))
        for value, stored in zip(summary["value"], summary["value_unit"], strict=True)
    ]
    if measure == VALUE:
        words = unit_words(unit)
        return Measured(values, words, lambda value: money_in_words(value, words))
    # Per tonne in the currency itself (CNY, USD): the unit's scale applied.
    scale = UNITS[unit].factor
    per_tonne = [
        value * scale / weight if weight and not math.isnan(weight) else math.nan
        for value, weight in zip(values, tonnes, strict=True)
    ]
    return Measured(
        per_tonne,
        f"{currency} per tonne",
        lambda value: f"{money_in_words(value, currency, digits=0)} per tonne",
    )


def monthly_bars(
    summary: pd.DataFrame,
    *,
    title: str,
    events: pd.DataFrame | None = None,
    bands: pd.DataFrame | None = None,
    unpublished: tuple[tuple[date, date, bool], ...] = (),
    measure: str = TONNES,
    unit: str = "",
    stamp: str = "",
) -> Figure:
    """One measure per period as bars, a January–February span as one wide labelled bar; the
    months ended but not yet published (start, end, overdue) as shaded bands, never as zeros;
    policy events as numbered badges (see add_events), suspensions as bands."""
    starts = _dates(summary["period_start"])
    ends = _dates(summary["period_end"])
    spans = [start != end for start, end in zip(starts, ends, strict=True)]
    shown = measured(summary, measure, unit)
    hover = [
        "<br>".join(
            [
                f"<b>{label}</b>",
                shown.write(value) if not math.isnan(value) else NA,
                f"MoM {_percent(mom)}",
                f"YoY {_percent(yoy)}",
            ]
        )
        for label, value, mom, yoy in zip(
            summary["label"],
            shown.values,
            _floats(summary["mom_pct"]),
            _floats(summary["yoy_pct"]),
            strict=True,
        )
    ]
    bars = {
        "type": "bar",
        "name": shown.axis,
        "x": [_middle(start, end) for start, end in zip(starts, ends, strict=True)],
        "y": _numbers(shown.values),
        "width": [
            BAR_WIDTH_MS * months_spanned(start, end)
            for start, end in zip(starts, ends, strict=True)
        ],
        "marker": {
            "color": [SPAN if span else PRIMARY for span in spans],
            "pattern": {
                "shape": ["/" if span else "" for span in spans],
                "fillmode": "replace",
                "fgcolor": "white",
                "fgopacity": 0.4,
            },
        },
        "text": [
            period_name(s, e, short=True) if span else ""
            for s, e, span in zip(starts, ends, spans, strict=True)
        ],
        # Above the bar at full size: inside, plotly would shrink it to the bar's width.
        "textposition": "outside",
        "constraintext": "inside",
        "textangle": 0,
        "outsidetextfont": {"color": PRIMARY, "size": 12},
        "cliponaxis": False,
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "showlegend": False,
    }
    xaxis: dict = {"type": "date", "tickformat": "%b %Y"}
    if starts:
        # The data's months, so that events do not stretch the axis past them.
        last = max([*ends, *(end for _, end, _ in unpublished)])
        xaxis["range"] = [min(starts), add_months(last, 1)]
    yaxis = {"title": {"text": shown.axis}, "tickformat": ","}
    figure = _figure(title=title, data=[bars], xaxis=xaxis, yaxis=yaxis)
    _marked(figure, events, bands, unpublished, stamp)
    return figure


def partner_lines(
    summaries: dict[str, pd.DataFrame],
    *,
    title: str,
    events: pd.DataFrame | None = None,
    bands: pd.DataFrame | None = None,
    unpublished: tuple[tuple[date, date, bool], ...] = (),
    measure: str = TONNES,
    unit: str = "",
    stamp: str = "",
) -> Figure:
    """Several partners on one chart: a line per partner (named by the dict's keys, in its
    order), a point per period at its middle, with the same marks as monthly_bars."""
    lines, starts, ends = [], [], []
    for name, summary in summaries.items():
        first, last = _dates(summary["period_start"]), _dates(summary["period_end"])
        starts += first
        ends += last
        shown = measured(summary, measure, unit)
        lines.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [_middle(start, end) for start, end in zip(first, last, strict=True)],
                "y": _numbers(shown.values),
                "marker": {"size": 6},
                "line": {"width": 2},
                "hovertext": [
                    f"<b>{name}</b>, {label}<br>{NA if math.isnan(value) else shown.write(value)}"
                    for label, value in zip(summary["label"], shown.values, strict=True)
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    axis = measured(next(iter(summaries.values())), measure, unit).axis if summaries else "tonnes"
    xaxis: dict = {"type": "date", "tickformat": "%b %Y"}
    if starts:
        last_day = max([*ends, *(end for _, end, _ in unpublished)])
        xaxis["range"] = [min(starts), add_months(last_day, 1)]
    figure = _figure(
        title=title,
        data=lines,
        xaxis=xaxis,
        yaxis={"title": {"text": axis}, "tickformat": ","},
        hovermode="x unified",
    )
    _marked(figure, events, bands, unpublished, stamp)
    return figure


def _marked(
    figure: Figure,
    events: pd.DataFrame | None,
    bands: pd.DataFrame | None,
    unpublished: tuple[tuple[date, date, bool], ...],
    stamp: str,
) -> None:
    if bands is not None:
        add_bands(figure, bands)
    if events is not None:
        add_events(figure, events)
    add_unpublished(figure, unpublished)
    if stamp:
        add_stamp(figure, stamp)


def year_to_date_lines(summary: pd.DataFrame, *, year: int, stamp: str = "") -> Figure:
    """Cumulative tonnes of `year` against `year - 1`, month by month, complete points only."""
    rows = list(
        zip(
            _dates(summary["period_end"]),
            _floats(summary["ytd_tonnes"]),
            [_true(value) for value in summary["ytd_complete"]],
            _floats(summary["ytd_yoy_pct"]),
            strict=True,
        )
    )
    lines = []
    for shown, colour, dash in ((year, PRIMARY, "solid"), (year - 1, ACCENT, "dash")):
        points = [row for row in rows if row[0].year == shown and row[2]]
        hover = []
        for end, ytd, _, ytd_yoy in points:
            name = year_to_date_name(date(shown, end.month, 1), short=True)
            text = [f"<b>{name}</b>", _tonnes(ytd)]
            if not math.isnan(ytd_yoy):
                text.append(f"YoY {_percent(ytd_yoy)}")
            hover.append("<br>".join(text))
        lines.append(
            {
                "type": "scatter",
                "name": str(shown),
                "x": [end.month for end, *_ in points],
                "y": _numbers(ytd for _, ytd, *_ in points),
                "mode": "lines+markers",
                "line": {"color": colour, "dash": dash, "width": 2.5},
                "marker": {"size": 6},
                "hovertext": hover,
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    figure = _figure(
        title=f"Year to date, {year} against {year - 1}",
        data=lines,
        xaxis={
            "tickmode": "array",
            "tickvals": list(range(1, 13)),
            "ticktext": [date(2000, month, 1).strftime("%b") for month in range(1, 13)],
            "range": [0.5, 12.5],
        },
        yaxis={"title": {"text": "tonnes, cumulative"}, "tickformat": ","},
    )
    return add_stamp(figure, stamp) if stamp else figure


def destination_bars(destinations: pd.DataFrame, *, stamp: str = "") -> Figure:
    """Stacked monthly tonnes by partner, largest total first; a missing partner (the partners
    summed together by dashboards.selectors.destination_stack) as "Other partners"; and, where
    the frame has the total to all destinations (partner ""), what no partner accounts for as
    "Not reported by destination" (never below 0), so that each stack adds up to the total."""
    figure = _figure(
        title="By destination",
        yaxis={"title": {"text": "tonnes"}, "tickformat": ","},
        barmode="stack",
        hovermode="x unified",
        legend={"traceorder": "normal"},
    )
    if destinations.empty:
        return figure
    by_partner: dict[str | None, list[tuple[date, float]]] = {}
    for start, partner, tonnes in zip(
        _dates(destinations["period_start"]),
        destinations["partner"],
        _floats(destinations["tonnes"]),
        strict=True,
    ):
        if not math.isnan(tonnes):
            by_partner.setdefault(None if pd.isna(partner) else partner, []).append((start, tonnes))
    totals = by_partner.pop("", [])
    sums = {partner: sum(t for _, t in rows) for partner, rows in by_partner.items() if partner}
    # Ties broken by partner code, so that the same data always stacks the same way.
    order = sorted(sums, key=lambda partner: (-sums[partner], partner))
    columns = [(partner, by_partner[partner], None) for partner in order]
    if None in by_partner:
        columns.append((OTHER, by_partner[None], OTHER_COLOUR))
    remainder = _not_reported(totals, by_partner)
    if any(tonnes > 0 for _, tonnes in remainder):
        columns.append((NOT_REPORTED, remainder, NOT_REPORTED_COLOUR))
    for name, rows, colour in columns:
        rows.sort()
        trace = {
            "type": "bar",
            "name": name,
            "x": [start for start, _ in rows],
            "y": [tonnes for _, tonnes in rows],
            "hovertext": [f"{name}: {_tonnes(tonnes)}" for _, tonnes in rows],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
        if colour:
            trace["marker"] = {"color": colour}
            if name == NOT_REPORTED:
                trace["marker"]["pattern"] = {"shape": ".", "fgcolor": MUTED, "fgopacity": 0.5}
        figure["data"].append(trace)
    figure["layout"]["xaxis"] = {"type": "date", "tickformat": "%b %Y"}
    if stamp:
        add_stamp(figure, stamp)
    return figure


def _not_reported(
    totals: list[tuple[date, float]], by_partner: dict[str | None, list[tuple[date, float]]]
) -> list[tuple[date, float]]:
    """Per period, the total to all destinations less every partner's tonnes, at least 0."""
    summed: dict[date, float] = {}
    for rows in by_partner.values():
        for start, tonnes in rows:
            summed[start] = summed.get(start, 0.0) + tonnes
    return [(start, max(0.0, round(total - summed.get(start, 0.0), 3))) for start, total in totals]


def destination_map(destinations: pd.DataFrame, *, stamp: str = "") -> Figure:
    """Tonnes by partner in the latest period of the frame, on a world map."""
    frame = _tidy(destinations)
    latest = frame[frame["period_start"] == frame["period_start"].max()] if len(frame) else frame
    by_partner = latest.groupby("partner", as_index=False)["tonnes"].sum()
    if len(latest):
        start = latest["period_start"].iloc[0]
        end = max(latest["period_end"]) if "period_end" in latest else start
        title = f"By destination, {period_name(start, end)}"
    else:
        title = "By destination: no data"
    world = {
        "type": "choropleth",
        "locationmode": "ISO-3",
        "locations": by_partner["partner"].tolist(),
        "z": by_partner["tonnes"].tolist(),
        "colorscale": [[0, "#e8eef5"], [1, PRIMARY]],
        "marker": {"line": {"color": "white", "width": 0.5}},
        "colorbar": {"title": {"text": "tonnes"}, "tickformat": ","},
        "hovertext": [
            f"<b>{partner}</b><br>{_tonnes(tonnes)}"
            for partner, tonnes in zip(by_partner["partner"], by_partner["tonnes"], strict=True)
        ],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    figure = _figure(
        title=title,
        data=[world],
        geo={
            "showframe": False,
            "showcoastlines": False,
            "showcountries": True,
            "countrycolor": "white",
            "showland": True,
            "landcolor": "#f3f5f8",
            "projection": {"type": "natural earth"},
            # plotly.js 4 crops to the locations by default; managers need the whole world.
            "fitbounds": False,
        },
        margin={"l": 0, "r": 0, "t": 48, "b": 0},
    )
    return add_stamp(figure, stamp) if stamp else figure
