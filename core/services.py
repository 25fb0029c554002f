"""Writes to a user's own account: the e-mail the digest goes to and the personal API token."""

from __future__ import annotations

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import validate_email
from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def user_email_update(*, user: AbstractBaseUser, email: str) -> AbstractBaseUser:
    """Set the user's e-mail ("" removes it: no digest can then be sent)."""
    email = BaseUserManager.normalize_email(email.strip())
    if email:
        validate_email(email)
    user.email = email
    user.save(update_fields=["email"])
    return user


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser) -> Token:
    """A new personal API token for the user; the old one, if any, stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user: AbstractBaseUser) -> bool:
    """Delete the user's API token; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
