from __future__ import annotations

from core.roles import ROLES


def role(request) -> dict:
    """The name of the role shown beside a signed-in user in the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role": ""}
    if user.is_superuser:
        return {"user_role": "Administrator"}
    names = user.groups.filter(name__in=ROLES).values_list("name", flat=True)
    return {"user_role": ", ".join(sorted(names)) or "No role"}
