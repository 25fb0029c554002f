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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read here, not at import, so that the limit follows the settings in force.
        self.fields["file"].help_text = (
            f"Accepted: {ACCEPTED_FORMATS}. The format is recognised from the content, not the "
            f"file name. At most {filesizeformat(settings.IMPORT_MAX_BYTES)}."
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
