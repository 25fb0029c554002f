"""QuickSelect writes the markup of Django's own Select, faster."""

from __future__ import annotations

import re

import pytest
from django import forms

from core.forms import QuickSelect
from licensing.models import Automaker
from tests.factories import AutomakerFactory

pytestmark = pytest.mark.django_db


def tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("chosen", [None, "", "pick"])
def test_it_writes_what_djangos_select_writes(chosen):
    chosen_automaker = AutomakerFactory(name="Ford <Motor> & Co")
    AutomakerFactory(name="Toyota")
    value = chosen_automaker.pk if chosen == "pick" else chosen

    class Form(forms.Form):
        automaker = forms.ModelChoiceField(Automaker.objects.order_by("name"), required=False)
        kind = forms.ChoiceField(choices=[("", "Any"), ("a", "A & B")], required=False)

    form = Form({"automaker": value, "kind": "a"})
    expected = [tidy(bound) for bound in form]
    for field in form.fields.values():
        field.widget = QuickSelect(choices=field.widget.choices)

    assert [tidy(bound) for bound in form] == expected
    assert "Ford &lt;Motor&gt; &amp; Co" in expected[0]
