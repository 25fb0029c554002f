"""Choosing in a type-ahead picker (static/js/picker.js) as a user does: type, then click."""

from __future__ import annotations


def pick(page, name: str, typed: str, *, option: str | None = None) -> None:
    """Type into the picker that stands for `select[name=...]` and choose the suggestion that
    reads `option` (the typed text when not given)."""
    select_id = page.get_attribute(f"select[name={name}]", "id")
    box = page.locator(f"#{select_id}-picker")
    box.fill(typed)
    page.locator(f"#{select_id}-picker-list [role=option]", has_text=option or typed).first.click()
