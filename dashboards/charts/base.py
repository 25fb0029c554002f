"""What every chart shares: the palette, our plotly template, the JSON a page embeds and the
small conversions from a frame's columns to plotly's lists."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pandas as pd
from django.core.serializers.json import DjangoJSONEncoder

from core.formatting import percent
from core.periods import add_months, months_spanned

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
BRAND = "RareGate"


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
