"""Control measures: the timeline of announcements and what was in force on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from core.views import PageMixin, pager
from licensing.forms import MeasureDayForm
from licensing.models import ControlMeasure
from licensing.selectors import measures_in_force


@dataclass
class MeasureRow:
    measure: ControlMeasure
    announced: bool
    effective: bool
    in_force: bool
    suspended: bool
    lapsed: bool
    ended: bool

    @property
    def back_in_force_on(self) -> date | None:
        until = self.measure.suspended_until
        return until + timedelta(days=1) if until else None


def measure_row(measure: ControlMeasure, on: date, in_force_ids: set[int]) -> MeasureRow:
    return MeasureRow(
        measure=measure,
        announced=measure.announced_on <= on,
        effective=measure.effective_from <= on,
        in_force=measure.pk in in_force_ids,
        suspended=measure.is_suspended_on(on),
        lapsed=measure.suspension_lapsed_on(on),
        ended=measure.has_ended_on(on),
    )


TIMELINE_PAGE_SIZE = 50


class ControlMeasureListView(PageMixin, TemplateView):
    permission_required = "licensing.view_controlmeasure"
    template_name = "licensing/controlmeasure_list.html"
    section = "measures"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = MeasureDayForm(self.request.GET or None, initial={"on": today})
        on, element, hs_code = today, None, None
        if form.is_valid():
            on = form.cleaned_data["on"] or today
            element = form.cleaned_data["element"]
            hs_code = form.cleaned_data["hs_code"]
        in_force = list(
            measures_in_force(
                on=on,
                element=element.symbol if element else None,
                hs_code=hs_code.code if hs_code else None,
            )
        )
        timeline = ControlMeasure.objects.prefetch_related("elements", "hs_codes").order_by(
            "effective_from", "announced_on", "reference"
        )
        if element:
            timeline = timeline.filter(elements=element)
        if hs_code:
            timeline = timeline.filter(hs_codes=hs_code)
        in_force_ids = {measure.pk for measure in in_force}
        page = Paginator(timeline.distinct(), TIMELINE_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            form=form,
            today=today,
            on=on,
            element=element,
            hs_code=hs_code,
            changed=on != today or element is not None or hs_code is not None,
            in_force=[measure_row(measure, on, in_force_ids) for measure in in_force],
            timeline=[measure_row(measure, on, in_force_ids) for measure in page],
            pager=pager(self.request, page),
        )
        return context
