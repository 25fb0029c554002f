"""Control measures: the timeline of announcements and what was in force on a given day."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from core.downloads import download_format, table_download
from core.views import PageMixin, pager
from licensing.controls import measures_naming
from licensing.downloads import measure_table
from licensing.forms import MeasureDayForm
from licensing.states import MeasureOn, State, state_on

TIMELINE_PAGE_SIZE = 50


class ControlMeasureListView(PageMixin, TemplateView):
    permission_required = "licensing.view_controlmeasure"
    template_name = "licensing/controlmeasure_list.html"
    section = "measures"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        format = download_format(request)
        form = MeasureDayForm(request.GET)
        if format and form.is_valid():
            data = form.cleaned_data
            return table_download(
                measure_table(
                    on=data["on"] or timezone.localdate(),
                    element=data["element"].symbol if data["element"] else None,
                    hs_code=data["hs_code"].code if data["hs_code"] else None,
                ),
                format,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = MeasureDayForm(self.request.GET or None, initial={"on": today})
        on, element, hs_code = today, None, None
        if form.is_valid():
            on = form.cleaned_data["on"] or today
            element = form.cleaned_data["element"]
            hs_code = form.cleaned_data["hs_code"]
        # One read of the register serves both lists: what applies that day, and the timeline
        # (a measure not yet announced that day has no state).
        measures = measures_naming(
            element=element.symbol if element else None,
            hs_code=hs_code.code if hs_code else None,
        ).order_by("effective_from", "announced_on", "reference")
        rows = [MeasureOn(measure, state_on(measure, on)) for measure in measures]
        page = Paginator(rows, TIMELINE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            form=form,
            today=today,
            on=on,
            element=element,
            hs_code=hs_code,
            changed=on != today or element is not None or hs_code is not None,
            # What applies that day: in force, or not known to have stopped.
            in_force=[
                row
                for row in rows
                if row.state and row.state.state in (State.IN_FORCE, State.AWAITING_CONFIRMATION)
            ],
            timeline=page.object_list,
            pager=pager(self.request, page),
        )
        return context
