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
from collections.abc import Iterable
from datetime import date, timedelta

import pandas as pd
from django.core.serializers.json import DjangoJSONEncoder

from core.formatting import day_in_words, percent
from core.periods import add_months, months_spanned, period_name, year_to_date_name

PRIMARY = "#16304f"
ACCENT = "#c77d0a"
SPAN = "#5a7ea6"
WARNING = "#b42318"
MUTED = "#8a97a8"
GRID = "#e3e7ee"

# Our own template, so that a figure's JSON does not embed plotly's default one (about 7 KB).
LAYOUT = {
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
    "title": {"font": {"size": 16, "color": PRIMARY}, "x": 0, "xanchor": "left"},
    "colorway": [PRIMARY, ACCENT, "#4f7cac", "#e3a63f", "#8fb0d2", "#7d4e05", "#3a5674", "#d6c08d"],
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

OTHER = "Other"
OTHER_COLOUR = "#c3cad4"
# A month bar takes this share of an average month; a January–February bar twice as much.
MONTH_MS = 365.25 / 12 * 24 * 3600 * 1000
BAR_WIDTH_MS = 0.8 * MONTH_MS

EVENT_COLOURS = {
    "measure": PRIMARY,
    "general_licences": "#1e7b4f",
    "suspension_start": "#6b4c9a",
    "suspension_end": "#6b4c9a",
    "licence_expiry": WARNING,
}
# Labels of events closer than this share a plot's top edge badly, so they go on another level.
EVENT_NEARBY = timedelta(days=120)
EVENT_LEVELS = 4
EVENT_LEVEL_STEP = 0.07


def monthly_bars(
    summary: pd.DataFrame,
    *,
    title: str,
    events: pd.DataFrame | None = None,
    unpublished: tuple[tuple[date, date, bool], ...] = (),
) -> Figure:
    """Tonnes per period as bars, a January–February span as one wide labelled bar; the months
    ended but not yet published (start, end, overdue) as shaded bands, never as zeros."""
    starts = _dates(summary["period_start"])
    ends = _dates(summary["period_end"])
    spans = [start != end for start, end in zip(starts, ends, strict=True)]
    tonnes = _floats(summary["tonnes"])
    hover = [
        "<br>".join(
            [
                f"<b>{label}</b>",
                _tonnes(value),
                f"MoM {_percent(mom)}",
                f"YoY {_percent(yoy)}",
            ]
        )
        for label, value, mom, yoy in zip(
            summary["label"],
            tonnes,
            _floats(summary["mom_pct"]),
            _floats(summary["yoy_pct"]),
            strict=True,
        )
    ]
    bars = {
        "type": "bar",
        "name": "tonnes",
        "x": [_middle(start, end) for start, end in zip(starts, ends, strict=True)],
        "y": _numbers(tonnes),
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
        # The data's months, so that event labels do not stretch the axis past them.
        last = max([*ends, *(end for _, end, _ in unpublished)])
        xaxis["range"] = [min(starts), add_months(last, 1)]
    yaxis = {"title": {"text": "tonnes"}, "tickformat": ","}
    figure = _figure(title=title, data=[bars], xaxis=xaxis, yaxis=yaxis)
    if events is not None:
        add_events(figure, events)
    add_unpublished(figure, unpublished)
    return figure


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


def year_to_date_lines(summary: pd.DataFrame, *, year: int) -> Figure:
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
    return _figure(
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


def destination_bars(destinations: pd.DataFrame) -> Figure:
    """Stacked monthly tonnes by partner, largest total first; a missing partner (the partners
    summed together by dashboards.selectors.destination_stack) last, as "Other"."""
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
    totals = {partner: sum(t for _, t in rows) for partner, rows in by_partner.items() if partner}
    # Ties broken by partner code, so that the same data always stacks the same way.
    order = sorted(totals, key=lambda partner: (-totals[partner], partner))
    columns = [(partner, by_partner[partner], None) for partner in order]
    if None in by_partner:
        columns.append((OTHER, by_partner[None], OTHER_COLOUR))
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
        figure["data"].append(trace)
    figure["layout"]["xaxis"] = {"type": "date", "tickformat": "%b %Y"}
    return figure


def destination_map(destinations: pd.DataFrame) -> Figure:
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
    return _figure(
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


def add_events(figure: Figure, events: pd.DataFrame) -> Figure:
    """Mark each event with a dashed vertical line and its label, coloured by kind."""
    rows = sorted(
        zip(_dates(events["date"]), events["label"], events["kind"], strict=True),
        key=lambda row: row[0],
    )
    layout = figure["layout"]
    shapes, annotations = layout.setdefault("shapes", []), layout.setdefault("annotations", [])
    last_on_level: dict[int, date] = {}
    for day, label, kind in rows:
        if kind not in EVENT_COLOURS:
            raise ValueError(f"unknown event kind {kind!r}")
        colour = EVENT_COLOURS[kind]
        level = _free_level(day, last_on_level)
        last_on_level[level] = day
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": day,
                "x1": day,
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "width": 1.5, "dash": "dash"},
                "layer": "above",
            }
        )
        annotations.append(
            {
                "x": day,
                "xref": "x",
                "y": round(1 - level * EVENT_LEVEL_STEP, 3),
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "top",
                "xshift": 3,
                "text": label,
                "showarrow": False,
                "align": "left",
                "font": {"size": 11, "color": colour},
                "bgcolor": "rgba(255, 255, 255, 0.85)",
                "hovertext": f"{label}, {day_in_words(day)}",
            }
        )
    return figure


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


def _free_level(day: date, last_on_level: dict[int, date]) -> int:
    """The lowest label level with no label in the last EVENT_NEARBY; else the least recent."""
    for level in range(EVENT_LEVELS):
        last = last_on_level.get(level)
        if last is None or day - last >= EVENT_NEARBY:
            return level
    return min(last_on_level, key=lambda level: last_on_level[level])


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
