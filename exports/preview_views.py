"""Preview an upload before importing it, then import what was previewed without uploading it
again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView

from core.views import PageMixin
from exports import services
from exports.forms import ImportUploadForm, PreviewCommitForm
from exports.services.preview import PREVIEW_SHOWN
from exports.services.reading import upload_read
from exports.views import SECTION, say_registered


class ImportPreviewView(PageMixin, FormView):
    """The upload form's "Preview" (POST): what the file would change, nothing stored but the
    bytes kept for "Import this file"; the form again when the file is refused."""

    permission_required = "exports.add_importbatch"
    form_class = ImportUploadForm
    template_name = "exports/batch_form.html"
    section = SECTION

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return redirect("exports:batch-create")

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            data = upload_read(file=upload, name=upload.name)
            preview = services.import_preview(data=data, file_name=upload.name)
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        commit_form = None
        if preview.committable:
            token = services.import_preview_stage(
                data=data, sha256=preview.sha256, file_name=upload.name, user=self.request.user
            )
            commit_form = PreviewCommitForm(initial={"token": token})
        context = {
            "preview": preview,
            "commit_form": commit_form,
            "shown_at_most": PREVIEW_SHOWN,
            "section": SECTION,
        }
        return render(self.request, "exports/preview.html", context)


class ImportPreviewCommitView(PermissionRequiredMixin, View):
    """ "Import this file" (POST): the previewed bytes become an import, as an upload would."""

    permission_required = "exports.add_importbatch"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreviewCommitForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Nothing to import: preview the file first.")
            return redirect("exports:batch-create")
        try:
            batch, created = services.import_preview_commit(
                token=form.cleaned_data["token"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("exports:batch-create")
        say_registered(request, batch, created)
        return redirect("exports:batch-detail", pk=batch.pk)
