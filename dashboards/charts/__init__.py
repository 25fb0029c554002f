"""Plotly figures for the dashboards: a pandas DataFrame in, a plotly figure out; no ORM.

A figure is the dict plotly.js draws ({"data": [...], "layout": {...}}), dates as dates and no
NaN, ready for figure_json. Not plotly.graph_objects: validating and copying every value through
them took 20-40 ms a figure, most of the charts page. tests/dashboards/test_charts.py checks that
each builder's figure is one plotly.graph_objects.Figure accepts.

The frames are built by dashboards/selectors.py; the builders only draw what they are given.
base.py holds what every chart shares, marks.py what a chart marks beside its figures (events,
bands, months unpublished, its stamp), plots.py the charts themselves.
"""

from __future__ import annotations

from dashboards.charts.base import (  # noqa: F401
    ACCENT,
    BRAND,
    GRID,
    LAYOUT,
    MUTED,
    OKABE_ITO,
    PRIMARY,
    SPAN,
    TEMPLATE,
    WARNING,
    Figure,
    FigureEncoder,
    figure_json,
)
from dashboards.charts.marks import (  # noqa: F401
    BAND_COLOUR,
    EVENT_COLOURS,
    EVENT_KINDS,
    EVENT_TEXT,
    MARKER_BASE_PX,
    MARKER_ROW_PX,
    MARKER_SPACING,
    Mark,
    add_bands,
    add_events,
    add_stamp,
    add_unpublished,
    bands_within,
    event_marks,
    stamp_text,
)
from dashboards.charts.plots import (  # noqa: F401
    BAR_WIDTH_MS,
    MEASURES,
    MONTH_MS,
    NOT_REPORTED,
    NOT_REPORTED_COLOUR,
    OTHER,
    OTHER_COLOUR,
    TONNES,
    UNIT_VALUE,
    VALUE,
    Measured,
    destination_bars,
    destination_map,
    measured,
    monthly_bars,
    partner_lines,
    year_to_date_lines,
)
