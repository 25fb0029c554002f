"""The dashboards' figures, built from the monthly summaries and cached, ready to embed.

A figure is derived from the summaries, which change only with a rebuild: each is cached under
a key made of summary_version() (which every rebuild moves on), the kind of figure and the
validated choice it draws, hashed to a fixed length. The monthly chart also marks policy events,
read from the licensing tables at every request: their digest is part of its key, so that a new
or changed measure or licence shows at once. What is cached is Django's json_script of the
figure's JSON (type application/json, never executed).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import date

import pandas as pd
import pycountry
from django.core.cache import cache
from django.utils.html import json_script
from django.utils.safestring import SafeString

from core.periods import month_end
from dashboards import charts, selectors
from exports.models import Series

TIMEOUT = 24 * 3600
KEY_PREFIX = "dashboards:figure"
# Cached for a choice with nothing to draw, so that the empty case is not rebuilt either.
EMPTY = ""

MONTHLY = "figure-monthly"
YEAR_TO_DATE = "figure-year-to-date"
DESTINATIONS = "figure-destinations"
DESTINATION_MAP = "figure-destination-map"


def figure_key(kind: str, version: int, **choice: object) -> str:
    """The cache key of one figure for one (validated) choice in a summary version."""
    digest = hashlib.blake2b(repr(sorted(choice.items())).encode(), digest_size=16).hexdigest()
    return ":".join([KEY_PREFIX, f"v{version}", kind, digest])


def _cached(
    kind: str, build: Callable[[], charts.Figure | None], version: int, **choice: object
) -> SafeString:
    key = figure_key(kind, version, **choice)
    script = cache.get(key)
    if script is None:
        figure = build()
        script = EMPTY if figure is None else json_script(figure, kind, charts.FigureEncoder)
        cache.set(key, script, TIMEOUT)
    return script


def partners(series: str) -> list[tuple[str, str]]:
    """The partners a series has figures for, no "" total, with their names."""
    return [(code, partner_name(code)) for code in selectors.partners_of(series) if code]


def series_title(series: str, partner: str = "") -> str:
    name = Series.objects.filter(code=series).values_list("name", flat=True).first() or series
    return f"{name}: {partner_name(partner)}"


def partner_name(partner: str) -> str:
    """ "" → "all destinations"; an ISO alpha-3 code → the country's common name."""
    if not partner:
        return "all destinations"
    country = pycountry.countries.get(alpha_3=partner)
    if country is None:
        return partner
    return getattr(country, "common_name", None) or country.name


def monthly(
    *,
    version: int,
    series: str,
    partner: str = "",
    start: date | None = None,
    end: date | None = None,
    unpublished: tuple[tuple[date, date, bool], ...] = (),
) -> SafeString:
    """Tonnes per period as bars, with the policy events of the same months and the months not
    yet published (exports.calendar: start, end, overdue) after them."""
    events = selectors.policy_events()

    def build() -> charts.Figure | None:
        frame = selectors.summary_frame(series=series, partner=partner, start=start, end=end)
        if frame.empty:
            return None
        first, last = frame["period_start"].min(), month_end(frame["period_end"].max())
        shown = events[(events["date"] >= first) & (events["date"] <= last)]
        return charts.monthly_bars(
            frame,
            title=f"{series_title(series, partner)}, tonnes",
            events=shown,
            unpublished=unpublished,
        )

    # The events and the months unpublished today are part of the choice: a changed measure or
    # a new day is another key.
    marked = events.to_csv(index=False)
    return _cached(
        MONTHLY,
        build,
        version,
        series=series,
        partner=partner,
        start=start,
        end=end,
        events=marked,
        unpublished=unpublished,
    )


def year_to_date(*, version: int, series: str, partner: str = "", year: int) -> SafeString:
    """The year to date of `year` against the year before."""

    def build() -> charts.Figure | None:
        frame = selectors.summary_frame(
            series=series, partner=partner, start=date(year - 1, 1, 1), end=date(year, 12, 1)
        )
        if frame.empty:
            return None
        return charts.year_to_date_lines(frame, year=year)

    return _cached(YEAR_TO_DATE, build, version, series=series, partner=partner, year=year)


def destinations(
    *, version: int, series: str, start: date | None = None, end: date | None = None
) -> tuple[Callable[[], SafeString], Callable[[], SafeString]]:
    """The stacked monthly tonnes of the leading partners, and the tonnes by partner in the
    latest period on a world map: each read and drawn when called."""
    choice = {"series": series, "start": start, "end": end}

    def drawn(
        kind: str, read: Callable[..., pd.DataFrame], draw: Callable[[pd.DataFrame], charts.Figure]
    ) -> Callable[[], SafeString]:
        def build() -> charts.Figure | None:
            frame = read(**choice)
            return None if frame.empty else draw(frame)

        return functools.partial(_cached, kind, build, version, **choice)

    return (
        drawn(DESTINATIONS, selectors.destination_stack, charts.destination_bars),
        drawn(DESTINATION_MAP, selectors.destination_latest, charts.destination_map),
    )
