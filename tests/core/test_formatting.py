"""Figures and dates as every page writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template

from core.formatting import (
    day_in_words,
    day_short,
    expiry_in_words,
    money_in_words,
    percent,
    percent_number,
    period_in_words,
    tonnes,
)
from core.forms import DateField
from core.templatetags.raregate import money, period, tonnes_from_kg
from exports.presentation import value_as_given, value_shown


def test_the_one_column_of_the_issue_reads_alike():
    # 4,446 / 4,709.542 / 4,392.100 t in one column, as the issue found them.
    column = [tonnes(4446), tonnes(Decimal("4709.542")), tonnes(Decimal("4392.100"))]
    assert column == ["4,446.0 t", "4,709.5 t", "4,392.1 t"]


def test_tonnes_have_thousands_and_one_decimal_or_none():
    assert tonnes(Decimal("4392.06")) == "4,392.1 t"
    assert tonnes(4446) == "4,446.0 t"
    assert tonnes(62584.6) == "62,584.6 t"
    assert tonnes(None) == "n/a"


def test_percentages_are_signed_with_a_real_minus_and_round_half_up():
    assert percent(26.5) == "+26.5%"
    assert percent(-20.14) == "\u221220.1%"
    assert percent(0.25) == "+0.3%"
    assert percent(None) == "n/a"
    assert percent_number(0.25) == 0.3
    assert percent_number(None) is None


def test_dates_in_words():
    assert day_in_words(date(2026, 11, 10)) == "10 November 2026"


def test_an_expiry_in_words_never_says_in_0_days():
    assert expiry_in_words(5) == "expires in 5 days"
    assert expiry_in_words(1) == "expires tomorrow"
    assert expiry_in_words(0) == "expires today"
    assert expiry_in_words(-1) == "expired yesterday"
    assert expiry_in_words(-3) == "expired 3 days ago"


def test_a_cap_kept_in_kg_is_shown_in_tonnes_and_never_rounded_away():
    assert tonnes_from_kg(2500) == "2.5 t"
    assert tonnes_from_kg(Decimal("1234")) == "1.2 t (1,234 kg)"
    assert tonnes_from_kg(12) == "0.0 t (12 kg)"
    assert tonnes_from_kg(None) == "—"


def test_a_value_is_written_in_words_of_its_unit():
    assert money_in_words(349.7, "CNY million") == "CNY 349.7 million"
    assert money_in_words(Decimal("1234.5"), "USD thousand") == "USD 1,234.5 thousand"
    assert money_in_words(1234.0, "USD") == "USD 1,234.0"
    assert money_in_words(12345.678, "CNY", digits=0) == "CNY 12,346"
    assert money_in_words(Decimal("350.000"), "CNY million", digits=None) == "CNY 350 million"
    assert money_in_words(None, "CNY million") == "n/a"


def test_a_value_given_in_hundreds_of_millions_is_never_written_with_its_code():
    # "3.497 CNY_100M" and "5.863 100 million CNY" were on the pages; both now read in millions.
    assert value_as_given(Decimal("3.497"), "CNY_100M") == "CNY 349.7 million"
    assert value_as_given(Decimal("5.863"), "CNY_100M") == "CNY 586.3 million"
    assert value_as_given(Decimal("34971.6"), "CNY_10K") == "CNY 349.716 million"
    assert value_as_given(Decimal("1234.5"), "USD_1K") == "USD 1,234.5 thousand"
    shown = value_shown(Decimal("3.497"), "CNY_100M", "CNY_1M")
    assert (shown.number, shown.words) == ("349.7", "CNY 349.7 million")
    assert money(shown) == "CNY 349.7 million"
    assert money(Decimal("1234.5"), "USD thousand") == "USD 1,234.5 thousand"


def test_periods_are_written_as_short_months():
    assert period_in_words(date(2025, 11, 1)) == "Nov 2025"
    assert period_in_words(date(2026, 1, 1), date(2026, 2, 1)) == "Jan–Feb 2026"
    assert period(date(2025, 11, 1)) == "Nov 2025"
    assert period((date(2026, 1, 1), date(2026, 2, 1))) == "Jan–Feb 2026"


def test_days_are_written_one_way_on_pages_and_by_djangos_date_filter():
    assert day_short(date(2026, 12, 1)) == "1 Dec 2026"
    rendered = Template("{{ on|date }}|{% load raregate %}{{ on|day }}").render(
        Context({"on": date(2026, 12, 1)})
    )
    assert rendered == '1 Dec 2026|<time datetime="2026-12-01">1 Dec 2026</time>'


class OneDate(forms.Form):
    on = DateField()


def test_a_date_input_shows_1_dec_2026_and_is_no_browser_date_picker():
    html = str(OneDate(initial={"on": date(2026, 12, 1)})["on"])
    assert 'type="text"' in html
    assert 'value="1 Dec 2026"' in html
    assert 'placeholder="1 Dec 2026"' in html


def test_a_date_input_takes_the_pages_style_and_iso_dates():
    for typed in ("1 Dec 2026", "01 dec 2026", "1 December 2026", "2026-12-01", "01/12/2026"):
        form = OneDate({"on": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["on"] == date(2026, 12, 1)
    assert not OneDate({"on": "12/31/2026"}).is_valid()  # never read as US month/day


def test_a_model_forms_date_field_takes_the_pages_style_too():
    assert forms.DateField().clean("1 Dec 2026") == date(2026, 12, 1)


def test_the_api_still_takes_iso_dates_only():
    from rest_framework import serializers

    field = serializers.DateField()
    assert field.to_internal_value("2026-12-01") == date(2026, 12, 1)
    with pytest.raises(serializers.ValidationError):
        field.to_internal_value("1 Dec 2026")
