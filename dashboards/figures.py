"""The dashboards' figures, built from the monthly summaries and cached, ready to embed.

A figure is derived from the summaries, which change only with a rebuild: each is cached under
a key made of summary_version() (which every rebuild moves on), the kind of figure and the
validated choice it draws, hashed to a fixed length. The monthly chart also marks policy events,
read from the licensing tables at every request: their digest is part of its key, so that a new
or changed measure or licence shows at once. What is cached is a Drawn: Django's json_script of
the figure's JSON (type application/json, never executed) with the numbered events and the
suspension windows it marks, which the page lists under the chart in the same numbers.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import pycountry
from django.core.cache import cache
from django.utils.html import json_script
from django.utils.safestring import SafeString

from core.formatting import day_short
from core.periods import month_end, period_name
from dashboards import charts, selectors
from exports.models import Series
from exports.units import UNITS, unit_words

TIMEOUT = 24 * 3600
# v2: a Drawn, no longer the bare script.
KEY_PREFIX = "dashboards:figure2"

MONTHLY = "figure-monthly"
YEAR_TO_DATE = "figure-year-to-date"
DESTINATIONS = "figure-destinations"
DESTINATION_MAP = "figure-destination-map"


def figure_key(kind: str, version: int, **choice: object) -> str:
    """The cache key of one figure for one (validated) choice in a summary version."""
    digest = hashlib.blake2b(repr(sorted(choice.items())).encode(), digest_size=16).hexdigest()
    return ":".join([KEY_PREFIX, f"v{version}", kind, digest])


@dataclass(frozen=True)
class Band:
    """A suspension window a chart shades, as its legend writes it."""

    label: str
    start: date
    end: date | None
    measures: tuple[tuple[str, int], ...] = ()

    @property
    def when(self) -> str:
        if self.end is None:
            return f"from {day_short(self.start)}, no end set"
        return f"{day_short(self.start)} to {day_short(self.end)}"


@dataclass(frozen=True)
class Drawn:
    """A cached figure: its json_script ("" when there is nothing to draw, so that the empty
    case is cached too) and what it marks, for the legend under it."""

    script: str = ""
    marks: list[charts.Mark] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)


EMPTY = Drawn()


def _cached(
    kind: str, build: Callable[[], charts.Figure | Drawn | None], version: int, **choice: object
) -> Drawn:
    key = figure_key(kind, version, **choice)
    drawn = cache.get(key)
    if not isinstance(drawn, Drawn):
        built = build()
        if built is None:
            drawn = EMPTY
        elif isinstance(built, Drawn):
            drawn = built
        else:
            drawn = Drawn(_script(built, kind))
        cache.set(key, drawn, TIMEOUT)
    return drawn


def _script(figure: charts.Figure, kind: str) -> SafeString:
    return json_script(figure, kind, charts.FigureEncoder)


@dataclass(frozen=True)
class SeriesFacts:
    """What a figure says of its series: its name, source and one value unit."""

    name: str
    source: str
    value_unit: str

    @classmethod
    def of(cls, series: Series) -> SeriesFacts:
        """From the series a page has read already: no query of its own."""
        return cls(series.name, series.get_source_display(), series.value_unit)


def stamp(facts: SeriesFacts, frame: pd.DataFrame) -> str:
    """The PNG's foot: the source, the month the figures run to, "RareGate"."""
    runs_to = ""
    if len(frame):
        last = frame.sort_values("period_start").iloc[-1]
        runs_to = period_name(last["period_start"], last["period_end"], short=True)
    return charts.stamp_text(source=facts.source, runs_to=runs_to)


def partners(series: str) -> list[tuple[str, str]]:
    """The partners a series has figures for, no "" total, with their names."""
    return [(code, partner_name(code)) for code in selectors.partners_of(series) if code]


def series_title(name: str, partners: tuple[str, ...] = ("",)) -> str:
    """ "Rare earths: all destinations"; several partners by their names."""
    return f"{name}: {', '.join(partner_name(partner) for partner in partners)}"


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
    facts: SeriesFacts,
    partners: tuple[str, ...] = ("",),
    start: date | None = None,
    end: date | None = None,
    unpublished: tuple[tuple[date, date, bool], ...] = (),
    measure: str = charts.TONNES,
) -> Drawn:
    """One measure per period (bars; a line per partner when there are several), with the
    policy events and suspension windows of the same months and the months not yet published
    (exports.calendar: start, end, overdue) after them."""
    events, bands = selectors.policy_marks()

    def build() -> Drawn | None:
        frames = {
            partner: selectors.summary_frame(series=series, partner=partner, start=start, end=end)
            for partner in partners
        }
        frames = {partner: frame for partner, frame in frames.items() if not frame.empty}
        if not frames:
            return None
        whole = pd.concat(list(frames.values()))
        first, last = whole["period_start"].min(), month_end(whole["period_end"].max())
        if unpublished:
            last = max(last, month_end(max(end for _, end, _ in unpublished)))
        shown = events[(events["date"] >= first) & (events["date"] <= last)]
        windows = charts.bands_within(bands, first, last)
        marks = dict(
            title=f"{series_title(facts.name, tuple(frames))}, {charts.MEASURES[measure].lower()}",
            events=shown,
            bands=windows,
            unpublished=unpublished,
            measure=measure,
            unit=facts.value_unit,
            stamp=stamp(facts, whole),
        )
        if len(partners) == 1:
            figure = charts.monthly_bars(frames[partners[0]], **marks)
        else:
            named = {partner_name(partner): frame for partner, frame in frames.items()}
            figure = charts.partner_lines(named, **marks)
        return Drawn(
            _script(figure, MONTHLY),
            marks=charts.event_marks(shown),
            bands=[
                Band(row.label, row.start, None if pd.isna(row.end) else row.end, row.measures)
                for row in windows.itertuples()
            ],
        )

    # The events and the months unpublished today are part of the choice: a changed measure or
    # a new day is another key.
    marked = events.to_csv(index=False) + bands.to_csv(index=False)
    return _cached(
        MONTHLY,
        build,
        version,
        series=series,
        partners=partners,
        start=start,
        end=end,
        events=marked,
        unpublished=unpublished,
        measure=measure,
        facts=facts,
    )


def measurable(unit: str) -> list[tuple[str, str]]:
    """The measures a series with this value unit can be plotted in: tonnes, and its value and
    value per tonne when it has a known unit."""
    if unit not in UNITS:
        return [(charts.TONNES, charts.MEASURES[charts.TONNES])]
    words = unit_words(unit)
    currency = UNITS[unit].currency
    return [
        (charts.TONNES, "Tonnes"),
        (charts.VALUE, f"Value ({words})"),
        (charts.UNIT_VALUE, f"Value per tonne ({currency})"),
    ]


def year_to_date(
    *, version: int, series: str, facts: SeriesFacts, partner: str = "", year: int
) -> Drawn:
    """The year to date of `year` against the year before."""

    def build() -> charts.Figure | None:
        frame = selectors.summary_frame(
            series=series, partner=partner, start=date(year - 1, 1, 1), end=date(year, 12, 1)
        )
        if frame.empty:
            return None
        return charts.year_to_date_lines(frame, year=year, stamp=stamp(facts, frame))

    return _cached(
        YEAR_TO_DATE, build, version, series=series, partner=partner, year=year, facts=facts
    )


def destinations(
    *,
    version: int,
    series: str,
    facts: SeriesFacts,
    start: date | None = None,
    end: date | None = None,
) -> tuple[Callable[[], Drawn], Callable[[], Drawn]]:
    """The stacked monthly tonnes of the leading partners (with what no partner accounts for),
    and the tonnes by partner in the latest period on a world map: each read and drawn when
    called."""
    choice = {"series": series, "start": start, "end": end}

    def drawn(
        kind: str, read: Callable[..., pd.DataFrame], draw: Callable[..., charts.Figure]
    ) -> Callable[[], Drawn]:
        def build() -> charts.Figure | None:
            frame = read(**choice)
            if frame.empty:
                return None
            latest = max(frame["period_start"])
            runs_to = period_name(latest, latest, short=True)
            return draw(frame, stamp=charts.stamp_text(source=facts.source, runs_to=runs_to))

        return functools.partial(_cached, kind, build, version, facts=facts, **choice)

    return (
        drawn(DESTINATIONS, selectors.destination_stack, charts.destination_bars),
        drawn(DESTINATION_MAP, selectors.destination_latest, charts.destination_map),
    )
