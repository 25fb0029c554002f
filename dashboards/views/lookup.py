"""The code lookup page: what applies to a commodity, HS or control code, or an element, on a day,
with the licences that cover it and the export series that measure it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.views.generic import TemplateView

from core.forms import DateField
from core.views import PageMixin
from dashboards.lookup import code_answer
from licensing.controls import NotACode


class LookupForm(forms.Form):
    code = forms.CharField(
        label="Code or element",
        max_length=40,
        help_text="8505111000, 8505.11, 1C902, Dy or dysprosium.",
    )
    on = DateField(label="On", required=False)


class ControlLookupView(PageMixin, TemplateView):
    permission_required = "licensing.view_controlmeasure"
    template_name = "dashboards/lookup.html"
    section = "measures"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = LookupForm(self.request.GET or None, initial={"on": today})
        answer = None
        if form.is_valid():
            on = form.cleaned_data["on"] or today
            try:
                answer = code_answer(code=form.cleaned_data["code"], on=on)
            except NotACode as error:
                form.add_error("code", str(error))
        context.update(form=form, answer=answer, today=today)
        return context
