"""The series registry, and the exports permissions of the roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from exports.series import series_sync

READ = ["view_series", "view_exportrecord", "view_importbatch", "view_yeartodatefigure"]
ROLE_PERMISSIONS = {
    "Analyst": READ,
    "Compliance": READ + ["add_importbatch"],
}


def seed(apps, schema_editor):
    series_sync(apps.get_model("exports", "Series"))

    app_config = apps.get_app_config("exports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(
            content_type__app_label="exports", codename__in=codenames
        )
        assert permissions.count() == len(codenames), f"missing permissions for {role}"
        group.permissions.add(*permissions)


def unseed(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="exports").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
        ("licensing", "0002_roles"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
