"""Forms of the imports pages; the services do the storing."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from core.forms import ServiceErrorsMixin
from exports.models import ImportBatch

ACCEPTED_FORMATS = (
    "RareGate CSV (series, period, partner, tonnes, value, value_unit, source_url); "
    "a GACC table of major export commodities (.xlsx, .xls or .csv); "
    "a UN Comtrade API download (CSV or JSON); "
    "a UN Comtrade bulk file (.tsv, or .gz compressed)"
)


class ImportUploadForm(ServiceErrorsMixin, forms.Form):
    # Empty files pass the form: the service refuses them, with the same message as the API.
    file = forms.FileField(label="Customs file", allow_empty_file=True)
    # Set by static/js/upload.js: the name under which the page follows the import as it runs.
    progress_token = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,64}$", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read here, not at import, so that the limit follows the settings in force.
        self.fields["file"].help_text = (
            f"Accepted: {ACCEPTED_FORMATS}. The format is recognised from the content, not the "
            f"file name. At most {filesizeformat(settings.IMPORT_MAX_BYTES)}."
        )


class PreviewCommitForm(forms.Form):
    """Import the file just previewed: its kept bytes, named by a signed token."""

    token = forms.CharField(widget=forms.HiddenInput)


class WithdrawalForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Why withdraw it",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the import and shown in each of its figures' history.",
    )
    confirm = forms.BooleanField(
        label="Withdraw this import: its figures stop counting, and those it revised count again",
        error_messages={"required": "Tick this to confirm the withdrawal."},
    )


class ImportBatchFilter(django_filters.FilterSet):
    """The batches by status and format, alike on the page and in the API."""

    # Not "format": the API reads that query parameter as the response format (?format=json).
    file_format = django_filters.ChoiceFilter(
        field_name="format", choices=ImportBatch.Format.choices, label="Format"
    )

    class Meta:
        model = ImportBatch
        fields = ["status", "file_format"]
