from __future__ import annotations

from django import forms

from licensing.alerts.models import AlertSubscription


class AlertSubscriptionForm(forms.ModelForm):
    class Meta:
        model = AlertSubscription
        fields = ["email_digest"]
        labels = {"email_digest": "E-mail me a digest of new alerts each morning"}
