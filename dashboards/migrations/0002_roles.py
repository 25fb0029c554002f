"""Every role reads the dashboards; Managers also read the series registry."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Analyst": [("dashboards", "view_monthlysummary")],
    "Compliance": [("dashboards", "view_monthlysummary")],
    "Manager": [("dashboards", "view_monthlysummary"), ("exports", "view_series")],
}


def grant(apps, schema_editor):
    for label in ("dashboards", "exports"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in names:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="dashboards").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
        ("exports", "0002_series_and_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
