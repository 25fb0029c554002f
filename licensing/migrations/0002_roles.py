"""The Analyst, Compliance and Manager groups with their licensing permissions.

Later apps add their own permissions to these groups in their own migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_ALL = [
    "view_element", "view_hscode", "view_controlmeasure", "view_exporter", "view_automaker",
    "view_importer", "view_licence", "view_approval",
]
ROLE_PERMISSIONS = {
    "Analyst": READ_ALL,
    "Compliance": READ_ALL + ["add_licence", "change_licence", "add_approval", "change_approval"],
    "Manager": ["view_element", "view_hscode", "view_exporter", "view_automaker", "view_licence"],
}


def make_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make licensing's now to grant them.
    app_config = apps.get_app_config("licensing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(
            content_type__app_label="licensing", codename__in=codenames
        )
        assert permissions.count() == len(codenames), f"missing permissions for {role}"
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
