"""Plotly figures for the dashboards: a pandas DataFrame in, a plotly figure out; no ORM.

A figure is the dict plotly.js draws ({"data": [...], "layout": {...}}), dates as dates and no
NaN, ready for figure_json. Not plotly.graph_objects: validating and copying every value through
them took 20-40 ms a figure, most of the charts page. tests/dashboards/test_charts.py checks that
each builder's figure is one plotly.graph_objects.Figure accepts.

The frames are built by dashboards/selectors.py; the builders only draw what they are given.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
from django.core.serializers.json import DjangoJSONEncoder

from core.formatting import NA, percent
from core.periods import add_months, months_spanned, period_name, year_to_date_name
from exports.units import UNITS, converted, unit_words

PRIMARY = "#16304f"
SPAN = "#5a7ea6"
WARNING = "#b42318"
MUTED = "#8a97a8"
GRID = "#e3e7ee"

# Okabe and Ito's eight colours, told apart with any colour vision (https://jfly.uni-koeln.de/color/):
# blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, black.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
ACCENT = OKABE_ITO[1]

# Our own template, so that a figure's JSON does not embed plotly's default one (about 7 KB).
LAYOUT = {
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
    "title": {"font": {"size": 16, "color": PRIMARY}, "x": 0, "xanchor": "left"},
    "colorway": OKABE_ITO,
    "margin": {"l": 64, "r": 24, "t": 56, "b": 48},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "xaxis": {"gridcolor": GRID, "linecolor": MUTED, "ticks": "outside", "tickcolor": MUTED},
    "yaxis": {"gridcolor": GRID, "zerolinecolor": MUTED, "rangemode": "tozero"},
    "legend": {"orientation": "h", "x": 0, "y": -0.15, "xanchor": "left", "yanchor": "top"},
    "hoverlabel": {"font": {"family": "system-ui, sans-serif"}},
    "hovermode": "closest",
}
TEMPLATE = {"layout": LAYOUT}

Figure = dict

OTHER = "Other partners"
OTHER_COLOUR = "#c3cad4"
NOT_REPORTED = "Not reported by destination"
NOT_REPORTED_COLOUR = "#e6e9ee"
# A month bar takes this share of an average month; a January–February bar twice as much.
MONTH_MS = 365.25 / 12 * 24 * 3600 * 1000
BAR_WIDTH_MS = 0.8 * MONTH_MS

# Each kind its own Okabe–Ito colour, and the text colour its badge is readable in.
EVENT_COLOURS = {
    "measure": OKABE_ITO[0],
    "general_licences": OKABE_ITO[2],
    "suspension_start": OKABE_ITO[3],
    "suspension_end": OKABE_ITO[3],
    "licence_expiry": OKABE_ITO[5],
}
EVENT_TEXT = {"measure": "white"}
EVENT_KINDS = {
    "measure": "control measure",
    "general_licences": "general licences",
    "suspension_start": "suspension",
    "suspension_end": "suspension",
    "licence_expiry": "licence expiry",
}
BAND_COLOUR = OKABE_ITO[3]
# Numbered badges along the top edge of the plot: badges closer than this share of the axis
# go one row up, so that none overlaps another even on a phone (a badge is about 22 px wide,
# a phone's plot about 240 px).
MARKER_SPACING = 0.11
MARKER_ROW_PX = 22
MARKER_BASE_PX = 4

# What a chart can plot of a series: tonnes, its value in the series' one unit, or the value
# per tonne in the unit's currency.
TONNES, VALUE, UNIT_VALUE = "tonnes", "value", "unit_value"
MEASURES = {TONNES: "Tonnes", VALUE: "Value", UNIT_VALUE: "Value per tonne"}
BRAND = "RareGate"


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


def money_in_words(value: float, words: str, *, digits: int = 1) -> str:
    """349.7 in "CNY million" → "CNY 349.7 million"; 1234 in "USD" → "USD 1,234.0"."""
    currency, _, scale = words.partition(" ")
    number = f"{value:,.{digits}f}"
    return " ".join(part for part in (currency, number, scale) if part)


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


def add_unpublished(figure: Figure, periods: Iterable[tuple[date, date, bool]]) -> Figure:
    """Shade each run of months not yet published, labelled at the foot of the plot (the event
    labels are at its head): "overdue" when their release is late, "not yet published" else."""
    runs: list[list] = []
    for start, end, overdue in periods:
        if runs and runs[-1][2] == overdue and add_months(runs[-1][1], 1) == start:
            runs[-1][1] = end
        else:
            runs.append([start, end, overdue])
    layout = figure["layout"]
    shapes, annotations = layout.setdefault("shapes", []), layout.setdefault("annotations", [])
    for start, end, overdue in runs:
        colour = WARNING if overdue else MUTED
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": start,
                "x1": add_months(end, 1),
                "y0": 0,
                "y1": 1,
                "fillcolor": colour,
                "opacity": 0.08,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        months = period_name(start, end, short=True)
        text = f"overdue: {months}" if overdue else f"not yet published: {months}"
        annotations.append(
            {
                "x": start,
                "xref": "x",
                "y": 0,
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "xshift": 3,
                "text": "overdue" if overdue else "not yet published",
                "showarrow": False,
                "font": {"size": 11, "color": colour},
                "hovertext": text,
            }
        )
    return figure


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


@dataclass(frozen=True)
class Mark:
    """One policy event on a chart: its badge's number (in date order), what and when."""

    number: int
    day: date
    label: str
    kind: str
    measures: tuple[tuple[str, int], ...] = ()  # (name, id) of the measures it is about

    @property
    def colour(self) -> str:
        return EVENT_COLOURS[self.kind]

    @property
    def kind_name(self) -> str:
        return EVENT_KINDS[self.kind]

    @property
    def when(self) -> str:
        return short_day(self.day)


def event_marks(events: pd.DataFrame) -> list[Mark]:
    """The events numbered 1, 2, … in date order: the numbers of the badges on the plot and of
    the legend under it, which is also the chart's accessible text."""
    measures = events["measures"] if "measures" in events else [()] * len(events)
    rows = sorted(
        zip(_dates(events["date"]), events["label"], events["kind"], measures, strict=True),
        key=lambda row: row[0],
    )
    marks = []
    for number, (day, label, kind, about) in enumerate(rows, start=1):
        if kind not in EVENT_COLOURS:
            raise ValueError(f"unknown event kind {kind!r}")
        marks.append(Mark(number, day, label, kind, tuple(tuple(m) for m in about or ())))
    return marks


def add_events(figure: Figure, events: pd.DataFrame) -> Figure:
    """Mark each event with a numbered badge above the plot's top edge and a short tick under
    it, coloured by kind, with a hover card (what, when). No label text on the plot: the legend
    under the chart says what each number is, so nothing can overlap or be cut off. Badges
    nearer than MARKER_SPACING of the axis go on rows above one another."""
    marks = event_marks(events)
    layout = figure["layout"]
    shapes, annotations = layout.setdefault("shapes", []), layout.setdefault("annotations", [])
    rows = _marker_rows([mark.day for mark in marks], layout.get("xaxis", {}).get("range"))
    for mark, row in zip(marks, rows, strict=True):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": mark.day,
                "x1": mark.day,
                "y0": 0.97,
                "y1": 1,
                "line": {"color": mark.colour, "width": 2},
                "layer": "above",
            }
        )
        annotations.append(
            {
                "x": mark.day,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "yshift": MARKER_BASE_PX + row * MARKER_ROW_PX,
                "text": str(mark.number),
                "showarrow": False,
                "width": 16,
                "font": {"size": 11, "color": EVENT_TEXT.get(mark.kind, "black")},
                "bgcolor": mark.colour,
                "bordercolor": mark.colour,
                "borderpad": 2,
                "hovertext": f"<b>{mark.number}. {mark.label}</b><br>{mark.when}"
                f"<br>{mark.kind_name}",
                "name": f"event-{mark.number}",
            }
        )
    if marks:
        # Room above the plot for the rows of badges, the title above them.
        margin = layout.setdefault("margin", dict(LAYOUT["margin"]))
        margin["t"] = LAYOUT["margin"]["t"] + (max(rows) + 1) * MARKER_ROW_PX
        layout["title"] = {**layout.get("title", {}), "y": 1, "yref": "container"}
        layout["title"].update(yanchor="top", pad={"t": 12})
    return figure


def _marker_rows(days: list[date], axis: list | None) -> list[int]:
    """The row of each badge: the lowest whose last badge is at least MARKER_SPACING of the
    axis away (the axis spans its range, else the events' own days)."""
    if not days:
        return []
    first, last = (axis[0], axis[1]) if axis else (min(days), max(days))
    spacing = max((last - first).days, 365) * MARKER_SPACING
    last_on_row: list[date] = []
    rows = []
    for day in days:
        free = (row for row, previous in enumerate(last_on_row) if (day - previous).days >= spacing)
        row = next(free, len(last_on_row))
        if row == len(last_on_row):
            last_on_row.append(day)
        last_on_row[row] = day
        rows.append(row)
    return rows


def add_bands(figure: Figure, bands: pd.DataFrame) -> Figure:
    """Shade each suspension window (start to end, an open one to the axis' end), without text:
    the legend under the chart names it."""
    layout = figure["layout"]
    shapes = layout.setdefault("shapes", [])
    axis = layout.get("xaxis", {}).get("range")
    for start, end in zip(_dates(bands["start"]), bands["end"], strict=True):
        end = None if pd.isna(end) else _dates([end])[0] + timedelta(days=1)
        if axis:
            start, end = max(start, axis[0]), min(end or axis[1], axis[1])
            if start >= end:
                continue
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": start,
                "x1": end or start + timedelta(days=365),
                "y0": 0,
                "y1": 1,
                "fillcolor": BAND_COLOUR,
                "opacity": 0.12,
                "line": {"width": 0},
                "layer": "below",
                "name": "suspension",
            }
        )
    return figure


def bands_within(bands: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """The windows that reach into the days from `first` to `last`."""
    if bands.empty:
        return bands
    ends = [None if pd.isna(end) else end for end in bands["end"]]
    keep = [
        start <= last and (end is None or end >= first)
        for start, end in zip(bands["start"], ends, strict=True)
    ]
    return bands[keep]


def add_stamp(figure: Figure, stamp: str) -> Figure:
    """The source, the data's date and "RareGate" as the title's subtitle, so that a PNG saved
    from the chart says where it comes from (and no legend or label can cover it)."""
    layout = figure["layout"]
    margin = layout.setdefault("margin", dict(LAYOUT["margin"]))
    margin["t"] = margin.get("t", LAYOUT["margin"]["t"]) + 18
    layout["title"] = {
        **layout.get("title", {}),
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 12},
        "subtitle": {"text": stamp, "font": {"size": 11, "color": "#5b6676"}},
    }
    return figure


def stamp_text(*, source: str, runs_to: str) -> str:
    """ "China customs (GACC) · data to Dec 2025 · RareGate"."""
    parts = [f"Source: {source}" if source else "", f"data to {runs_to}" if runs_to else ""]
    return " · ".join([part for part in parts if part] + [BRAND])


class FigureEncoder(DjangoJSONEncoder):
    """Dates as ISO dates; a NaN or infinity, which JSON.parse refuses, is an error."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **{**kwargs, "allow_nan": False})


def figure_json(figure: Figure) -> str:
    """The figure as JSON, as plotly.js reads it."""
    return json.dumps(figure, cls=FigureEncoder)


def _figure(*, title: str, data: list | None = None, **layout: object) -> Figure:
    return {
        "data": data or [],
        "layout": {"template": TEMPLATE, "title": {"text": title}, **layout},
    }


def _dates(values: Iterable) -> list[date]:
    values = list(values)
    # Dates as the database gives them need no parsing (thousands of them on a destinations chart).
    if all(type(value) is date for value in values):
        return values
    return [stamp.date() for stamp in pd.to_datetime(pd.Series(values, dtype=object))]


def _floats(values: Iterable) -> list[float]:
    if isinstance(values, pd.Series) and values.dtype.kind == "f":
        return values.tolist()  # floats already, missing ones NaN
    return [math.nan if pd.isna(value) else float(value) for value in values]


def short_day(value: date) -> str:
    """A day as every page writes it (core.templatetags.raregate.day): 1 Dec 2025."""
    return f"{value.day} {value:%b %Y}"


def _float(value: Decimal | float | None) -> float:
    return math.nan if value is None else float(value)


def _numbers(values: Iterable[float]) -> list[float | None]:
    """Floats for JSON: a missing one (NaN) is null, a gap plotly.js draws as such."""
    return [None if math.isnan(value) else value for value in values]


def _true(value: object) -> bool:
    return not pd.isna(value) and bool(value)


def _tidy(destinations: pd.DataFrame) -> pd.DataFrame:
    frame = destinations.copy()
    frame["period_start"] = _dates(frame["period_start"])
    if "period_end" in frame:
        frame["period_end"] = _dates(frame["period_end"])
    frame["tonnes"] = _floats(frame["tonnes"])
    return frame


def _middle(start: date, end: date) -> date:
    """The 15th of a single month, the boundary between the two months of a span."""
    months = months_spanned(start, end)
    if months % 2:
        return add_months(start, months // 2).replace(day=15)
    return add_months(start, months // 2)


def _tonnes(value: float) -> str:
    return f"{value:,.1f} t"


def _percent(value: float) -> str:
    """A percentage as the pages write it; NaN (a missing figure) is n/a."""
    return percent(None if math.isnan(value) else float(value))
