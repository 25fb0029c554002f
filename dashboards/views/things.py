"""The pages of an element and of an HS or commodity code: the controls on a day (?on=, today by
default), the licences valid that day that cover it, the series that measure it, and every
measure that names it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from core.forms import DateInput
from core.views import PageMixin
from dashboards.lookup import UnknownThing, element_answer, hs_code_answer


class OnForm(forms.Form):
    on = forms.DateField(label="On", required=False, widget=DateInput())


class ThingPageMixin(PageMixin):
    template_name = "dashboards/thing.html"
    section = "measures"

    def answer(self, on):
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = OnForm(self.request.GET or None, initial={"on": today})
        on = (form.cleaned_data["on"] if form.is_valid() else None) or today
        try:
            context.update(self.answer(on))
        except UnknownThing:
            raise Http404("No such element or code on record.") from None
        context.update(form=form, on=on, today=today)
        return context


class ElementDetailView(ThingPageMixin, TemplateView):
    permission_required = "licensing.view_element"

    def answer(self, on):
        element, answer = element_answer(symbol=self.kwargs["symbol"], on=on)
        return {"element": element, "answer": answer, "title": str(element)}


class CodeDetailView(ThingPageMixin, TemplateView):
    permission_required = "licensing.view_hscode"

    def answer(self, on):
        hs_code, answer = hs_code_answer(code=self.kwargs["code"], on=on)
        label = f"HS {hs_code.code}" if hs_code else f"Commodity code {answer.lookup.code}"
        return {"hs_code": hs_code, "answer": answer, "title": label}
