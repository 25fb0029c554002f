"""What a chart marks beside its figures: policy events as numbered badges (the legend under the
chart says what each number is), suspension windows as bands, the months not yet published, and
the stamp that says where a saved PNG comes from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from core.formatting import day_short
from core.periods import add_months, period_name
from dashboards.charts.base import (
    BRAND,
    LAYOUT,
    MUTED,
    OKABE_ITO,
    WARNING,
    Figure,
    _dates,
)

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
# plotly's own height of a figure; what sits above the plot (badges, the stamp) is added to it.
PLOT_HEIGHT = 450
STAMP_PX = 18


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
        return day_short(self.day)


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
        added = (max(rows) + 1) * MARKER_ROW_PX
        margin["t"] = LAYOUT["margin"]["t"] + added
        _taller(layout, added)
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


def _taller(layout: dict, px: int) -> None:
    """Grow the figure by what was added above the plot, so that the plot keeps its height
    however many rows of badges sit over it."""
    layout["height"] = layout.get("height", PLOT_HEIGHT) + px


def add_stamp(figure: Figure, stamp: str) -> Figure:
    """The source, the data's date and "RareGate" as the title's subtitle, so that a PNG saved
    from the chart says where it comes from (and no legend or label can cover it)."""
    layout = figure["layout"]
    margin = layout.setdefault("margin", dict(LAYOUT["margin"]))
    margin["t"] = margin.get("t", LAYOUT["margin"]["t"]) + STAMP_PX
    _taller(layout, STAMP_PX)
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
