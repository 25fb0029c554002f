"""What if a licence were not renewed, or revoked: who would lose all cover, from when."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from core.views import PageMixin
from licensing import scenarios
from licensing.forms import WhatIfForm


class WhatIfView(PageMixin, TemplateView):
    permission_required = "licensing.view_automaker"
    template_name = "licensing/what_if.html"
    section = "automakers"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = WhatIfForm(self.request.GET or None)
        losses = licence = None
        if form.is_valid():
            data = form.cleaned_data
            on = data["on"] or timezone.localdate()
            licence = data["licence"]
            losses = scenarios.what_if(licence, data["event"], on)
        context.update(form=form, losses=losses, licence=licence)
        return context
