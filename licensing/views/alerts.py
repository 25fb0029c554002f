"""Alerts: what is about to run out or has, and the user's choice of a daily e-mail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import ListView, View

from core.profile import back_to
from core.views import PageMixin
from licensing.alerts.forms import AlertSubscriptionForm
from licensing.alerts.models import Alert, AlertAcknowledgement, AlertSubscription
from licensing.alerts.selectors import alerts_list
from licensing.alerts.services import alert_subscription_set


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
    """POST from the alerts page or the profile page: back to the page it came from."""

    permission_required = "licensing.view_alert"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AlertSubscriptionForm(request.POST)
        if form.is_valid():
            subscription = alert_subscription_set(
                user=request.user, email_digest=form.cleaned_data["email_digest"]
            )
            if not subscription.email_digest:
                messages.success(request, "You will no longer get alert e-mails.")
            elif request.user.email:
                messages.success(
                    request,
                    f"You will get an e-mail at {request.user.email} when new alerts are raised.",
                )
            else:
                messages.warning(
                    request,
                    "Digest turned on, but your account has no e-mail address: add one on your "
                    "profile to receive it.",
                )
        return redirect(back_to(request, reverse("licensing:alert-list")))


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
