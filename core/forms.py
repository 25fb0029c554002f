"""What every app's forms share: a service's errors on the form, friendly filter selects."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.formatting import day_short

DATE_PLACEHOLDER = "1 Dec 2026"


class DateInput(forms.DateInput):
    """A date typed as every page writes one, "1 Dec 2026" (or "2026-12-01": the input formats
    of core/formats). Not the browser's date picker: it writes the browser's locale's style
    (mm/dd/yyyy) beside pages that say "1 Dec 2026"."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {
            "placeholder": DATE_PLACEHOLDER,
            "autocomplete": "off",
            "class": "date-input",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, date):
            return day_short(value)
        return super().format_value(value)  # what was typed, shown back as it was


class DateField(forms.DateField):
    """A date field of every form and filter: typed "1 Dec 2026" or "2026-12-01"."""

    widget = DateInput


class ServiceErrorsMixin:
    """A form whose data a service stores, and which shows that service's errors."""

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's error beside the field it names, or above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                known = field in self.fields or field == NON_FIELD_ERRORS
                self.add_error(field if known else None, errors)
        else:
            self.add_error(None, error)


class ServiceModelForm(ServiceErrorsMixin, forms.ModelForm):
    """A model form whose service validates and stores: the form only cleans what was typed
    (no model validation, its instance never changed or saved); the service runs full_clean,
    names the field of each broken constraint and its errors come back on the form."""

    def _post_clean(self) -> None:
        pass

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields, as the service takes them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class QuickSelect(forms.Select):
    """A single <select> written in Python, with the markup of Django's own.

    Django renders each <option> through a template, about 0.1 ms apiece: the approvals filter,
    with every automaker and exporter, spent more time on its options than on its query.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # Through iter(): list() would ask a ModelChoiceIterator its length, a COUNT query.
        choices = list(iter(self.choices))
        if any(isinstance(label, list | tuple) for _, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(choice)}"{" selected" if str(choice) in chosen else ""}>'
            f"{escape(label)}</option>"
            for choice, label in choices
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final_attrs, mark_safe(options))


def label_empty_choices(form: forms.Form) -> None:
    """Name the empty choice of each select "Any …" instead of a row of dashes (and write the
    selects with QuickSelect)."""
    for bound in form:
        field = bound.field
        if type(field.widget) is forms.Select:
            field.widget = QuickSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        label = f"Any {str(bound.label).lower()}"
        if getattr(field, "empty_label", None) is not None:
            field.empty_label = label
            # The widget holds its own copy of the choices, made before the label changed.
            field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField):
            field.choices = [
                (value, label if value == "" else text) for value, text in field.choices
            ]
