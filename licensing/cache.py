"""Version numbers for licensing data, part of the keys of anything cached from it.

Every write to a licensing table moves on two versions: that table's and the one of all
licensing data. What is cached from a few tables is keyed by theirs (the licence list by the
licences' and exporters'), so that writing an approval leaves it in place; what reads nearly
everything (the automakers' statuses) is keyed by the version of all.

A write inside a transaction moves the versions on when it commits: until then, other requests
keep reading what was committed (and caching it under the old versions, where it is right), while
the writing transaction reads under versions of its own, so that it sees its own changes.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

KEY_PREFIX = "licensing:data-version"
ALL = "all"
logger = logging.getLogger(__name__)


class _Bump:
    """The commit hook of one licensing write: moves the versions of its tables on."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.keys = {_key(name) for name in names}
        self.token = uuid.uuid4().hex

    def __call__(self) -> None:
        _bump(self.names)


def _uncommitted() -> list[_Bump]:
    """The licensing writes of this connection's open transaction, oldest first: those whose
    commit hooks still wait (Django's `run_on_commit`; a rollback drops the hooks of what it
    undid, so what is left is always the writes kept so far)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return []
    return [entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _Bump)]


def _versions(keys: list[str], found: dict) -> tuple:
    """The versions under `keys` as this connection reads them. A table its open transaction
    wrote to is read under a version of its own, named by the last write to it: the same writes
    kept, the same version."""
    last = {key: write.token for write in _uncommitted() for key in write.keys}
    return tuple(f"{found.get(key)}~{last[key]}" if key in last else found.get(key) for key in keys)


def _key(name: str) -> str:
    return f"{KEY_PREFIX}:{name}"


def licensing_version(*tables: type[models.Model]) -> str:
    """The version of the given tables' data (of all licensing data without any), as text."""
    return licensing_versions(tables)[0]


def licensing_versions(*table_sets: tuple[type[models.Model], ...]) -> list[str]:
    """licensing_version() of each set of tables, read in one round trip."""
    key_sets = [
        [_key(table._meta.label_lower) for table in tables] or [_key(ALL)] for tables in table_sets
    ]
    keys = list(dict.fromkeys(key for key_set in key_sets for key in key_set))
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, 1, timeout=None)
            found[key] = 1
    versions = dict(zip(keys, _versions(keys, found), strict=True))
    return ["-".join(str(versions[key]) for key in key_set) for key_set in key_sets]


def cached_by_version(tables: tuple[type[models.Model], ...], key: str, compute, timeout: int):
    """compute()'s value, cached under `key` beside the versions of `tables` it was computed at:
    one round trip to the cache while they are current (a key holding the versions takes two)."""
    version_keys = [_key(table._meta.label_lower) for table in tables]
    found = cache.get_many([*version_keys, key])
    versions = _versions(version_keys, found)
    entry = found.get(key)
    if None not in versions and isinstance(entry, tuple) and entry[0] == versions:
        return entry[1]
    if None in versions:
        licensing_version(*tables)  # starts the versions that are missing
        versions = _versions(version_keys, cache.get_many(version_keys))
    # Stamped with the versions read before computing: a write in between moves them on.
    value = compute()
    cache.set(key, (versions, value), timeout)
    return value


def read_key(tables: tuple[type[models.Model], ...], url: str) -> str:
    """What keys a page or list read from `tables` at `url`: their versions, the day, the URL
    (the day too, since what is valid or expiring changes with it)."""
    return read_keys(url, tables)[0]


def read_keys(url: str, *table_sets: tuple[type[models.Model], ...]) -> list[str]:
    """read_key() of each set of tables at `url`, their versions read in one round trip."""
    day = timezone.localdate().isoformat()
    return [":".join([version, day, url]) for version in licensing_versions(*table_sets)]


def _bump(names: list[str]) -> None:
    for name in names:
        try:
            cache.incr(_key(name))
        except ValueError:
            cache.set(_key(name), 2, timeout=None)
        except Exception:  # noqa: BLE001 - a cache outage must not fail the write that triggered it
            logger.warning("Could not move the licensing cache version on", exc_info=True)
            return


def licensing_changed(*tables: type[models.Model]) -> None:
    """Call inside a write to the given tables: what was cached from them is stale.

    The versions move on when the write commits (at once outside a transaction); until then only
    the writing transaction reads under versions of its own, so that no other request caches
    what it read before the commit under the versions that follow it.
    """
    transaction.on_commit(_Bump([ALL, *(table._meta.label_lower for table in tables)]))
