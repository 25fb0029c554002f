from __future__ import annotations

from config.roles import role_of


def role(request) -> dict:
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else ""}
