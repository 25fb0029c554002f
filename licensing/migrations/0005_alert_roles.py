"""Every role reads the alerts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("Analyst", "Compliance", "Manager")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("licensing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="licensing", codename="view_alert")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="licensing", codename="view_alert").delete()


class Migration(migrations.Migration):
    dependencies = [("licensing", "0004_alerts")]

    operations = [migrations.RunPython(grant, revoke)]
