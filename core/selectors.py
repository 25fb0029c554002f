"""Reads of a user's own account."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.authtoken.models import Token


def api_token_of(user: AbstractBaseUser) -> Token | None:
    """The user's personal API token, if they have made one."""
    return Token.objects.filter(user=user).first()
