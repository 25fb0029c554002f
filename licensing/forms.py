"""Forms of the licensing pages; the services do the storing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from core.forms import DateField, DateInput, ServiceErrorsMixin, ServiceModelForm
from core.links import web_url
from licensing.models import (
    Approval,
    Automaker,
    Element,
    HsCode,
    Importer,
    Licence,
    LicenceParty,
    SupplyLink,
)
from licensing.scenarios import Event
from licensing.search import picker_attrs
from licensing.validators import ALLOWED

Status = Licence.Status


def pick(form: forms.BaseForm, kinds: dict[str, str]) -> None:
    """Make these fields' <select>s type-aheads of their kind (static/js/picker.js); without
    script they stay plain <select>s."""
    for name, kind in kinds.items():
        form.fields[name].widget.attrs.update(picker_attrs(kind))


def source_url_field(help_text: str) -> forms.URLField:
    """Where a claim or a licence is reported: optional, and https when no scheme is typed."""
    return forms.URLField(
        label="Source URL",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[web_url],
        help_text=help_text,
    )


class ApprovalForm(ServiceErrorsMixin, forms.ModelForm):
    source_url = source_url_field("Give a source URL, attach an evidence file, or both.")

    class Meta:
        model = Approval
        fields = [
            "automaker",
            "exporter",
            "importer",
            "licence",
            "licence_kind",
            "status",
            "extent",
            "evidence_grade",
            "claimed_on",
            "statement",
            "source_url",
            "evidence_file",
        ]
        labels = {
            "claimed_on": "Claimed on",
            "evidence_file": "Evidence file",
        }
        help_texts = {
            "exporter": "Leave empty when the claim names no exporter; a licence implies its own.",
            "importer": "The consignee, when shipments go through one.",
            "licence": "Leave empty when the claim does not name the licence.",
            "claimed_on": "The date of the statement or notice.",
            "extent": "“Some”, when the source says only some of its suppliers are covered.",
            "statement": "What the source says, in its own words where possible.",
        }
        widgets = {
            "claimed_on": DateInput(),
            "statement": forms.Textarea(attrs={"rows": 4}),
            # Not clearable: an approval keeps its evidence; a new file replaces the old one.
            "evidence_file": forms.FileInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A licence is labelled with its exporter's name: fetch them together.
        self.fields["licence"].queryset = Licence.objects.select_related("exporter")
        self.fields["automaker"].empty_label = "Choose an automaker"
        for name in ("exporter", "importer", "licence"):
            self.fields[name].empty_label = "Not named"
        pick(
            self,
            {
                "automaker": "automaker",
                "exporter": "exporter",
                "importer": "importer",
                "licence": "licence",
            },
        )
        self.fields["licence_kind"].choices = [("", "Not stated"), *Licence.Kind.choices]
        self.fields["extent"].required = False  # all of its supply unless said otherwise
        self.fields["status"].choices = [("", "Choose a status"), *Approval.Status.choices]
        self.fields["evidence_grade"].choices = [
            ("", "Choose a grade"),
            *Approval.EvidenceGrade.choices,
        ]
        self.fields["evidence_file"].help_text = (
            f"Optional: {ALLOWED}. Stored privately; only users who may see approvals can "
            "download it."
        )

    def clean_extent(self) -> str:
        return self.cleaned_data["extent"] or Approval.Extent.ALL

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields as the approval services take them."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        upload = data.pop("evidence_file")
        # Without a new upload the field cleans to the stored file, which must not be re-stored.
        if isinstance(upload, UploadedFile):
            data["evidence_file"] = upload
        return data


class ElementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Element) -> str:
        return f"{obj.symbol} · {obj.name}"


class HsCodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: HsCode) -> str:
        return f"{obj.code} · {obj.description}" if obj.description else obj.code


def statuses_from(status: str) -> list[Status]:
    """The statuses a licence may move to from this one, in lifecycle order."""
    allowed = Licence.TRANSITIONS[Status(status)]
    return [choice for choice in Status if choice in allowed]


def lifecycle_note(status: str) -> str:
    """One line on where a licence in this status may go, e.g. "From revoked: none (final)"."""
    onward = ", ".join(choice.label.lower() for choice in statuses_from(status))
    return f"From {Status(status).label.lower()}: {onward or 'none (final)'}."


class LicenceForm(ServiceModelForm):
    source_url = source_url_field(
        "Where the licence is reported: a notice, a filing or a news report."
    )
    # Its parties (LicenceParty), in licensing's words.
    consignees = forms.ModelMultipleChoiceField(
        queryset=Importer.objects.all(),
        required=False,
        help_text="The importers it names as consignees, if the source names any.",
    )
    end_users = forms.ModelMultipleChoiceField(
        label="End users",
        queryset=Automaker.objects.all(),
        required=False,
        help_text="The automakers it names as end users.",
    )

    class Meta:
        model = Licence
        fields = [
            "exporter",
            "kind",
            "number",
            "status",
            "issued_on",
            "valid_from",
            "valid_until",
            "elements",
            "hs_codes",
            "quantity_cap_kg",
            "customer_scope",
            "renews",
            "renewal_status",
            "notes",
            "source_url",
        ]
        field_classes = {"elements": ElementChoiceField, "hs_codes": HsCodeChoiceField}
        labels = {
            "hs_codes": "HS codes",
            "quantity_cap_kg": "Quantity cap (kg)",
        }
        help_texts = {
            "number": "Often not public: leave empty when the source does not give it.",
            "valid_from": "Needed, with “valid until”, once the licence has been issued.",
            "quantity_cap_kg": "Leave empty when the licence states no cap.",
            "customer_scope": "Whom the licence lets the exporter supply, as the source says.",
            "renews": "The licence this one renews: claims resting on that one carry on to this.",
            "renewal_status": "What is known of a renewal for when this licence ends.",
        }
        widgets = {
            "issued_on": DateInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "elements": forms.CheckboxSelectMultiple(),
            "hs_codes": forms.CheckboxSelectMultiple(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exporter"].empty_label = "Choose an exporter"
        self.fields["kind"].choices = [("", "Choose a kind"), *Licence.Kind.choices]
        renewable = Licence.objects.select_related("exporter").order_by(
            "exporter__name", "-valid_until"
        )
        self.fields["renews"].queryset = renewable.exclude(pk=self.instance.pk)
        self.fields["renews"].empty_label = "None: a first licence"
        pick(
            self,
            {
                "exporter": "exporter",
                "renews": "licence",
                "consignees": "importer",
                "end_users": "automaker",
            },
        )
        self.fields["renewal_status"].required = False  # unknown when not given
        if self.instance.pk:
            parties = list(self.instance.parties.all())
            self.initial["consignees"] = [p.importer_id for p in parties if p.importer_id]
            self.initial["end_users"] = [p.automaker_id for p in parties if p.automaker_id]
        # The stored status, kept before anything can change the instance.
        self.current_status = self.instance.status if self.instance.pk else None
        if self.current_status:
            # Offer only the moves the lifecycle allows. The field still accepts every status,
            # so that a forged one reaches the service and gets its message, not a generic one.
            current = Status(self.current_status)
            self.fields["status"].widget.choices = [
                (current.value, f"{current.label} (current)"),
                *((choice.value, choice.label) for choice in statuses_from(current)),
            ]

    def clean_renewal_status(self) -> str:
        return self.cleaned_data["renewal_status"] or Licence.RenewalStatus.UNKNOWN

    @property
    def lifecycle_note(self) -> str:
        return lifecycle_note(self.current_status) if self.current_status else ""

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields as the licence services take them (the services also check a
        status change against the stored licence)."""
        data = super().service_data()
        consignees = [
            {"role": LicenceParty.Role.CONSIGNEE, "importer": importer}
            for importer in self.cleaned_data["consignees"]
        ]
        end_users = [
            {"role": LicenceParty.Role.END_USER, "automaker": automaker}
            for automaker in self.cleaned_data["end_users"]
        ]
        return data | {"parties": consignees + end_users}


class MeasureDayForm(forms.Form):
    """Which day, element and HS code the control-measures page looks at."""

    on = DateField(label="In force on", required=False)
    element = forms.ModelChoiceField(
        queryset=Element.objects.all(),
        to_field_name="symbol",
        required=False,
        empty_label="Any element",
    )
    hs_code = forms.ModelChoiceField(
        label="HS code",
        queryset=HsCode.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="Any HS code",
    )


class WhatIfForm(forms.Form):
    """Which licence the what-if page takes away, and how."""

    # A number or an id, not a list of every licence: there are thousands.
    licence = forms.CharField(
        max_length=100,
        help_text="Its number, or # and its id as the licence list shows it (e.g. #12).",
    )
    event = forms.ChoiceField(label="If it is", choices=Event.CHOICES)
    on = DateField(
        label="Revoked on",
        required=False,
        help_text="For a revocation; today when empty.",
    )

    def clean_licence(self) -> Licence:
        given = self.cleaned_data["licence"].strip()
        licences = Licence.objects.select_related("exporter")
        found = []
        if not given.startswith("#"):
            found = list(licences.filter(number__iexact=given)[:2])
        if not found and given.removeprefix("#").isdigit():
            found = list(licences.filter(pk=int(given.removeprefix("#"))))
        if not found:
            raise forms.ValidationError(f"No licence has the number or id “{given}”.")
        if len(found) > 1:
            raise forms.ValidationError(
                f"More than one licence has the number “{given}”: give its id instead."
            )
        return found[0]


class ImporterForm(ServiceModelForm):
    class Meta:
        model = Importer
        fields = ["name", "country", "kind"]
        help_texts = {
            "name": "As the company names itself, e.g. “Robert Bosch GmbH”.",
            "country": "ISO 3166-1 alpha-3 code, e.g. DEU, USA, JPN.",
        }


class SupplyLinkForm(ServiceModelForm):
    source_url = source_url_field("Where it is said: a filing, a statement, a news report.")

    class Meta:
        model = SupplyLink
        fields = [
            "supplier_exporter",
            "supplier_importer",
            "customer_importer",
            "customer_automaker",
            "valid_from",
            "valid_until",
            "evidence",
            "source_url",
        ]
        labels = {
            "supplier_exporter": "Supplier: an exporter",
            "supplier_importer": "Supplier: an importer",
            "customer_importer": "Customer: an importer",
            "customer_automaker": "Customer: an automaker",
        }
        help_texts = {
            "valid_from": "Leave empty when the source does not say since when.",
            "valid_until": "Leave empty while it is not known to have ended.",
        }
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[:4]:
            self.fields[name].empty_label = "—"
        pick(
            self,
            {
                "supplier_exporter": "exporter",
                "supplier_importer": "importer",
                "customer_importer": "importer",
                "customer_automaker": "automaker",
            },
        )
