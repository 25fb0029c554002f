"""The register's forms: a measure (and what happened when its suspension ended), the review of
a screening match, and the 0.1 % calculator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import DateField, DateInput, ServiceErrorsMixin, ServiceModelForm
from core.links import web_url
from licensing.forms import source_url_field
from licensing.models import ControlItem, ControlMeasure, ScreeningMatch
from licensing.selectors import normalise_hs_code

DATES = [
    "announced_on",
    "effective_from",
    "suspended_from",
    "suspended_until",
    "in_force_until",
    "extended_until",
    "outcome_known_on",
]


def change_source_field() -> forms.URLField:
    return forms.URLField(
        label="Source of this change",
        max_length=500,
        assume_scheme="https",
        validators=[web_url],
        help_text="Where what you record here is said: the announcement, a notice, a report.",
    )


class ControlMeasureForm(ServiceModelForm):
    hs_codes = forms.CharField(
        label="HS codes",
        required=False,
        max_length=500,
        help_text="Separated by commas or semicolons, e.g. 2805.30; 8505.11.",
    )
    source_url = source_url_field("The announcement itself, or the best copy of it.")
    outcome_source_url = source_url_field("Where the lapse, extension or end is said.")
    change_source_url = change_source_field()

    class Meta:
        model = ControlMeasure
        fields = [
            "reference",
            "authority",
            "kind",
            "title",
            *DATES[:5],
            "suspended_by",
            "elements",
            "source_url",
            "outcome",
            "extended_until",
            "outcome_known_on",
            "outcome_source_url",
        ]
        widgets = {name: DateInput() for name in DATES} | {
            "elements": forms.CheckboxSelectMultiple,
            "title": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"outcome": "What happened when the suspension ended"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["hs_codes"].initial = "; ".join(
                code.code for code in self.instance.hs_codes.all()
            )
            self.fields["suspended_by"].queryset = ControlMeasure.objects.exclude(
                pk=self.instance.pk
            )
        self.fields["source_url"].required = True

    def clean_hs_codes(self) -> list[str]:
        text = self.cleaned_data["hs_codes"].replace(",", ";")
        return [normalise_hs_code(code) for code in text.split(";") if code.strip()]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["hs_codes"] = self.cleaned_data["hs_codes"]
        return data


class ScreeningReviewForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ScreeningMatch.Status.CONFIRMED, "Confirm: it is this entry"),
            (ScreeningMatch.Status.DISMISSED, "Dismiss: a different company"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Why: the address, the registration number, the announcement's wording.",
    )


class DeMinimisForm(forms.Form):
    item_value = forms.DecimalField(
        label="Value of the foreign-made item",
        min_value=Decimal("0.01"),
        max_digits=18,
        decimal_places=2,
        help_text="In any one currency.",
    )
    content_value = forms.DecimalField(
        label="Value of its Chinese-origin controlled rare-earth content",
        min_value=Decimal("0"),
        max_digits=18,
        decimal_places=2,
        help_text="In the same currency.",
    )
    chinese_technology = forms.BooleanField(
        label="Made with Chinese rare-earth technology", required=False
    )
    on = DateField(label="On", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        item, content = cleaned.get("item_value"), cleaned.get("content_value")
        if item is not None and content is not None and content > item:
            self.add_error("content_value", "The content cannot be worth more than the item.")
        cleaned["on"] = cleaned.get("on") or timezone.localdate()
        return cleaned


class ControlItemForm(ServiceModelForm):
    codes = forms.CharField(
        label="Commodity codes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: China's 10-digit code (2805301910) or a 6-digit HS "
        "subheading (280530); they take the item's source and confidence.",
    )
    source_url = source_url_field("Where the item is listed: the announcement's annex.")
    change_source_url = change_source_field()

    class Meta:
        model = ControlItem
        fields = [
            "control_code",
            "elements",
            "form",
            "form_detail",
            "description",
            "confidence",
            "confidence_note",
            "quote",
            "source_url",
        ]
        widgets = {
            "elements": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 2}),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["codes"].initial = "\n".join(
                code.commodity_code or code.hs_subheading for code in self.instance.codes.all()
            )
        self.fields["source_url"].required = True

    def clean_codes(self) -> list[str]:
        codes = []
        for line in self.cleaned_data["codes"].splitlines():
            digits = "".join(character for character in line if character.isdigit())
            if not line.strip():
                continue
            if len(digits) not in (6, 8, 10):
                raise forms.ValidationError(
                    f"“{line.strip()[:20]}” is not a 6-, 8- or 10-digit code."
                )
            codes.append(digits)
        return codes

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["codes"] = self.cleaned_data["codes"]
        return data
