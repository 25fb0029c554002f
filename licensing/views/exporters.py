"""Exporters: the list with the licences each holds valid today, and one exporter's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.views.generic import DetailView, ListView

from core.views import PageMixin
from licensing import parties
from licensing.models import Exporter
from licensing.views.history import change_history


class ExporterFilterForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, required=False)


class ExporterListView(PageMixin, ListView):
    permission_required = "licensing.view_exporter"
    template_name = "licensing/exporter_list.html"
    context_object_name = "exporters"
    paginate_by = 50
    section = "exporters"

    def get_queryset(self):
        self.form = ExporterFilterForm(self.request.GET or None)
        name = self.form.cleaned_data["name"].strip() if self.form.is_valid() else ""
        return parties.exporters_listed(on=timezone.localdate(), name=name)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form, filtered=bool(self.request.GET.get("name")), on=timezone.localdate()
        )
        return context


# The page shows this many licences and approvals; the lists, filtered by the exporter, have all.
SHOWN = 50


class ExporterDetailView(PageMixin, DetailView):
    permission_required = "licensing.view_exporter"
    model = Exporter
    template_name = "licensing/exporter_detail.html"
    context_object_name = "exporter"
    section = "exporters"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        exporter, on, user = self.object, timezone.localdate(), self.request.user
        held = parties.exporter_licences(exporter, on=on)
        licences = [row.licence for row in held]
        can_view_approvals = user.has_perm("licensing.view_approval")
        can_view_lists = user.has_perm("licensing.view_entitylistentry")
        context.update(
            on=on,
            held=held,
            valid_count=sum(row.valid for row in held),
            customers=parties.exporter_customers(
                exporter, licences, with_links=user.has_perm("licensing.view_supplylink")
            ),
            shown=SHOWN,
            held_shown=held[:SHOWN],
            can_view_approvals=can_view_approvals,
            can_view_lists=can_view_lists,
            listings=parties.exporter_listings(exporter) if can_view_lists else None,
            history=change_history(exporter.history.select_related("history_user")),
        )
        if can_view_approvals:
            approvals = parties.exporter_approvals(exporter)
            context.update(approvals=approvals[:SHOWN], approval_count=approvals.count())
        return context
