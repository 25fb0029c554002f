"""Writes to the licensing domain. Each service validates fully and stores all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from licensing.models import (
    LICENCE_HISTORY,
    Approval,
    Automaker,
    Element,
    Exporter,
    HsCode,
    Importer,
    Licence,
)
from licensing.validation import full_clean_naming_fields

Status = Licence.Status

LICENCE_FIELDS = {
    "exporter",
    "kind",
    "number",
    "status",
    "issued_on",
    "valid_from",
    "valid_until",
    "quantity_cap_kg",
    "customer_scope",
    "notes",
    "source_url",
}
APPROVAL_FIELDS = {
    "automaker",
    "exporter",
    "importer",
    "licence",
    "licence_kind",
    "status",
    "evidence_grade",
    "claimed_on",
    "statement",
    "source_url",
    "evidence_file",
}


def _check_transition(*, old: Licence, new: Licence, on: date) -> None:
    """Refuse a status change the lifecycle does not allow, naming the status field."""
    if old.status == new.status:
        return
    was, becomes = old.get_status_display().lower(), new.get_status_display().lower()
    allowed = Licence.TRANSITIONS[Status(old.status)]
    if new.status not in allowed:
        choices = ", ".join(sorted(Status(s).label.lower() for s in allowed)) or "none (final)"
        message = f"A licence cannot go from {was} to {becomes}. Allowed from here: {choices}."
        raise ValidationError({"status": message})
    if old.status in Licence.RENEWED_FROM and new.status == Status.ISSUED:
        renewed = (
            new.valid_until is not None
            and old.valid_until is not None
            and new.valid_until > old.valid_until
            and new.valid_until >= on
        )
        if not renewed:
            message = (
                f"An {was} licence is issued again only with a new validity period: "
                "give a “valid until” after the old one and not in the past."
            )
            raise ValidationError({"status": message})
    if new.status == Status.EXPIRED and new.valid_until is not None and new.valid_until >= on:
        message = (
            f"This licence is valid until {new.valid_until:%Y-%m-%d}, so it has not expired; "
            "suspend or revoke it instead."
        )
        raise ValidationError({"status": message})


def _save_licence(licence: Licence, *, elements: Iterable[Element] | None, hs_codes, user) -> None:
    """Save a licence and its codes as one history record, not one per many-to-many change."""
    created = licence._state.adding
    licence.skip_history_when_saving = True
    try:
        licence.save()
        if elements is not None:
            licence.elements.set(elements)
        if hs_codes is not None:
            licence.hs_codes.set(hs_codes)
    finally:
        del licence.skip_history_when_saving
    _as_history_user(licence, user)
    LICENCE_HISTORY.create_historical_record(licence, "+" if created else "~")


def _as_history_user(instance, user) -> None:
    if user is not None and user.is_authenticated:
        instance._history_user = user


@transaction.atomic
def licence_create(
    *,
    exporter: Exporter,
    kind: str,
    status: str = Status.APPLIED,
    elements: Iterable[Element] = (),
    hs_codes: Iterable[HsCode] = (),
    user=None,
    **fields: Any,
) -> Licence:
    """Record a licence, in any status that its dates support."""
    unknown = set(fields) - LICENCE_FIELDS
    if unknown:
        raise TypeError(f"licence_create() got unknown fields: {', '.join(sorted(unknown))}")
    licence = Licence(exporter=exporter, kind=kind, status=status, **fields)
    full_clean_naming_fields(licence)
    _save_licence(licence, elements=elements, hs_codes=hs_codes, user=user)
    return licence


@transaction.atomic
def licence_update(
    *,
    licence: Licence,
    data: dict[str, Any],
    user=None,
    on: date | None = None,
) -> Licence:
    """Change a licence's fields; a status change must follow the lifecycle."""
    data = dict(data)
    elements = data.pop("elements", None)
    hs_codes = data.pop("hs_codes", None)
    unknown = set(data) - LICENCE_FIELDS
    if unknown:
        raise TypeError(f"licence_update() got unknown fields: {', '.join(sorted(unknown))}")
    old = Licence.objects.select_for_update().get(pk=licence.pk)
    for field, value in data.items():
        setattr(licence, field, value)
    _check_transition(old=old, new=licence, on=on or timezone.localdate())
    full_clean_naming_fields(licence)
    _save_licence(licence, elements=elements, hs_codes=hs_codes, user=user)
    return licence


def licence_transition(
    *,
    licence: Licence,
    to_status: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
    user=None,
    on: date | None = None,
) -> Licence:
    """Move a licence to another status, with a new validity period where renewal needs one."""
    data: dict[str, Any] = {"status": to_status}
    if valid_from is not None:
        data["valid_from"] = valid_from
    if valid_until is not None:
        data["valid_until"] = valid_until
    return licence_update(licence=licence, data=data, user=user, on=on)


def _check_parties(approval: Approval) -> None:
    """The exporter, importer and licence of an approval must agree with each other."""
    errors: dict[str, str] = {}
    licence = approval.licence
    if licence is not None:
        if approval.exporter_id is None:
            approval.exporter = licence.exporter
        elif approval.exporter_id != licence.exporter_id:
            named = str(approval.exporter).rstrip(".")
            errors["licence"] = f"This licence is held by {licence.exporter}, not by {named}."
        if not approval.licence_kind:
            approval.licence_kind = licence.kind
        elif approval.licence_kind != licence.kind:
            kind = licence.get_kind_display().lower()
            errors["licence_kind"] = f"The licence chosen is a {kind} one."
    importer = approval.importer
    if (
        importer is not None
        and approval.automaker_id is not None
        and not importer.automakers.filter(pk=approval.automaker_id).exists()
    ):
        errors["importer"] = f"{importer} is not recorded as a supplier of {approval.automaker}."
    if errors:
        raise ValidationError(errors)


def _store_approval(approval: Approval, *, evidence_file: UploadedFile | None, user) -> Approval:
    if evidence_file is not None:
        approval.evidence_file = evidence_file
        approval.evidence_file_name = evidence_file.name[:255]
    _check_parties(approval)
    full_clean_naming_fields(approval)
    _as_history_user(approval, user)
    approval.save()
    return approval


@transaction.atomic
def approval_record(
    *,
    automaker: Automaker,
    status: str,
    evidence_grade: str,
    claimed_on: date,
    statement: str,
    source_url: str = "",
    evidence_file: UploadedFile | None = None,
    exporter: Exporter | None = None,
    importer: Importer | None = None,
    licence: Licence | None = None,
    licence_kind: str = "",
    extent: str = Approval.Extent.ALL,
    user=None,
) -> Approval:
    """Record a claim about an automaker's approval, with its evidence."""
    approval = Approval(
        automaker=automaker,
        status=status,
        evidence_grade=evidence_grade,
        claimed_on=claimed_on,
        statement=statement,
        source_url=source_url,
        exporter=exporter,
        importer=importer,
        licence=licence,
        licence_kind=licence_kind,
        extent=extent,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    return _store_approval(approval, evidence_file=evidence_file, user=user)


@transaction.atomic
def approval_update(*, approval: Approval, data: dict[str, Any], user=None) -> Approval:
    """Change an approval; its history keeps who changed what and when."""
    data = dict(data)
    evidence_file = data.pop("evidence_file", None)
    unknown = set(data) - APPROVAL_FIELDS
    if unknown:
        raise TypeError(f"approval_update() got unknown fields: {', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(approval, field, value)
    return _store_approval(approval, evidence_file=evidence_file, user=user)
