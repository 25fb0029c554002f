"""Analysts and Compliance read supply links; Compliance records importers and supply links."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Analyst": ["view_supplylink"],
    "Compliance": [
        "view_supplylink",
        "add_importer",
        "change_importer",
        "add_supplylink",
        "change_supplylink",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("licensing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="licensing", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="licensing", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("licensing", "0012_remove_importer_automakers")]

    operations = [migrations.RunPython(grant, revoke)]
