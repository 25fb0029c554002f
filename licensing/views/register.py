"""The register's pages: a measure with its items and history, Compliance's edits, the entity
lists, the review of screening matches, and the 0.1 % calculator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from core.views import PageMixin, ServiceFormMixin
from licensing import register, screening
from licensing.controls import MEASURES
from licensing.de_minimis import de_minimis_check
from licensing.models import (
    ControlItem,
    ControlItemCode,
    ControlMeasure,
    EntityListEntry,
    ScreeningMatch,
)
from licensing.register_forms import (
    ControlItemForm,
    ControlMeasureForm,
    DeMinimisForm,
    ScreeningReviewForm,
)
from licensing.states import state_on
from licensing.views.history import change_history


class ControlMeasureDetailView(PageMixin, DetailView):
    permission_required = "licensing.view_controlmeasure"
    queryset = MEASURES
    template_name = "licensing/controlmeasure_detail.html"
    context_object_name = "measure"
    section = "measures"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measure = self.object
        today = timezone.localdate()
        codes = ControlItemCode.objects.order_by("commodity_code", "hs_subheading")
        context.update(
            today=today,
            state=state_on(measure, today),
            items=measure.items.prefetch_related("elements", Prefetch("codes", codes)),
            suspends=measure.suspends.order_by("effective_from", "reference"),
            entries=measure.entries.count(),
            history=change_history(measure.history.select_related("history_user", "suspended_by")),
        )
        return context


class ControlMeasureFormMixin(ServiceFormMixin):
    model = ControlMeasure
    form_class = ControlMeasureForm
    template_name = "licensing/controlmeasure_form.html"
    section = "measures"
    detail_url = "licensing:controlmeasure-detail"

    def success_message(self, measure: ControlMeasure) -> str:
        return f"Measure saved: {measure}."

    def _data(self, form: ControlMeasureForm) -> tuple[dict[str, Any], str]:
        data = form.service_data()
        data["hs_codes"] = register.hs_codes_named(data["hs_codes"])
        return data, form.cleaned_data["change_source_url"]


class ControlMeasureCreateView(ControlMeasureFormMixin, CreateView):
    permission_required = "licensing.add_controlmeasure"

    def store(self, form: ControlMeasureForm) -> ControlMeasure:
        data, source = self._data(form)
        return register.control_measure_create(
            **data, change_source_url=source, user=self.request.user
        )


class ControlMeasureUpdateView(ControlMeasureFormMixin, UpdateView):
    permission_required = "licensing.change_controlmeasure"

    def store(self, form: ControlMeasureForm) -> ControlMeasure:
        data, source = self._data(form)
        return register.control_measure_update(
            measure=self.object, data=data, change_source_url=source, user=self.request.user
        )


class EntityListView(PageMixin, ListView):
    permission_required = "licensing.view_entitylistentry"
    template_name = "licensing/entity_list.html"
    context_object_name = "entries"
    paginate_by = 50
    section = "lists"

    def get_queryset(self):
        entries = EntityListEntry.objects.select_related("measure").order_by(
            "-listed_on", "list", "name_en"
        )
        chosen = self.request.GET.get("list", "")
        if chosen in EntityListEntry.List.values:
            entries = entries.filter(list=chosen)
        name = self.request.GET.get("q", "").strip()[:100]
        if name:
            entries = entries.filter(Q(name_en__icontains=name) | Q(name_zh__icontains=name))
        return entries

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            lists=EntityListEntry.List.choices,
            chosen=self.request.GET.get("list", ""),
            q=self.request.GET.get("q", "")[:100],
            **kwargs,
        )


class ScreeningListView(PageMixin, ListView):
    """The possible matches Compliance has to review, then those reviewed."""

    permission_required = "licensing.view_screeningmatch"
    template_name = "licensing/screening_list.html"
    context_object_name = "matches"
    paginate_by = 50
    section = "lists"
    queryset = ScreeningMatch.objects.select_related(
        "entry", "automaker", "importer", "reviewed_by"
    ).order_by("status", "-score", "id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            form=ScreeningReviewForm(),
            can_review=self.request.user.has_perm("licensing.change_screeningmatch"),
            **kwargs,
        )


class ScreeningReviewView(PageMixin, FormView):
    permission_required = "licensing.change_screeningmatch"
    form_class = ScreeningReviewForm
    template_name = "licensing/screening_review.html"
    section = "lists"

    def dispatch(self, request, *args, **kwargs):
        self.match = get_object_or_404(
            ScreeningMatch.objects.select_related("entry", "automaker", "importer"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            match=self.match,
            history=change_history(self.match.history.select_related("history_user")),
            **kwargs,
        )

    def form_valid(self, form: ScreeningReviewForm):
        try:
            screening.screening_match_review(
                match=self.match,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Match {self.match.get_status_display().lower()}: {self.match}."
        )
        return redirect("licensing:screening-list")


class DeMinimisView(PageMixin, FormView):
    """Whether Announcement No. 61 asks a MOFCOM licence for a foreign-made item on a day."""

    permission_required = "licensing.view_controlmeasure"
    form_class = DeMinimisForm
    template_name = "licensing/de_minimis.html"
    section = "measures"

    def get_form_kwargs(self) -> dict[str, Any]:
        # A question, not a change: asked by GET, so that an answer can be linked.
        return {"data": self.request.GET or None, "initial": {"on": timezone.localdate()}}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            context["answer"] = de_minimis_check(
                item_value=data["item_value"],
                content_value=data["content_value"],
                chinese_technology=data["chinese_technology"],
                on=data["on"],
            )
        return context


class ControlItemFormMixin(ServiceFormMixin):
    model = ControlItem
    form_class = ControlItemForm
    template_name = "licensing/controlitem_form.html"
    section = "measures"

    def success_message(self, item: ControlItem) -> str:
        return f"Control item saved: {item}."

    def form_valid(self, form: ControlItemForm):
        try:
            item = self.store(form)
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(item))
        return redirect("licensing:controlmeasure-detail", pk=item.measure_id)


class ControlItemCreateView(ControlItemFormMixin, CreateView):
    permission_required = "licensing.add_controlitem"

    def dispatch(self, request, *args, **kwargs):
        self.measure = get_object_or_404(ControlMeasure, pk=kwargs["measure"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(measure=self.measure, **kwargs)

    def store(self, form: ControlItemForm) -> ControlItem:
        data = form.service_data() | {"measure": self.measure}
        return register.control_item_save(
            data=data,
            change_source_url=form.cleaned_data["change_source_url"],
            user=self.request.user,
        )


class ControlItemUpdateView(ControlItemFormMixin, UpdateView):
    permission_required = "licensing.change_controlitem"
    queryset = ControlItem.objects.select_related("measure")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(measure=self.object.measure, **kwargs)

    def store(self, form: ControlItemForm) -> ControlItem:
        return register.control_item_save(
            item=self.object,
            data=form.service_data(),
            change_source_url=form.cleaned_data["change_source_url"],
            user=self.request.user,
        )
