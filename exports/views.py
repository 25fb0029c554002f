"""The imports pages: upload a customs file, the list of batches, one batch, its file and errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from core.downloads import csv_download
from core.views import FilterPageMixin, PageMixin, Pager, pager
from exports import services
from exports.forms import ImportBatchFilter, ImportUploadForm, WithdrawalForm
from exports.models import ExportRecord, ImportBatch
from exports.presentation import records_shown
from exports.selectors import figure_history
from exports.services.batches import InvalidTransition
from exports.services.withdrawal import withdrawal_words

SECTION = "imports"
RECORDS_PER_PAGE = 50
# The stages import_batch_process reports, in order.
STAGES = [
    ("reading", "Reading the file"),
    ("parsing", "Parsing and checking the rows"),
    ("writing", "Storing the records"),
]


def duration_label(batch: ImportBatch) -> str:
    """How long the batch ran, e.g. "0.4 s", "2 min 05 s"; empty when it has not finished."""
    if batch.started_at is None or batch.finished_at is None:
        return ""
    seconds = (batch.finished_at - batch.started_at).total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@dataclass
class BatchRow:
    batch: ImportBatch
    duration: str


@dataclass
class Step:
    label: str
    state: str  # "done", "current" or "waiting"
    detail: str = ""


def progress_steps(progress: dict | None) -> list[Step]:
    """The stages of a running import, as import_batch_progress last reported them."""
    stage = (progress or {}).get("stage")
    names = [name for name, _ in STAGES]
    if stage in names:
        current = names.index(stage)
    elif stage in ImportBatch.FINISHED:
        current = len(names)  # finished a moment ago; the batch row is about to say so
    else:
        current = -1  # not started
    steps = []
    for index, (name, label) in enumerate(STAGES):
        state = "done" if index < current else "current" if index == current else "waiting"
        detail = ""
        if name == "parsing" and progress and progress.get("size"):
            detail = filesizeformat(progress["size"])
        elif name == "writing" and progress and progress.get("rows") is not None:
            detail = f"{progress['rows']:,} rows"
        steps.append(Step(label, state, detail if state != "waiting" else ""))
    return steps


@dataclass
class RecordsPage:
    pager: Pager
    value_unit: str  # in words, for the value column's heading; "" when the rows differ


def records_pager(
    request: HttpRequest, records: QuerySet, *, param: str, anchor: str
) -> RecordsPage:
    """One page of records, shown in their series' units, with links that keep the other
    table's page."""
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get(param))
    page.object_list = list(page.object_list)
    value_unit = records_shown(page.object_list)
    return RecordsPage(pager(request, page, param=param, anchor=anchor), value_unit)


def say_registered(request: HttpRequest, batch: ImportBatch, created: bool) -> None:
    """Tell the user what became of a file given to import_batch_register (upload or commit of a
    preview)."""
    if created and getattr(batch, "queue_failed", False):
        messages.warning(
            request,
            f"Stored as import {batch.pk}; the import queue is unreachable, so it will "
            "start automatically once it is back (checked every few minutes).",
        )
    elif getattr(batch, "retried", False):
        messages.success(
            request, f"This file failed before as import {batch.pk}: it will run again."
        )
    elif created:
        _say_outcome(request, batch)
    elif batch.status == ImportBatch.Status.WITHDRAWN:
        messages.warning(
            request,
            f"This file was imported as import {batch.pk}, then {withdrawal_words(batch)}. "
            "It was not imported again.",
        )
    else:
        messages.info(
            request,
            f"This file was already uploaded as import {batch.pk}: nothing new was stored.",
        )


def _say_outcome(request: HttpRequest, batch: ImportBatch) -> None:
    """What became of a new batch as it stands now: imported already where tasks run in the web
    process (the demo), else queued for the workers."""
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.SUCCEEDED:
        messages.success(
            request,
            f"Imported {batch.original_name}: {batch.rows_stored:,} "
            f"figure{'' if batch.rows_stored == 1 else 's'} stored, of which "
            f"{batch.rows_superseding:,} revised; {batch.rows_unchanged:,} unchanged.",
        )
    elif batch.status == ImportBatch.Status.FAILED:
        messages.error(request, f"{batch.original_name} was not imported: {batch.message}")
    else:
        messages.success(
            request, f"Queued: {batch.original_name} will be imported in the background."
        )


def upload_progress(batch: ImportBatch | None) -> dict[str, Any]:
    """The upload's import as the page follows it (JSON): its stages and state now."""
    if batch is None:
        return {"batch": None, "status": "", "steps": []}
    progress = services.import_batch_progress(batch.pk)
    steps = progress_steps(progress) if not batch.is_finished else []
    return {
        "batch": batch.pk,
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "steps": [
            {"label": step.label, "state": step.state, "detail": step.detail} for step in steps
        ],
    }


class ImportUploadProgressView(PermissionRequiredMixin, View):
    """GET: how the import of the upload named by the browser's token stands (upload.js)."""

    permission_required = "exports.add_importbatch"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        batch_id = services.upload_batch_id(token)
        batch = ImportBatch.objects.filter(pk=batch_id).first() if batch_id else None
        return JsonResponse(upload_progress(batch))


class ImportUploadView(PageMixin, FormView):
    permission_required = "exports.add_importbatch"
    form_class = ImportUploadForm
    template_name = "exports/batch_form.html"
    section = SECTION

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            batch, created = services.import_batch_register(
                file=upload,
                original_name=upload.name,
                uploaded_by=self.request.user,
                progress_token=form.cleaned_data["progress_token"],
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        say_registered(self.request, batch, created)
        if self.request.headers.get("X-RareGate-Upload"):
            # upload.js: where to go, so that the message waits for that page.
            return JsonResponse({"url": reverse("exports:batch-detail", args=[batch.pk])})
        return redirect("exports:batch-detail", pk=batch.pk)


class ImportBatchRetryView(PermissionRequiredMixin, View):
    """Run a failed import again (POST), from the file it stored."""

    permission_required = "exports.add_importbatch"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ImportBatch, pk=pk)
        if batch.status != ImportBatch.Status.FAILED:
            messages.info(request, f"Import {batch.pk} has not failed: it was not run again.")
            return redirect("exports:batch-detail", pk=batch.pk)
        try:
            services.import_batch_retry(batch_id=batch.pk)
        except services.InvalidTransition as refusal:  # a fetch that stored no answer
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Import {batch.pk} will run again from its file.")
        return redirect("exports:batch-detail", pk=batch.pk)


class ImportBatchWithdrawView(PageMixin, FormView):
    """Withdraw a succeeded import (POST from its page, with a reason and a confirmation); the
    form again, with what is missing, when either is."""

    permission_required = "exports.add_importbatch"
    form_class = WithdrawalForm
    template_name = "exports/batch_withdraw.html"
    section = SECTION
    http_method_names = ["get", "post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.batch = get_object_or_404(ImportBatch, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(batch=self.batch, **kwargs)

    def form_valid(self, form: WithdrawalForm) -> HttpResponse:
        try:
            services.import_batch_withdraw(
                batch_id=self.batch.pk, reason=form.cleaned_data["reason"], user=self.request.user
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        except InvalidTransition as error:
            messages.error(self.request, str(error))
        else:
            messages.success(
                self.request,
                f"Import {self.batch.pk} is withdrawn: the figures it had revised count again, "
                "and the summaries are being rebuilt.",
            )
        return redirect("exports:batch-detail", pk=self.batch.pk)


class ImportBatchListView(FilterPageMixin, FilterView):
    permission_required = "exports.view_importbatch"
    # A batch's row errors can run to megabytes; the list shows only the counts.
    queryset = ImportBatch.objects.select_related("uploaded_by").defer(
        "errors", "warnings", "skipped_reasons"
    )
    filterset_class = ImportBatchFilter
    template_name = "exports/batch_list.html"
    paginate_by = 50
    section = SECTION

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            BatchRow(batch, duration_label(batch)) for batch in context["object_list"]
        ]
        return context


class ImportBatchDetailView(PageMixin, DetailView):
    permission_required = "exports.view_importbatch"
    queryset = ImportBatch.objects.select_related("uploaded_by", "withdrawn_by")
    template_name = "exports/batch_detail.html"
    context_object_name = "batch"
    section = SECTION

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        batch = self.object
        progress = None if batch.is_finished else services.import_batch_progress(batch.pk)
        context.update(
            duration=duration_label(batch),
            steps=None if batch.is_finished else progress_steps(progress),
            errors_shown=batch.errors[: settings.IMPORT_ERRORS_SHOWN],
            errors_total=len(batch.errors),
            skipped_reasons=sorted(
                batch.skipped_reasons.items(), key=lambda item: (-item[1], item[0])
            ),
            withdrawal_form=WithdrawalForm(),
        )
        # Only a batch that succeeded stored anything: a failed one wrote nothing. A withdrawn
        # one keeps its records, no longer current, and what it had revised is current again.
        if batch.status in (ImportBatch.Status.SUCCEEDED, ImportBatch.Status.WITHDRAWN):
            context.update(
                stored=records_pager(
                    self.request,
                    batch.records.select_related("series"),
                    param="page",
                    anchor="records",
                ),
                superseded=records_pager(
                    self.request,
                    batch.superseded_records.select_related("series"),
                    param="superseded_page",
                    anchor="superseded",
                ),
            )
        return context


class ImportBatchFileView(PermissionRequiredMixin, View):
    permission_required = "exports.view_importbatch"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ImportBatch.objects.only("file", "original_name"), pk=pk)
        if not batch.file:
            raise Http404("This import has no file: a fetch that got no answer.")
        try:
            handle = batch.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("The uploaded file is missing from storage.") from error
        return FileResponse(handle, as_attachment=True, filename=batch.original_name)


class ImportBatchErrorsView(PermissionRequiredMixin, View):
    permission_required = "exports.view_importbatch"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ImportBatch.objects.only("errors"), pk=pk)
        return csv_download(
            f"import-{pk}-errors.csv",
            ["line", "column", "message"],
            ([error.get(key) for key in ("line", "column", "message")] for error in batch.errors),
        )


class FigureHistoryView(PageMixin, DetailView):
    """Every version of one figure: the one shown now and those it revised."""

    permission_required = "exports.view_exportrecord"
    template_name = "exports/figure_history.html"
    section = "imports"
    queryset = ExportRecord.objects.select_related("series")
    context_object_name = "record"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        record = self.object
        versions = list(
            figure_history(
                series=record.series.code,
                period_start=record.period_start,
                period_end=record.period_end,
                partner=record.partner,
            )
        )
        value_unit = records_shown(versions)
        return super().get_context_data(versions=versions, value_unit=value_unit, **kwargs)
