"""API-wide permissions."""

from __future__ import annotations

from rest_framework import permissions


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, reads included: GET needs the model's `view` permission."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


def may(permission: str) -> type[permissions.BasePermission]:
    """A permission class for a view without a model of its own (a POST that stores nothing)."""

    class May(permissions.BasePermission):
        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.has_perm(permission))

    return May
