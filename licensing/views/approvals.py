"""Approvals: list, detail with history, evidence download, and the record and edit forms."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from core.downloads import FilterDownloadMixin, Table
from core.views import FilterPageMixin, PageMixin, ServiceFormMixin
from licensing import services
from licensing.downloads import approval_table
from licensing.filters import ApprovalFilter
from licensing.forms import ApprovalForm
from licensing.models import Approval
from licensing.selectors import claim_status
from licensing.validators import CONTENT_TYPES, SNIFFED_BYTES, sniff_evidence_kind
from licensing.views.history import change_history

APPROVAL_RELATED = ("automaker", "exporter", "importer", "licence", "licence__exporter")


class ApprovalListView(FilterDownloadMixin, FilterPageMixin, FilterView):
    permission_required = "licensing.view_approval"
    filterset_class = ApprovalFilter
    queryset = Approval.objects.select_related(*APPROVAL_RELATED)
    template_name = "licensing/approval_list.html"
    paginate_by = 50
    section = "approvals"

    def table(self, queryset: QuerySet[Approval]) -> Table:
        return approval_table(queryset, on=timezone.localdate())


class ApprovalDetailView(PageMixin, DetailView):
    permission_required = "licensing.view_approval"
    template_name = "licensing/approval_detail.html"
    context_object_name = "approval"
    section = "approvals"

    def get_queryset(self):
        return Approval.objects.select_related(*APPROVAL_RELATED, "recorded_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        on = timezone.localdate()
        records = self.object.history.select_related(
            "history_user", *APPROVAL_RELATED, "recorded_by"
        )
        context.update(
            on=on,
            cover=claim_status(self.object, on),
            history=change_history(records),
        )
        return context


def inert_download(handle, filename: str) -> FileResponse:
    """An evidence file as an attachment typed by its content (not by its name), which no
    browser runs: nosniff, and a sandbox with no script, origin or plugin."""
    head = handle.read(SNIFFED_BYTES)
    handle.seek(0)
    kind = sniff_evidence_kind(head)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


class ApprovalEvidenceView(PermissionRequiredMixin, View):
    permission_required = "licensing.view_approval"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        approval = get_object_or_404(Approval, pk=pk)
        if not approval.evidence_file:
            raise Http404("This approval has no evidence file.")
        try:
            handle = approval.evidence_file.open("rb")
        except FileNotFoundError as error:
            raise Http404("The evidence file is missing from storage.") from error
        filename = approval.evidence_file_name or PurePath(approval.evidence_file.name).name
        return inert_download(handle, filename)


class ApprovalFormMixin(ServiceFormMixin):
    model = Approval
    form_class = ApprovalForm
    template_name = "licensing/approval_form.html"
    section = "approvals"
    detail_url = "licensing:approval-detail"


class ApprovalCreateView(ApprovalFormMixin, CreateView):
    permission_required = "licensing.add_approval"

    def store(self, form: ApprovalForm) -> Approval:
        return services.approval_record(**form.service_data(), user=self.request.user)

    def success_message(self, approval: Approval) -> str:
        return f"Approval recorded: {approval}."


class ApprovalUpdateView(ApprovalFormMixin, UpdateView):
    permission_required = "licensing.change_approval"
    queryset = Approval.objects.select_related(*APPROVAL_RELATED)

    def store(self, form: ApprovalForm) -> Approval:
        return services.approval_update(
            approval=self.object, data=form.service_data(), user=self.request.user
        )

    def success_message(self, approval: Approval) -> str:
        return f"Approval updated: {approval}."
