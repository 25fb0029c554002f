"""The three roles: Django groups made by data migrations, never by hand.

ROLE_PERMISSIONS is what the migrations build; a test keeps the two in step, and
`manage.py sync_roles` repairs a database whose groups have drifted from it.
"""

from __future__ import annotations

ANALYST = "Analyst"
COMPLIANCE = "Compliance"
MANAGER = "Manager"
ROLES = (ANALYST, COMPLIANCE, MANAGER)

_READ_LICENSING = [
    "licensing.view_element",
    "licensing.view_hscode",
    "licensing.view_controlmeasure",
    "licensing.view_controlitem",
    "licensing.view_controlitemcode",
    "licensing.view_entitylistentry",
    "licensing.view_screeningmatch",
    "licensing.view_exporter",
    "licensing.view_automaker",
    "licensing.view_importer",
    "licensing.view_supplylink",
    "licensing.view_licence",
    "licensing.view_approval",
]
_READ_EXPORTS = [
    "exports.view_series",
    "exports.view_exportrecord",
    "exports.view_importbatch",
    "exports.view_yeartodatefigure",
]
_READ_DASHBOARDS = ["dashboards.view_monthlysummary"]
_READ_ALERTS = ["licensing.view_alert"]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    ANALYST: _READ_LICENSING + _READ_EXPORTS + _READ_DASHBOARDS + _READ_ALERTS,
    COMPLIANCE: _READ_LICENSING
    + _READ_EXPORTS
    + _READ_DASHBOARDS
    + _READ_ALERTS
    + [
        "exports.add_importbatch",
        "licensing.add_importer",
        "licensing.change_importer",
        "licensing.add_supplylink",
        "licensing.change_supplylink",
        "licensing.add_licence",
        "licensing.change_licence",
        "licensing.add_approval",
        "licensing.change_approval",
        "licensing.add_controlmeasure",
        "licensing.change_controlmeasure",
        "licensing.add_controlitem",
        "licensing.change_controlitem",
        "licensing.add_entitylistentry",
        "licensing.change_entitylistentry",
        "licensing.change_screeningmatch",
    ],
    MANAGER: [
        "licensing.view_element",
        "licensing.view_hscode",
        "licensing.view_controlmeasure",
        "licensing.view_controlitem",
        "licensing.view_controlitemcode",
        "licensing.view_exporter",
        "licensing.view_automaker",
        "licensing.view_licence",
        "exports.view_series",
        "dashboards.view_monthlysummary",
        "licensing.view_alert",
    ],
}


def roles_sync() -> None:
    """Make each role's group hold exactly the permissions ROLE_PERMISSIONS gives it."""
    from django.contrib.auth.models import Group, Permission

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
