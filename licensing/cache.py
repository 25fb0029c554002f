"""A version number for licensing data, part of the keys of anything cached from it."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "licensing:data-version"
logger = logging.getLogger(__name__)


def licensing_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the write that triggered it
        logger.warning("Could not move the licensing cache version on", exc_info=True)


def licensing_changed() -> None:
    """Call inside a write: what was cached from licensing data is stale.

    Moved on now (so that this transaction reads afresh) and again at commit (so that what
    another request cached in between, from the data before the commit, is not used).
    """
    _bump()
    transaction.on_commit(_bump)
