"""Licences: the list with expiry warnings, one licence with its history, record and edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from core.downloads import FilterDownloadMixin, Table
from core.views import FilterPageMixin, PageMixin, ServiceFormMixin
from licensing import services
from licensing.downloads import licence_table
from licensing.filters import LicenceFilter
from licensing.forms import LicenceForm, statuses_from
from licensing.models import Licence
from licensing.selectors import licences_expiring
from licensing.views.history import change_history


@dataclass
class LicenceRow:
    licence: Licence
    days_left: int | None
    expiring: bool


def licence_rows(licences: list[Licence], on: Any) -> list[LicenceRow]:
    return [
        LicenceRow(licence, licence.days_to_end(on), licence.is_expiring_on(on))
        for licence in licences
    ]


class LicenceListView(FilterDownloadMixin, FilterPageMixin, FilterView):
    permission_required = "licensing.view_licence"
    filterset_class = LicenceFilter
    queryset = Licence.objects.select_related("exporter").prefetch_related("transitions")
    template_name = "licensing/licence_list.html"
    paginate_by = 50
    section = "licences"

    def table(self, queryset: QuerySet[Licence]) -> Table:
        return licence_table(queryset, on=timezone.localdate())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        on = timezone.localdate()
        context.update(
            on=on,
            rows=licence_rows(context["object_list"], on),
            warning_days=settings.EXPIRY_WARNING_DAYS,
            expiring_count=licences_expiring(
                within_days=settings.EXPIRY_WARNING_DAYS, on=on
            ).count(),
        )
        return context


class LicenceDetailView(PageMixin, DetailView):
    permission_required = "licensing.view_licence"
    queryset = Licence.objects.select_related("exporter", "renews__exporter").prefetch_related(
        "elements",
        "hs_codes",
        "transitions__recorded_by",
        "renewals__exporter",
        "parties__importer",
        "parties__automaker",
    )
    template_name = "licensing/licence_detail.html"
    context_object_name = "licence"
    section = "licences"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        licence = self.object
        on = timezone.localdate()
        can_view_approvals = self.request.user.has_perm("licensing.view_approval")
        approvals = (
            licence.approvals.select_related("automaker", "exporter", "importer")
            if can_view_approvals
            else None
        )
        context.update(
            on=on,
            days_left=licence.days_to_end(on),
            expiring=licence.is_expiring_on(on),
            valid=licence.is_valid_on(on),
            status_today=Licence.Status(licence.status_on(on)),
            changes=licence.transitions.all(),
            renewals=licence.renewals.all(),
            can_view_approvals=can_view_approvals,
            approvals=approvals,
            history=change_history(licence.history.select_related("history_user", "exporter")),
        )
        return context


class LicenceFormMixin(ServiceFormMixin):
    model = Licence
    form_class = LicenceForm
    template_name = "licensing/licence_form.html"
    section = "licences"
    detail_url = "licensing:licence-detail"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lifecycle"] = [(status, statuses_from(status)) for status in Licence.Status]
        return context


class LicenceCreateView(LicenceFormMixin, CreateView):
    permission_required = "licensing.add_licence"

    def store(self, form: LicenceForm) -> Licence:
        return services.licence_create(**form.service_data(), user=self.request.user)

    def success_message(self, licence: Licence) -> str:
        return f"Licence recorded: {licence}."


class LicenceUpdateView(LicenceFormMixin, UpdateView):
    permission_required = "licensing.change_licence"
    queryset = Licence.objects.select_related("exporter").prefetch_related(
        "elements", "hs_codes", "transitions"
    )

    def store(self, form: LicenceForm) -> Licence:
        try:
            return services.licence_update(
                licence=self.object, data=form.service_data(), user=self.request.user
            )
        except ValidationError:
            # The service sets the new values before it refuses them; the page shows the
            # licence as stored, beside the values typed.
            self.object.refresh_from_db()
            raise

    def success_message(self, licence: Licence) -> str:
        return f"Licence updated: {licence}."
