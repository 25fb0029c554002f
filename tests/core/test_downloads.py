"""CSV downloads: cells a spreadsheet would run are quoted; numbers stay numbers."""

from __future__ import annotations

import pytest

from core.downloads import spreadsheet_safe


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("tonnes", "tonnes"),
        ("a=b", "a=b"),
        (12, "12"),
        (None, ""),
    ],
)
def test_spreadsheet_safe_neutralises_cells_a_spreadsheet_would_run(cell, safe):
    assert spreadsheet_safe(cell) == safe
