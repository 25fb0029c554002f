"""Table rows rendered once per content: `{% rows "row.html" items flag=value … %}`.

A new approval re-renders the approvals page, but 49 of its 50 rows are what they were; each row
is cached under a hash of what it holds, so only the new one is rendered. What a row holds: the
item's fields (a model instance's column values, a dataclass's fields), and those of every related
object loaded on it (`select_related`) or in it, recursively; plus the row template and the flags.
So a row's template may show only what is loaded on its item: a relation fetched lazily, or
anything that depends on the day, would not be part of the key.

Nothing needs to invalidate a row: changed values are another key. The rows of a page are read
in one round trip.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import hashlib
from typing import Any

from django import template
from django.core.cache import cache
from django.db import models
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

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


def _key(template_name: str, item: Any, flags: dict[str, Any]) -> str:
    held = repr((template_name, sorted(flags.items()), _held(item)))
    return "row:" + hashlib.blake2b(held.encode(), digest_size=16).hexdigest()


@register.simple_tag
def rows(template_name: str, items, **flags) -> SafeString:
    """Each item rendered with `template_name` (as `item`, beside the flags), from the cache
    where the same content was rendered before."""
    items = list(items)
    keys = [_key(template_name, item, flags) for item in items]
    found = cache.get_many(keys)
    rendered = {}
    row_template = get_template(template_name)
    for key, item in zip(keys, items, strict=True):
        if key not in found:
            found[key] = rendered[key] = row_template.render({"item": item, **flags})
    if rendered:
        cache.set_many(rendered, ROW_TIMEOUT)
    return mark_safe("".join(found[key] for key in keys))  # noqa: S308 - rendered by templates
