"""Version numbers for licensing data, part of the keys of anything cached from it.

Every write to a licensing table moves on two versions: that table's and the one of all
licensing data. What is cached from a few tables is keyed by theirs (the licence list by the
licences' and exporters'), so that writing an approval leaves it in place; what reads nearly
everything (the automakers' statuses) is keyed by the version of all.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

KEY_PREFIX = "licensing:data-version"
ALL = "all"
logger = logging.getLogger(__name__)


def _key(name: str) -> str:
    return f"{KEY_PREFIX}:{name}"


def licensing_version(*tables: type[models.Model]) -> str:
    """The version of the given tables' data (of all licensing data without any), as text."""
    keys = [_key(table._meta.label_lower) for table in tables] or [_key(ALL)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, 1, timeout=None)
    return "-".join(str(found.get(key, 1)) for key in keys)


def cached_by_version(tables: tuple[type[models.Model], ...], key: str, compute, timeout: int):
    """compute()'s value, cached under `key` beside the versions of `tables` it was computed at:
    one round trip to the cache while they are current (a key holding the versions takes two)."""
    version_keys = [_key(table._meta.label_lower) for table in tables]
    found = cache.get_many([*version_keys, key])
    versions = tuple(found.get(version_key) for version_key in version_keys)
    entry = found.get(key)
    if None not in versions and isinstance(entry, tuple) and entry[0] == versions:
        return entry[1]
    if None in versions:
        licensing_version(*tables)  # starts the versions that are missing
        found = cache.get_many(version_keys)
        versions = tuple(found.get(version_key) for version_key in version_keys)
    # Stamped with the versions read before computing: a write in between moves them on.
    value = compute()
    cache.set(key, (versions, value), timeout)
    return value


def read_key(tables: tuple[type[models.Model], ...], url: str) -> str:
    """What keys a page or list read from `tables` at `url`: their versions, the day, the URL
    (the day too, since what is valid or expiring changes with it)."""
    return ":".join([licensing_version(*tables), timezone.localdate().isoformat(), url])


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

    Moved on now (so that this transaction reads afresh) and again at commit (so that what
    another request cached in between, from the data before the commit, is not used).
    """
    names = [ALL, *(table._meta.label_lower for table in tables)]
    _bump(names)
    transaction.on_commit(lambda: _bump(names))
