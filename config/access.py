"""What a signed-in user may do, and the role shown beside them, kept in the cache.

Django's ModelBackend asks the database for a user's permissions on every request (two queries,
a quarter of a cached page's time here) and the navigation asks for their groups (a third). Here
the answers are one cache entry per user, stamped with the access version. Any change made through
Django to a user, a group, a permission or the links between them (the admin, the shell,
`sync_roles`, migrations) moves the version on, now and again at commit, and an entry stamped with
another version is computed afresh. Entries also expire after ACCESS_TIMEOUT seconds: the longest a
change made outside Django (raw SQL), or while the cache was unreachable, goes unseen.

The signed-in user of a session is read the same way (CachedAuthenticationMiddleware): one entry
per user, holding the user without the password hash, their access and the session hash their
password gave; a session whose hash is that one is let in without the database, any other goes
through Django's own check.

API tokens are read the same way (CachedTokenAuthentication): one entry per token, under a hash of
it, holding the token, its user (without the password hash) and the user's access, stamped with
the version that deleting a token, like any change to a user, moves on. A cached API list is then
answered without the database.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import time
from typing import NamedTuple

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from config.api.throttling import CACHE_ERRORS
from config.roles import ROLES

VERSION_KEY = "access:version"
ACCESS_TIMEOUT = 60
logger = logging.getLogger(__name__)


class Access(NamedTuple):
    version: int
    permissions: frozenset[str]
    role: str


def _entry_key(user) -> str:
    return f"access:user:{user.pk}"


def _computed(user, version: int) -> Access:
    permissions = frozenset(ModelBackend().get_all_permissions(user))
    if user.is_superuser:
        role = "Administrator"
    else:
        names = user.groups.filter(name__in=ROLES).values_list("name", flat=True)
        role = ", ".join(sorted(names)) or "No role"
    return Access(version, permissions, role)


def access_of(user) -> Access:
    """The user's permissions and role: one cache read, the database only when it is stale."""
    if not hasattr(user, "_access"):
        try:
            user._access = _cached(user)
        except CACHE_ERRORS:
            logger.warning("Access cache unreachable; permissions read from the database")
            user._access = _computed(user, version=0)
    return user._access


def _current_version(found: dict) -> int:
    version = found.get(VERSION_KEY)
    if version is None:
        # Never a number an entry could already carry: a restarted cache starts a new version.
        version = time.time_ns()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def _stamped(entry_key: str, kind: type):
    """The access version and, in one round trip, the `kind` entry under `entry_key` if it is
    stamped with that version (None otherwise)."""
    found = cache.get_many([VERSION_KEY, entry_key])
    version = _current_version(found)
    entry = found.get(entry_key)
    return version, entry if isinstance(entry, kind) and entry.version == version else None


def _cached(user) -> Access:
    version, access = _stamped(_entry_key(user), Access)
    if access is None:
        access = _computed(user, version)
        cache.set(_entry_key(user), access, ACCESS_TIMEOUT)
    return access


def _bump() -> None:
    try:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the write that triggered it
        logger.warning("Could not move the access version on", exc_info=True)


def access_changed() -> None:
    """Call inside a change to users, groups or permissions: every cached access is stale.

    Moved on now (so that this transaction reads afresh) and again at commit (so that an entry
    another request computed in between, from the rows before the commit, is not used).
    """
    _bump()
    transaction.on_commit(_bump)


class CachedModelBackend(ModelBackend):
    """ModelBackend whose permissions come from `access_of` (superusers and inactive users as
    ModelBackend answers for them)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(access_of(user_obj).permissions)
        return user_obj._perm_cache


class SessionEntry(NamedTuple):
    version: int
    user: object  # the user, their password hash left out
    session_hash: str  # user.get_session_auth_hash() when cached
    access: Access


def without_password(user):
    """A copy of the user to cache: the password hash (and what was remembered on it) left out.
    Reading `password` from the copy loads it from the database, as a deferred field does."""
    kept = copy.copy(user)
    for name in ("password", "_access", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        kept.__dict__.pop(name, None)
    return kept


def session_user(request):
    """Django's auth.get_user(request), the user read from the cache while the access version
    is current and the session carries the hash the cached user's password gave."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if not (user_id and session_hash):
        return auth.get_user(request)
    if session.get(auth.BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    entry_key = f"access:session:{user_id}"
    try:
        version, entry = _stamped(entry_key, SessionEntry)
    except CACHE_ERRORS:
        logger.warning("Access cache unreachable; session user read from the database")
        return auth.get_user(request)
    if entry is not None and constant_time_compare(session_hash, entry.session_hash):
        entry.user._access = entry.access
        return entry.user
    user = auth.get_user(request)  # verifies the session, or flushes it
    if user.is_authenticated:
        user._access = _computed(user, version)
        entry = SessionEntry(
            version, without_password(user), user.get_session_auth_hash(), user._access
        )
        cache.set(entry_key, entry, ACCESS_TIMEOUT)
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with request.user from `session_user`."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _request_user(request))


def _request_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)
    return request._cached_user


class TokenEntry(NamedTuple):
    version: int
    token: Token
    user: object  # the token's user, its password hash left out
    access: Access


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, reading the token, its user and their access in one cache
    read; the same answers and messages as DRF's on a miss."""

    def authenticate_credentials(self, key):
        entry_key = "access:token:" + hashlib.sha256(key.encode()).hexdigest()
        try:
            version, entry = _stamped(entry_key, TokenEntry)
        except CACHE_ERRORS:
            logger.warning("Access cache unreachable; token read from the database")
            return self._from_database(key, version=None)
        if entry is not None:
            entry.user._access = entry.access
            return entry.user, entry.token
        user, token = self._from_database(key, version)
        cache.set(entry_key, TokenEntry(version, token, user, user._access), ACCESS_TIMEOUT)
        return user, token

    def _from_database(self, key: str, version: int | None):
        try:
            token = Token.objects.select_related("user").defer("user__password").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        user._access = _computed(user, version or 0)
        return user, token
