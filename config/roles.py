"""The three roles: Django groups made by a data migration, never by hand."""

from __future__ import annotations

ANALYST = "Analyst"
COMPLIANCE = "Compliance"
MANAGER = "Manager"
ROLES = (ANALYST, COMPLIANCE, MANAGER)


def role_of(user) -> str:
    """The name shown beside a user in the navigation."""
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return "Administrator"
    names = [group.name for group in user.groups.all() if group.name in ROLES]
    return ", ".join(sorted(names)) or "No role"
