"""The stylesheets are whole: every block opened is closed where it should be, so that no rule
written for the page at large ends up inside a media query (as a merge once left the search box's
and the monthly brief's rules inside the phones' block)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "static" / "css"
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def top_level_selectors(css: str) -> list[str]:
    """The selectors of the rules outside any block, in order (at-rules included)."""
    found, depth, start = [], 0, 0
    for position, char in enumerate(css):
        if char == "{":
            if depth == 0:
                found.append(css[start:position].strip())
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"a '}}' closes nothing at character {position}"
            if depth == 0:
                start = position + 1
    assert depth == 0, f"{depth} block(s) left open at the end"
    return found


@pytest.mark.parametrize("sheet", sorted(STATIC.glob("*.css")), ids=lambda path: path.name)
def test_every_block_is_closed(sheet):
    top_level_selectors(COMMENT.sub("", sheet.read_text()))


def test_the_search_box_and_the_brief_are_styled_at_every_width():
    selectors = top_level_selectors(COMMENT.sub("", (STATIC / "raregate.css").read_text()))

    assert ".site-search__input" in selectors
    assert ".brief__columns" in selectors
