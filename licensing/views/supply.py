"""Importers and the supply links between exporters, importers and automakers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from core.views import PageMixin, ServiceFormMixin
from licensing import parties, services
from licensing.forms import ImporterForm, SupplyLinkForm
from licensing.models import Importer, SupplyLink
from licensing.selectors import LINK_RELATED
from licensing.views.history import change_history


class ImporterListView(PageMixin, ListView):
    permission_required = "licensing.view_importer"
    queryset = Importer.objects.annotate(
        customers=Count("supplies", distinct=True), suppliers=Count("supplied_by", distinct=True)
    ).order_by("name", "country", "pk")
    template_name = "licensing/importer_list.html"
    context_object_name = "importers"
    paginate_by = 50
    section = "importers"


class ImporterDetailView(PageMixin, DetailView):
    permission_required = "licensing.view_importer"
    model = Importer
    template_name = "licensing/importer_detail.html"
    context_object_name = "importer"
    section = "importers"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        importer, on = self.object, timezone.localdate()
        links = SupplyLink.objects.select_related(*LINK_RELATED)
        context.update(
            supplied_by=links.filter(customer_importer=importer),
            supplies=links.filter(supplier_importer=importer),
            named_on=parties.licences_naming(importer, on=on),
            on=on,
            history=change_history(importer.history.select_related("history_user")),
        )
        return context


class ImporterFormMixin(ServiceFormMixin):
    model = Importer
    form_class = ImporterForm
    template_name = "licensing/importer_form.html"
    section = "importers"
    detail_url = "licensing:importer-detail"

    def success_message(self, importer: Importer) -> str:
        return f"Importer saved: {importer}."


class ImporterCreateView(ImporterFormMixin, CreateView):
    permission_required = "licensing.add_importer"

    def store(self, form: ImporterForm) -> Importer:
        return services.importer_create(**form.service_data(), user=self.request.user)


class ImporterUpdateView(ImporterFormMixin, UpdateView):
    permission_required = "licensing.change_importer"

    def store(self, form: ImporterForm) -> Importer:
        return services.importer_update(
            importer=self.object, data=form.service_data(), user=self.request.user
        )


class SupplyLinkFormMixin(ServiceFormMixin):
    model = SupplyLink
    form_class = SupplyLinkForm
    template_name = "licensing/supplylink_form.html"
    section = "importers"
    detail_url = "licensing:supplylink-update"

    def success_message(self, link: SupplyLink) -> str:
        return f"Supply link saved: {link}."


class SupplyLinkCreateView(SupplyLinkFormMixin, CreateView):
    """Starts from the parties in the query string (?customer_automaker=3), if any."""

    permission_required = "licensing.add_supplylink"

    def get_initial(self) -> dict[str, Any]:
        names = SupplyLinkForm.Meta.fields[:4]
        return {name: value for name, value in self.request.GET.items() if name in names}

    def store(self, form: SupplyLinkForm) -> SupplyLink:
        return services.supply_link_record(**form.service_data(), user=self.request.user)


class SupplyLinkUpdateView(SupplyLinkFormMixin, UpdateView):
    permission_required = "licensing.change_supplylink"
    queryset = SupplyLink.objects.select_related(*LINK_RELATED)

    def store(self, form: SupplyLinkForm) -> SupplyLink:
        try:
            return services.supply_link_update(
                link=self.object, data=form.service_data(), user=self.request.user
            )
        except ValidationError:
            self.object.refresh_from_db()
            raise

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = change_history(self.object.history.select_related("history_user"))
        return context
