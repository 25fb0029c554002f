from __future__ import annotations

import json
import math
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboards.charts import (
    MARKER_BASE_PX,
    MARKER_ROW_PX,
    MARKER_SPACING,
    NOT_REPORTED,
    OKABE_ITO,
    OTHER,
    OTHER_COLOUR,
    TEMPLATE,
    UNIT_VALUE,
    VALUE,
    add_events,
    bands_within,
    destination_bars,
    destination_map,
    event_marks,
    figure_json,
    measured,
    monthly_bars,
    partner_lines,
    stamp_text,
    year_to_date_lines,
)

NAN = math.nan
LAYOUT_MARGIN = TEMPLATE["layout"]["margin"]
SUMMARY_COLUMNS = [
    "period_start",
    "period_end",
    "label",
    "tonnes",
    "mom_pct",
    "yoy_pct",
    "ytd_tonnes",
    "ytd_complete",
    "ytd_yoy_pct",
]


def period(
    start: date,
    end: date | None = None,
    *,
    tonnes: float = 1000.0,
    mom: float = NAN,
    yoy: float = NAN,
    ytd: float = 0.0,
    complete: bool = True,
    ytd_yoy: float = NAN,
) -> dict:
    end = end or start
    label = f"{start:%Y-%m}" if start == end else f"{start:%Y-%m}/{end:%Y-%m}"
    return {
        "period_start": start,
        "period_end": end,
        "label": label,
        "tonnes": tonnes,
        "mom_pct": mom,
        "yoy_pct": yoy,
        "ytd_tonnes": ytd,
        "ytd_complete": complete,
        "ytd_yoy_pct": ytd_yoy,
    }


def summary_of(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=SUMMARY_COLUMNS)


def events_of(*rows: tuple[date, str, str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["date", "label", "kind"])


def destinations_of(rows: dict[date, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"period_start": start, "partner": partner, "tonnes": tonnes}
            for start, partners in rows.items()
            for partner, tonnes in partners.items()
        ],
        columns=["period_start", "partner", "tonnes"],
    )


# A GACC-like year: December, then the January–February span, then single months again.
SPAN_YEAR = summary_of(
    period(date(2024, 12, 1), tonnes=4000.0, yoy=5.0, ytd=50000.0),
    period(date(2025, 1, 1), date(2025, 2, 1), tonnes=9876.5, yoy=-3.2, ytd=9876.5),
    period(date(2025, 3, 1), tonnes=5493.9, yoy=24.4, ytd=15370.4),
    period(date(2025, 4, 1), tonnes=4392.1, mom=-20.1, yoy=32.1, ytd=19762.5),
)


def empty_figure() -> dict:
    return {"data": [], "layout": {"template": TEMPLATE}}


def span_index(bars: dict) -> int:
    return list(bars["x"]).index(date(2025, 2, 1))


# monthly_bars


def test_monthly_bars_draws_one_bar_trace_with_a_bar_per_period():
    figure = monthly_bars(SPAN_YEAR, title="GACC rare earths")

    assert [trace["type"] for trace in figure["data"]] == ["bar"]
    assert len(figure["data"][0]["x"]) == 4
    assert list(figure["data"][0]["y"]) == [4000.0, 9876.5, 5493.9, 4392.1]
    assert figure["layout"]["title"]["text"] == "GACC rare earths"
    assert figure["layout"]["yaxis"]["title"]["text"] == "tonnes"


def test_a_single_month_bar_stands_on_the_15th():
    bars = monthly_bars(SPAN_YEAR, title="t")["data"][0]

    assert bars["x"][0] == date(2024, 12, 15)
    assert bars["x"][2] == date(2025, 3, 15)


def test_a_january_february_span_is_one_bar_on_1_february_twice_as_wide():
    bars = monthly_bars(SPAN_YEAR, title="t")["data"][0]

    span = span_index(bars)
    assert bars["x"].count(date(2025, 2, 1)) == 1
    month_widths = {width for i, width in enumerate(bars["width"]) if i != span}
    assert len(month_widths) == 1
    assert bars["width"][span] == 2 * month_widths.pop()


def test_only_the_span_bar_is_labelled_and_it_reads_jan_feb():
    bars = monthly_bars(SPAN_YEAR, title="t")["data"][0]

    span = span_index(bars)
    assert bars["text"][span] == "Jan–Feb 2025"
    assert [text for i, text in enumerate(bars["text"]) if i != span] == ["", "", ""]


def test_the_span_bar_is_marked_apart_from_the_month_bars():
    bars = monthly_bars(SPAN_YEAR, title="t")["data"][0]

    span = span_index(bars)
    colours = list(bars["marker"]["color"])
    patterns = list(bars["marker"]["pattern"]["shape"])
    assert colours[span] not in colours[:span] + colours[span + 1 :]
    assert patterns[span] != ""
    assert set(patterns[:span] + patterns[span + 1 :]) == {""}


def test_the_hover_shows_period_tonnes_mom_and_yoy_with_n_a_where_unknown():
    bars = monthly_bars(SPAN_YEAR, title="t")["data"][0]

    assert "%{hovertext}" in bars["hovertemplate"]
    april = bars["hovertext"][3]
    assert "2025-04" in april
    assert "4,392.1 t" in april
    assert "MoM −20.1%" in april
    assert "YoY +32.1%" in april
    span = bars["hovertext"][1]
    assert "2025-01/2025-02" in span
    assert "9,876.5 t" in span
    assert "MoM n/a" in span
    assert "YoY −3.2%" in span
    assert "nan" not in " ".join(bars["hovertext"]).lower()


def test_a_missing_comparison_given_as_none_also_reads_n_a():
    summary = SPAN_YEAR.astype({"mom_pct": object})
    summary.loc[3, "mom_pct"] = None

    bars = monthly_bars(summary, title="t")["data"][0]

    assert "MoM n/a" in bars["hovertext"][3]


def test_monthly_bars_without_events_draws_no_lines_and_with_events_marks_them():
    events = events_of((date(2025, 4, 4), "No. 18 in force", "measure"))

    assert monthly_bars(SPAN_YEAR, title="t")["layout"].get("shapes", []) == []
    figure = monthly_bars(SPAN_YEAR, title="t", events=events)

    assert len(figure["layout"]["shapes"]) == 1
    assert [note["text"] for note in figure["layout"]["annotations"]] == ["1"]
    assert "No. 18 in force" in figure["layout"]["annotations"][0]["hovertext"]


def test_monthly_bars_of_no_periods_is_an_empty_bar_trace():
    figure = monthly_bars(summary_of(), title="t")

    assert [trace["type"] for trace in figure["data"]] == ["bar"]
    assert len(figure["data"][0]["x"]) == 0


# year_to_date_lines


def test_year_to_date_draws_two_lines_named_for_the_year_and_the_one_before():
    figure = year_to_date_lines(SPAN_YEAR, year=2025)

    assert [trace["type"] for trace in figure["data"]] == ["scatter", "scatter"]
    assert [trace["name"] for trace in figure["data"]] == ["2025", "2024"]


def test_year_to_date_plots_each_year_by_month_with_the_span_as_one_point_at_february():
    this_year, last_year = year_to_date_lines(SPAN_YEAR, year=2025)["data"]

    assert list(this_year["x"]) == [2, 3, 4]
    assert list(this_year["y"]) == [9876.5, 15370.4, 19762.5]
    assert list(last_year["x"]) == [12]
    assert list(last_year["y"]) == [50000.0]


def test_year_to_date_leaves_out_incomplete_points():
    summary = summary_of(
        period(date(2025, 1, 1), ytd=100.0),
        period(date(2025, 2, 1), ytd=200.0),
        period(date(2025, 4, 1), ytd=400.0, complete=False),
        period(date(2025, 5, 1), ytd=500.0, complete=False),
    )

    this_year, last_year = year_to_date_lines(summary, year=2025)["data"]

    assert list(this_year["x"]) == [1, 2]
    assert list(this_year["y"]) == [100.0, 200.0]
    assert list(last_year["x"]) == []


def test_year_to_date_hover_has_thousands_and_the_yoy_only_where_known():
    summary = summary_of(
        period(date(2025, 1, 1), date(2025, 2, 1), ytd=9876.5),
        period(date(2025, 11, 1), ytd=58193.0, ytd_yoy=11.7),
    )

    hover = year_to_date_lines(summary, year=2025)["data"][0]["hovertext"]

    assert "9,876.5 t" in hover[0]
    assert "YoY" not in hover[0]
    assert "58,193.0 t" in hover[1]
    assert "YoY +11.7%" in hover[1]
    assert "Jan–Nov 2025" in hover[1]


def test_year_to_date_ignores_other_years():
    summary = summary_of(period(date(2023, 5, 1), ytd=1.0), period(date(2026, 1, 1), ytd=2.0))

    figure = year_to_date_lines(summary, year=2025)

    assert [len(trace["x"]) for trace in figure["data"]] == [0, 0]


# destination_bars

DESTINATIONS = destinations_of(
    {
        date(2025, 10, 1): {"JPN": 50.0, "USA": 40.0, "KOR": 30.0, "DEU": 5.0, "IND": 2.0},
        date(2025, 11, 1): {"JPN": 60.0, "USA": 45.0, "KOR": 25.0, "DEU": 7.0, "VNM": 3.0},
    }
)
# As dashboards.selectors.destination_stack gives it with top=3: the other partners summed.
STACKED = destinations_of(
    {
        date(2025, 10, 1): {"KOR": 30.0, "JPN": 50.0, None: 7.0, "USA": 40.0},
        date(2025, 11, 1): {None: 10.0, "JPN": 60.0, "USA": 45.0, "KOR": 25.0},
    }
)


# December 2025 magnets: 844 t to the partners the source names, 5,952 t in all.
REPORTED = destinations_of(
    {
        date(2025, 11, 1): {"DEU": 300.0, "USA": 200.0, None: 100.0, "": 650.0},
        date(2025, 12, 1): {"DEU": 500.0, "USA": 244.0, None: 100.0, "": 5952.0},
    }
)


def test_destination_bars_stack_the_partners_largest_first_and_other_last():
    figure = destination_bars(STACKED)

    assert figure["layout"]["barmode"] == "stack"
    assert [trace["type"] for trace in figure["data"]] == ["bar"] * 4
    assert [trace["name"] for trace in figure["data"]] == ["JPN", "USA", "KOR", OTHER]
    assert list(figure["data"][0]["x"]) == [date(2025, 10, 1), date(2025, 11, 1)]
    assert list(figure["data"][0]["y"]) == [50.0, 60.0]


def test_other_is_the_partners_summed_together_in_its_own_colour():
    other = destination_bars(STACKED)["data"][-1]

    assert other["name"] == "Other partners"
    assert list(other["x"]) == [date(2025, 10, 1), date(2025, 11, 1)]
    assert list(other["y"]) == [7.0, 10.0]
    assert other["marker"]["color"] == OTHER_COLOUR
    assert "Other partners: 10.0 t" in other["hovertext"]


def test_partners_of_equal_totals_stack_in_code_order():
    frame = destinations_of({date(2025, 10, 1): {"USA": 5.0, "DEU": 5.0, "JPN": 6.0}})

    figure = destination_bars(frame)

    assert [trace["name"] for trace in figure["data"]] == ["JPN", "DEU", "USA"]


def test_there_is_no_other_when_nothing_was_summed():
    figure = destination_bars(DESTINATIONS)

    assert [trace["name"] for trace in figure["data"]] == ["JPN", "USA", "KOR", "DEU", "VNM", "IND"]


def test_destination_bars_of_no_rows_has_no_traces():
    assert destination_bars(DESTINATIONS.iloc[:0])["data"] == []


# destination_map


def test_the_map_shows_the_latest_period_only():
    figure = destination_map(DESTINATIONS)

    [choropleth] = figure["data"]
    assert choropleth["type"] == "choropleth"
    assert choropleth["locationmode"] == "ISO-3"
    shown = dict(zip(choropleth["locations"], choropleth["z"], strict=True))
    assert shown == {"DEU": 7.0, "JPN": 60.0, "KOR": 25.0, "USA": 45.0, "VNM": 3.0}
    assert "November 2025" in figure["layout"]["title"]["text"]


def test_the_map_hover_names_the_partner_and_its_tonnes():
    frame = destinations_of({date(2025, 11, 1): {"JPN": 1234.5}})

    [choropleth] = destination_map(frame)["data"]

    assert "JPN" in choropleth["hovertext"][0]
    assert "1,234.5 t" in choropleth["hovertext"][0]


def test_the_map_is_a_frameless_natural_earth_projection():
    geo = destination_map(DESTINATIONS)["layout"]["geo"]

    assert geo["showframe"] is False
    assert geo["projection"]["type"] == "natural earth"


# add_events

EVENTS = events_of(
    (date(2025, 4, 4), "No. 18 in force", "measure"),
    (date(2025, 11, 10), "Nos. 57, 61 suspended", "suspension_start"),
    (date(2025, 12, 2), "General licences", "general_licences"),
    (date(2025, 12, 20), "3 licences expire", "licence_expiry"),
)


def test_each_event_gets_one_numbered_badge_in_date_order_and_a_tick_no_label_text():
    shuffled = EVENTS.iloc[[2, 0, 3, 1]].reset_index(drop=True)

    figure = add_events(empty_figure(), shuffled)

    notes = figure["layout"]["annotations"]
    assert [note["text"] for note in notes] == ["1", "2", "3", "4"]
    assert [note["x"] for note in notes] == list(EVENTS["date"])
    # The hover card says what and when; the plot itself carries no label text.
    assert "No. 18 in force" in notes[0]["hovertext"] and "4 Apr 2025" in notes[0]["hovertext"]
    assert all(note["text"].isdigit() for note in notes)
    assert [(note["yref"], note["y"], note["yanchor"]) for note in notes] == [
        ("paper", 1, "bottom")
    ] * 4
    ticks = figure["layout"]["shapes"]
    assert [tick["x0"] for tick in ticks] == list(EVENTS["date"])
    assert {"dash"} - {tick["line"].get("dash") for tick in ticks} == {"dash"}, "no dashed fence"
    assert all(tick["y0"] >= 0.95 for tick in ticks), "a short tick at the top, not a line"


def test_event_marks_number_the_events_as_the_badges_do_with_their_measures():
    events = EVENTS.assign(measures=[(("No. 18", 7),), (("No. 57", 1), ("No. 61", 2)), (), ()])

    marks = event_marks(events)

    assert [(mark.number, mark.label) for mark in marks] == [
        (1, "No. 18 in force"),
        (2, "Nos. 57, 61 suspended"),
        (3, "General licences"),
        (4, "3 licences expire"),
    ]
    assert marks[1].measures == (("No. 57", 1), ("No. 61", 2))
    assert marks[0].when == "4 Apr 2025"


def test_each_kind_has_its_own_colour_blind_safe_colour():
    figure = add_events(empty_figure(), EVENTS)

    colours = {
        label: note["bgcolor"]
        for label, note in zip(EVENTS["label"], figure["layout"]["annotations"], strict=True)
    }
    assert set(colours.values()) <= set(OKABE_ITO)
    assert len(set(colours.values())) == 4
    assert TEMPLATE["layout"]["colorway"] == OKABE_ITO


def test_nearby_badges_go_on_rows_above_one_another_and_distant_ones_share_the_first():
    figure = monthly_bars(SPAN_YEAR, title="t", events=EVENTS)

    shifts = {
        label: note["yshift"]
        for label, note in zip(EVENTS["label"], figure["layout"]["annotations"], strict=True)
    }
    # Nov 10, Dec 2 and Dec 20 are nearer than MARKER_SPACING of the axis: three rows.
    near = [shifts[label] for label in EVENTS["label"][1:]]
    assert len(set(near)) == 3
    assert shifts["No. 18 in force"] == shifts["Nos. 57, 61 suspended"] == MARKER_BASE_PX
    # The top margin makes room for the rows, so that no badge is cut off.
    assert figure["layout"]["margin"]["t"] >= 56 + 3 * MARKER_ROW_PX


def test_badges_never_share_a_row_closer_than_the_spacing_on_a_one_year_axis():
    days = [date(2025, 1, 1) + timedelta(days=7 * week) for week in range(30)]
    events = events_of(*((day, f"event {day}", "measure") for day in days))
    figure = {"data": [], "layout": {"xaxis": {"range": [date(2025, 1, 1), date(2026, 1, 1)]}}}

    notes = add_events(figure, events)["layout"]["annotations"]

    spacing = 365 * MARKER_SPACING
    by_row: dict[int, list[date]] = {}
    for note in notes:
        by_row.setdefault(note["yshift"], []).append(note["x"])
    for row in by_row.values():
        assert all((b - a).days >= spacing for a, b in zip(row, row[1:], strict=False))


def test_rows_of_badges_and_the_stamp_make_the_figure_taller_not_the_plot_shorter():
    def plot_height(figure: dict) -> int:
        layout = figure["layout"]
        margin = layout.get("margin", LAYOUT_MARGIN)
        return layout.get("height", 450) - margin["t"] - margin["b"]

    bare = monthly_bars(SPAN_YEAR, title="t")
    crowded = monthly_bars(SPAN_YEAR, title="t", events=EVENTS, stamp="Source: GACC · RareGate")

    assert crowded["layout"]["margin"]["t"] > LAYOUT_MARGIN["t"] + 2 * MARKER_ROW_PX
    assert plot_height(crowded) == plot_height(bare)


def test_add_events_returns_the_same_figure_and_draws_events_outside_the_data():
    figure = monthly_bars(SPAN_YEAR, title="t")
    events = events_of((date(2030, 1, 1), "Far future", "measure"))

    assert add_events(figure, events) is figure
    assert [note["text"] for note in figure["layout"]["annotations"]] == ["1"]


def test_suspension_windows_are_shaded_bands_within_the_axis_without_text():
    bands = pd.DataFrame(
        [
            {"start": date(2025, 3, 10), "end": date(2026, 3, 9), "label": "No. 57 suspended"},
            {"start": date(2020, 1, 1), "end": date(2020, 2, 1), "label": "long ago"},
        ]
    )

    figure = monthly_bars(SPAN_YEAR, title="t", bands=bands)

    [band] = [shape for shape in figure["layout"]["shapes"] if shape["type"] == "rect"]
    assert band["x0"] == date(2025, 3, 10)
    assert band["x1"] == figure["layout"]["xaxis"]["range"][1] == date(2025, 5, 1)
    assert (band["y0"], band["y1"], band["layer"]) == (0, 1, "below")
    assert "annotations" not in figure["layout"] or not any(
        "suspended" in note.get("text", "") for note in figure["layout"]["annotations"]
    )


def test_bands_within_keeps_the_windows_reaching_into_the_range_an_open_one_too():
    bands = pd.DataFrame(
        [
            {"start": date(2025, 3, 1), "end": date(2025, 6, 1), "label": "a"},
            {"start": date(2024, 1, 1), "end": None, "label": "open"},
            {"start": date(2027, 1, 1), "end": date(2027, 2, 1), "label": "later"},
        ]
    )

    kept = bands_within(bands, date(2025, 5, 1), date(2026, 1, 1))

    assert list(kept["label"]) == ["a", "open"]


def test_the_unpublished_labels_sit_at_the_foot_and_the_badges_above_the_plot():
    events = events_of((date(2025, 4, 20), "No. 18 in force", "measure"))

    figure = monthly_bars(
        SPAN_YEAR, title="t", events=events, unpublished=((date(2025, 5, 1), date(2025, 5, 1), 0),)
    )

    badge, foot = figure["layout"]["annotations"]
    assert (badge["y"], badge["yanchor"]) == (1, "bottom")
    assert (foot["y"], foot["yanchor"], foot["text"]) == (0, "bottom", "not yet published")


def test_an_unknown_event_kind_is_refused():
    with pytest.raises(ValueError, match="unknown event kind"):
        add_events(empty_figure(), events_of((date(2025, 1, 1), "?", "rumour")))


def test_no_events_leave_the_figure_unmarked():
    figure = add_events(empty_figure(), events_of())

    assert figure["layout"]["shapes"] == []
    assert figure["layout"]["annotations"] == []


# figure_json


def test_figure_json_round_trips_with_the_trace_types():
    figures = {
        "bar": monthly_bars(SPAN_YEAR, title="t", events=EVENTS),
        "scatter": year_to_date_lines(SPAN_YEAR, year=2025),
        "choropleth": destination_map(DESTINATIONS),
    }

    for trace_type, figure in figures.items():
        loaded = json.loads(figure_json(figure))
        assert {trace["type"] for trace in loaded["data"]} == {trace_type}

    bars = json.loads(figure_json(figures["bar"]))
    assert bars["data"][0]["x"][1] == "2025-02-01"
    assert len(bars["layout"]["shapes"]) == 4


def test_figure_json_carries_our_template_not_plotlys_default():
    loaded = json.loads(figure_json(destination_bars(DESTINATIONS)))

    template = loaded["layout"]["template"]
    assert "system-ui" in template["layout"]["font"]["family"]
    assert "data" not in template


def every_builders_figure() -> dict[str, dict]:
    return {
        "monthly_bars": monthly_bars(SPAN_YEAR, title="t", events=EVENTS),
        "year_to_date_lines": year_to_date_lines(SPAN_YEAR, year=2025),
        "destination_bars": destination_bars(STACKED),
        "destination_bars, not reported": destination_bars(REPORTED, stamp="s"),
        "monthly_bars, marked": monthly_bars(
            SPAN_YEAR,
            title="t",
            events=EVENTS,
            bands=pd.DataFrame([{"start": date(2025, 1, 5), "end": None, "label": "x"}]),
            unpublished=((date(2025, 5, 1), date(2025, 5, 1), True),),
            stamp="s",
        ),
        "destination_map": destination_map(DESTINATIONS),
        "no periods": monthly_bars(summary_of(), title="t"),
    }


@pytest.mark.parametrize("name", list(every_builders_figure()))
def test_each_figure_is_one_plotlys_own_schema_accepts(name):
    figure = every_builders_figure()[name]

    # graph_objects refuse any property, value or trace type plotly.js does not know.
    checked = go.Figure(figure)

    assert [trace.type for trace in checked.data] == [trace["type"] for trace in figure["data"]]


def test_a_missing_figure_is_null_in_the_json_never_nan():
    summary = SPAN_YEAR.copy()
    summary.loc[2, "tonnes"] = NAN

    loaded = json.loads(figure_json(monthly_bars(summary, title="t")))

    assert loaded["data"][0]["y"] == [4000.0, 9876.5, None, 4392.1]


def test_figure_json_refuses_a_nan_rather_than_write_json_a_browser_cannot_read():
    with pytest.raises(ValueError, match="not JSON compliant"):
        figure_json({"data": [{"type": "bar", "y": [NAN]}], "layout": {}})


# "Not reported by destination": stacks add up to the total to all destinations


def test_the_stacks_add_up_to_the_total_with_what_no_partner_accounts_for():
    figure = destination_bars(REPORTED)

    names = [trace["name"] for trace in figure["data"]]
    assert names == ["DEU", "USA", OTHER, NOT_REPORTED]
    assert "" not in names, "the total is not a partner of its own"
    december = {
        trace["name"]: dict(zip(trace["x"], trace["y"], strict=True))[date(2025, 12, 1)]
        for trace in figure["data"]
    }
    assert december[NOT_REPORTED] == 5952.0 - 844.0
    assert sum(december.values()) == 5952.0
    november = sum(
        dict(zip(t["x"], t["y"], strict=True))[date(2025, 11, 1)] for t in figure["data"]
    )
    assert november == 650.0


def test_what_is_not_reported_is_never_below_zero():
    frame = destinations_of({date(2025, 12, 1): {"DEU": 700.0, "": 650.0}})

    figure = destination_bars(frame)

    # The partners sum to more than the total (revisions): nothing is "not reported".
    assert [trace["name"] for trace in figure["data"]] == ["DEU"]


# Measures: tonnes, value in the series' one unit, value per tonne

VALUED = summary_of(
    period(date(2025, 3, 1), tonnes=2000.0), period(date(2025, 4, 1), tonnes=0.0)
).assign(value=[Decimal("3.497"), Decimal("150")], value_unit=["CNY_100M", "CNY_1M"])


def test_value_is_plotted_in_the_series_one_unit_whatever_unit_each_was_stored_in():
    figure = monthly_bars(VALUED, title="t", measure=VALUE, unit="CNY_1M")

    [bars] = figure["data"]
    assert bars["y"] == [pytest.approx(349.7), pytest.approx(150.0)]
    assert figure["layout"]["yaxis"]["title"]["text"] == "CNY million"
    assert "CNY 349.7 million" in bars["hovertext"][0]
    assert "CNY_100M" not in json.dumps(figure_json(figure))


def test_unit_value_is_the_value_per_tonne_in_the_currency_and_n_a_at_zero_tonnes():
    figure = monthly_bars(VALUED, title="t", measure=UNIT_VALUE, unit="CNY_1M")

    [bars] = figure["data"]
    assert bars["y"][0] == pytest.approx(349_700_000 / 2000)
    assert bars["y"][1] is None
    assert figure["layout"]["yaxis"]["title"]["text"] == "CNY per tonne"
    assert "CNY 174,850 per tonne" in bars["hovertext"][0]


def test_a_measure_the_series_cannot_give_is_refused():
    with pytest.raises(ValueError):
        measured(VALUED, VALUE, "")


def test_several_partners_are_one_line_each_with_the_same_marks():
    japan = summary_of(period(date(2025, 3, 1), tonnes=10.0), period(date(2025, 4, 1), tonnes=12.0))
    korea = summary_of(period(date(2025, 3, 1), tonnes=5.0))

    figure = partner_lines(
        {"Japan": japan, "South Korea": korea},
        title="t",
        events=events_of((date(2025, 3, 20), "No. 18 in force", "measure")),
    )

    assert [(t["type"], t["name"], t["y"]) for t in figure["data"]] == [
        ("scatter", "Japan", [10.0, 12.0]),
        ("scatter", "South Korea", [5.0]),
    ]
    assert [note["text"] for note in figure["layout"]["annotations"]] == ["1"]
    go.Figure(figure)


def test_the_stamp_names_the_source_the_data_date_and_raregate_in_the_subtitle():
    stamp = stamp_text(source="China customs (GACC)", runs_to="Dec 2025")

    figure = monthly_bars(SPAN_YEAR, title="t", stamp=stamp)

    assert stamp == "Source: China customs (GACC) · data to Dec 2025 · RareGate"
    assert figure["layout"]["title"]["subtitle"]["text"] == stamp
    assert figure["layout"]["title"]["text"] == "t"
    go.Figure(figure)
    assert destination_bars(REPORTED, stamp=stamp)["layout"]["title"]["subtitle"]["text"] == stamp
