"""Alerts: what is about to run out or has, and the user's choice of a daily e-mail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, View

from core.views import PageMixin
from licensing.alerts.forms import AlertSubscriptionForm
from licensing.alerts.models import Alert, AlertAcknowledgement, AlertSubscription
from licensing.alerts.selectors import alerts_list


class AlertListView(PageMixin, ListView):
    permission_required = "licensing.view_alert"
    template_name = "licensing/alert_list.html"
    context_object_name = "alerts"
    section = "alerts"
    paginate_by = 50

    def get_queryset(self):
        kind = self.request.GET.get("kind", "")
        self.kind = kind if kind in Alert.Kind.values else ""
        self.open_only = self.request.GET.get("open") == "1"
        return alerts_list(user=self.request.user, kind=self.kind, open_only=self.open_only)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        subscription = AlertSubscription.objects.filter(user=self.request.user).first()
        context.update(
            kinds=Alert.Kind.choices,
            kind=self.kind,
            open_only=self.open_only,
            subscription_form=AlertSubscriptionForm(
                instance=subscription or AlertSubscription(user=self.request.user)
            ),
            has_email=bool(self.request.user.email),
        )
        return context


class AlertSubscriptionView(PageMixin, View):
    permission_required = "licensing.view_alert"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        subscription, _ = AlertSubscription.objects.get_or_create(user=request.user)
        form = AlertSubscriptionForm(request.POST, instance=subscription)
        if form.is_valid():
            form.save()
            if subscription.email_digest:
                messages.success(request, "You will get an e-mail when new alerts are raised.")
            else:
                messages.success(request, "You will no longer get alert e-mails.")
        return redirect("licensing:alert-list")


class AlertAcknowledgeView(PageMixin, View):
    """POST: the user has dealt with the alert (for them only); back to where they were."""

    permission_required = "licensing.view_alert"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        alert = get_object_or_404(Alert, pk=pk)
        AlertAcknowledgement.objects.get_or_create(alert=alert, user=request.user)
        messages.success(request, "Alert acknowledged: it stays on the list, no longer as new.")
        back = request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect("licensing:alert-list")
