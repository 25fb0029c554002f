from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from core.roles import ROLE_PERMISSIONS, roles_sync


def permissions_of(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_the_migrations_make_the_groups_the_roles_define():
    groups = {group.name: permissions_of(group) for group in Group.objects.all()}

    assert groups == {role: set(names) for role, names in ROLE_PERMISSIONS.items()}


@pytest.mark.django_db
def test_sync_repairs_a_group_that_drifted():
    analyst = Group.objects.get(name="Analyst")
    analyst.permissions.clear()
    Group.objects.get(name="Manager").delete()

    roles_sync()

    assert permissions_of(Group.objects.get(name="Analyst")) == set(ROLE_PERMISSIONS["Analyst"])
    assert permissions_of(Group.objects.get(name="Manager")) == set(ROLE_PERMISSIONS["Manager"])
