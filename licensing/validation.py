"""Model validation that names the field a broken constraint is about."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def full_clean_naming_fields(instance: models.Model) -> None:
    """Run full_clean(); move each constraint's message onto the field the model maps it to."""
    try:
        instance.full_clean()
    except ValidationError as error:
        fields = getattr(instance, "CONSTRAINT_FIELDS", {})
        errors: dict[str, list[ValidationError]] = {}
        for field, messages in error.error_dict.items():
            for message in messages:
                target = fields.get(message.code, field) if field == NON_FIELD_ERRORS else field
                errors.setdefault(target, []).append(message)
        raise ValidationError(errors) from None
