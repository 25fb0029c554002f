"""Writes to the licensing domain. Each service validates fully and stores all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from licensing import screening
from licensing.history import as_history_user
from licensing.models import (
    LICENCE_HISTORY,
    Approval,
    Automaker,
    Element,
    Exporter,
    HsCode,
    Importer,
    Licence,
    LicenceParty,
    LicenceTransition,
    SupplyLink,
)
from licensing.selectors import licences_due, supplies
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
    "renews",
    "renewal_status",
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
    "extent",
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
    as_history_user(licence, user)
    LICENCE_HISTORY.create_historical_record(licence, "+" if created else "~")


@transaction.atomic
def licence_create(
    *,
    exporter: Exporter,
    kind: str,
    status: str = Status.APPLIED,
    elements: Iterable[Element] = (),
    hs_codes: Iterable[HsCode] = (),
    parties: Iterable[dict[str, Any]] = (),
    user=None,
    **fields: Any,
) -> Licence:
    """Record a licence, in any status that its dates support, with the parties it names."""
    unknown = set(fields) - LICENCE_FIELDS
    if unknown:
        raise TypeError(f"licence_create() got unknown fields: {', '.join(sorted(unknown))}")
    licence = Licence(exporter=exporter, kind=kind, status=status, **fields)
    full_clean_naming_fields(licence)
    _save_licence(licence, elements=elements, hs_codes=hs_codes, user=user)
    licence_parties_set(licence=licence, parties=parties)
    return licence


@transaction.atomic
def licence_update(
    *,
    licence: Licence,
    data: dict[str, Any],
    user=None,
    on: date | None = None,
) -> Licence:
    """Change a licence's fields; a status change must follow the lifecycle, takes effect on
    the day (`on`, today by default) and is kept as a LicenceTransition."""
    data = dict(data)
    elements = data.pop("elements", None)
    hs_codes = data.pop("hs_codes", None)
    parties = data.pop("parties", None)
    unknown = set(data) - LICENCE_FIELDS
    if unknown:
        raise TypeError(f"licence_update() got unknown fields: {', '.join(sorted(unknown))}")
    on = on or timezone.localdate()
    old = Licence.objects.select_for_update().get(pk=licence.pk)
    for field, value in data.items():
        setattr(licence, field, value)
    change = _status_change(
        licence=old, new=licence, effective_on=on, reason="Changed on its record."
    )
    _check_transition(old=old, new=licence, on=on)
    full_clean_naming_fields(licence)
    _save_licence(licence, elements=elements, hs_codes=hs_codes, user=user)
    if parties is not None:
        licence_parties_set(licence=licence, parties=parties)
    if change is not None:
        change.recorded_by = user if user is not None and user.is_authenticated else None
        change.save()
    return licence


def _status_change(
    *, licence: Licence, new: Licence, effective_on: date, reason: str, source_url: str = ""
) -> LicenceTransition | None:
    """The change of status from the last one recorded for `licence` (locked) to `new`'s, to
    take effect on a date; refused before a change already recorded (keep them in date order)."""
    last = licence.last_change()
    if last is not None and effective_on < last.effective_on:
        message = (
            f"This licence already changes to {last.get_status_display().lower()} on "
            f"{last.effective_on:%Y-%m-%d}: a change must take effect on that day or later."
        )
        raise ValidationError({"effective_on": message})
    current = last.status if last is not None else licence.status
    if current == new.status:
        return None
    return LicenceTransition(
        licence=licence,
        from_status=current,
        status=new.status,
        effective_on=effective_on,
        reason=reason,
        source_url=source_url,
    )


CHANGED_ON_RECORD = "Changed on its record."
# The changes a dated transition may record (POST /api/v1/licences/{id}/transitions/), and the
# status each gives.
TRANSITION_STATUSES = {
    "revoked": Status.REVOKED,
    "suspended": Status.SUSPENDED,
    "reinstated": Status.ISSUED,
    "surrendered": Status.SURRENDERED,
    "expired": Status.EXPIRED,
}
TRANSITION_CHOICES = [(name, name.capitalize()) for name in TRANSITION_STATUSES]


@transaction.atomic
def licence_transition(
    *,
    licence: Licence,
    to_status: str,
    effective_on: date | None = None,
    reason: str = CHANGED_ON_RECORD,
    source_url: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    user=None,
    on: date | None = None,
) -> Licence:
    """Move a licence to another status from a date (`effective_on`, `on` by default, itself
    today by default), with a new validity period where renewal needs one. A change dated
    after `on` is kept and takes effect on its day (licences_apply_due); the status on any
    date is read from the changes (cover.licence_status)."""
    on = on or timezone.localdate()
    effective_on = effective_on or on
    old = Licence.objects.select_for_update().prefetch_related("transitions").get(pk=licence.pk)
    last = old.last_change()
    current = Licence(**{**_fields_of(old), "status": last.status if last else old.status})
    new = Licence(**_fields_of(old))
    new.status = to_status
    new.valid_from = valid_from or old.valid_from
    new.valid_until = valid_until or old.valid_until
    _check_transition(old=current, new=new, on=effective_on)
    change = _status_change(
        licence=old, new=new, effective_on=effective_on, reason=reason, source_url=source_url
    )
    if change is None:
        return licence
    change.full_clean(exclude=["licence", "recorded_by"])
    licence.valid_from, licence.valid_until = new.valid_from, new.valid_until
    if effective_on <= on:
        licence.status = to_status
    full_clean_naming_fields(licence)
    _save_licence(licence, elements=None, hs_codes=None, user=user)
    change.recorded_by = user if user is not None and user.is_authenticated else None
    change.save()
    return licence


def _fields_of(licence: Licence) -> dict[str, Any]:
    return {field: getattr(licence, field) for field in LICENCE_FIELDS}


@transaction.atomic
def licences_apply_due(*, on: date | None = None, user=None) -> int:
    """Bring each licence's recorded status to its status on the date: the changes that have
    come due, and an issued licence past its end expired from the next day (kept as a change).
    Returns how many licences changed. The status on a date is read from the changes and the
    validity whether or not this has run; this keeps the stored status, which lists show,
    current."""
    on = on or timezone.localdate()
    changed = 0
    for licence in licences_due(on).select_for_update(of=("self",)):
        due, last = licence.status_on(on), licence.last_change()
        ended = licence.valid_until and licence.valid_until + timedelta(days=1)
        if (
            due == Status.ISSUED
            and ended
            and ended <= on
            and not (last and last.effective_on > ended)
        ):
            LicenceTransition.objects.create(
                licence=licence,
                from_status=due,
                status=Status.EXPIRED,
                effective_on=ended,
                reason=f"Its validity ended on {licence.valid_until:%Y-%m-%d}.",
            )
            due = Status.EXPIRED
        if due != licence.status:
            licence.status = due
            _save_licence(licence, elements=None, hs_codes=None, user=user)
            changed += 1
    return changed


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
        and not supplies(importer, approval.automaker_id, on=approval.claimed_on)
    ):
        errors["importer"] = (
            f"{importer} is not recorded as a supplier of {approval.automaker} on the claim's "
            "date: record the supply link first."
        )
    if errors:
        raise ValidationError(errors)


def _store_approval(approval: Approval, *, evidence_file: UploadedFile | None, user) -> Approval:
    if evidence_file is not None:
        approval.evidence_file = evidence_file
        approval.evidence_file_name = evidence_file.name[:255]
    _check_parties(approval)
    full_clean_naming_fields(approval)
    as_history_user(approval, user)
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


IMPORTER_FIELDS = {"name", "country", "kind"}
SUPPLY_LINK_FIELDS = {
    "supplier_exporter",
    "supplier_importer",
    "customer_importer",
    "customer_automaker",
    "valid_from",
    "valid_until",
    "evidence",
    "source_url",
}


def _store(instance, *, data: dict[str, Any], fields: set[str], user):
    """Set the given fields, validate as the model does (each constraint's message on its
    field) and save with its history naming the user."""
    unknown = set(data) - fields
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(instance, field, value)
    full_clean_naming_fields(instance)
    as_history_user(instance, user)
    instance.save()
    return instance


@transaction.atomic
def importer_create(*, user=None, **data: Any) -> Importer:
    """Record a foreign consignee: a Tier-1 supplier, a distributor, an automaker's buyer; it is
    screened against MOFCOM's lists."""
    importer = _store(Importer(), data=data, fields=IMPORTER_FIELDS, user=user)
    screening.party_screen(party=importer)
    return importer


@transaction.atomic
def importer_update(*, importer: Importer, data: dict[str, Any], user=None) -> Importer:
    """Change an importer; renamed, it is screened again."""
    renamed = "name" in data and data["name"] != importer.name
    _store(importer, data=data, fields=IMPORTER_FIELDS, user=user)
    if renamed:
        screening.party_screen(party=importer)
    return importer


@transaction.atomic
def supply_link_record(*, user=None, **data: Any) -> SupplyLink:
    """Record who supplies whom, from and until when, on what evidence."""
    return _store(SupplyLink(), data=data, fields=SUPPLY_LINK_FIELDS, user=user)


@transaction.atomic
def supply_link_update(*, link: SupplyLink, data: dict[str, Any], user=None) -> SupplyLink:
    return _store(link, data=data, fields=SUPPLY_LINK_FIELDS, user=user)


def licence_parties_set(*, licence: Licence, parties: Iterable[dict[str, Any]]) -> None:
    """Replace the parties a licence names: each {"role", "importer" or "automaker"}."""
    wanted = [LicenceParty(licence=licence, **party) for party in parties]
    errors = []
    for number, party in enumerate(wanted, start=1):
        try:
            full_clean_naming_fields(party)
        except ValidationError as error:
            errors.append(f"party {number}: " + "; ".join(error.messages))
    if errors:
        raise ValidationError({"parties": errors})
    licence.parties.all().delete()
    LicenceParty.objects.bulk_create(wanted)
