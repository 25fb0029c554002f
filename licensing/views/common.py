"""What every licensing page shares: a permission, a place in the navigation, friendly filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin


class PageMixin(PermissionRequiredMixin):
    """A page that needs a permission (403 without it) and marks its navigation section."""

    section = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context


def label_empty_choices(form: forms.Form) -> None:
    """Name the empty choice of each select "Any …" instead of a row of dashes."""
    for bound in form:
        field = bound.field
        label = f"Any {str(bound.label).lower()}"
        if getattr(field, "empty_label", None) is not None:
            field.empty_label = label
            # The widget holds its own copy of the choices, made before the label changed.
            field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField):
            field.choices = [
                (value, label if value == "" else text) for value, text in field.choices
            ]
