"""How every benchmark reports a target, so that a script can read the results."""

from __future__ import annotations


def target_line(what: str, figure: str, met: bool) -> str:
    """`target <what>: <figure> (met)` or `(MISSED)`."""
    return f"target {what}: {figure} ({'met' if met else 'MISSED'})"
