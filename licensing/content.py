"""Rows cached by what they hold: a key that changes when, and only when, a row's content does.

What a row holds: the item's fields (a model instance's column values, a dataclass's fields) and
those of every related object loaded on it (`select_related`) or in it, recursively. So what is
made from an item (a table row, an API object) may use only what is loaded on it: a relation
fetched lazily, or anything that depends on the day or the request, is not part of the key.
Nothing needs to invalidate such a row: changed values are another key.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import models

ROW_TIMEOUT = 24 * 3600
PLAIN = (str, int, float, bool, decimal.Decimal, datetime.date, type(None))


def _held(value: Any, depth: int = 0) -> Any:
    """The plain values a row shows from `value`, for its key."""
    if isinstance(value, PLAIN):
        return value
    if depth > 3:
        raise ValueError(f"Row item nested too deep for a key: {type(value).__name__}")
    if isinstance(value, models.Model):
        columns = tuple(_column(getattr(value, f.attname)) for f in value._meta.concrete_fields)
        loaded = value._state.fields_cache
        related = tuple(_held(loaded[name], depth + 1) for name in sorted(loaded))
        return (type(value).__name__, columns, related)
    if dataclasses.is_dataclass(value):
        return tuple(_held(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    if isinstance(value, list | tuple):
        return tuple(_held(item, depth + 1) for item in value)
    raise ValueError(f"Row item holds a {type(value).__name__}, which has no key")


def _column(value: Any) -> Any:
    # A file field's value is a FieldFile: its name is what is stored.
    return value if isinstance(value, PLAIN) else str(value)


def content_key(kind: str, item: Any, flags: dict[str, Any] | None = None) -> str:
    """The key of what `kind` makes of `item` (with `flags`): a hash of all it holds."""
    held = repr((kind, sorted((flags or {}).items()), _held(item)))
    return "row:" + hashlib.blake2b(held.encode(), digest_size=16).hexdigest()


def made_by_content(kind: str, items: Iterable, make: Callable[[Any], Any], flags=None) -> list:
    """make(item) for each item, from the cache where the same content was made before: the
    rows of a page in one round trip, and only the new or changed ones made again."""
    items = list(items)
    keys = [content_key(kind, item, flags) for item in items]
    found = cache.get_many(keys)
    made = {}
    for key, item in zip(keys, items, strict=True):
        if key not in found:
            found[key] = made[key] = make(item)
    if made:
        cache.set_many(made, ROW_TIMEOUT)
    return [found[key] for key in keys]
