"""What every app's pages share: a permission, a place in the navigation, a service's errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect


class PageMixin(PermissionRequiredMixin):
    """A page that needs a permission (403 without it) and marks its navigation section."""

    section = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context


class FilterPageMixin(PageMixin):
    """A FilterView page that says whether its query asks for any filter (its "Clear" link)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filtered"] = any(self.request.GET.get(name) for name in self.filterset.filters)
        return context


class ServiceFormMixin(PageMixin):
    """A form page whose data a service stores; the service's errors go back on the form.

    The form has core.forms.ServiceErrorsMixin; a stored object is announced and its detail
    page (`detail_url`, a URL name taking its pk) shown.
    """

    detail_url = ""

    def store(self, form: Any) -> Model:
        raise NotImplementedError

    def success_message(self, stored: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            stored = self.store(form)
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(stored))
        return redirect(self.detail_url, pk=stored.pk)
