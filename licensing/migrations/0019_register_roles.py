"""The register: everyone who reads measures reads their items (managers too: their charts mark
the measures); Analysts and Compliance read the entity lists and screening; Compliance keeps
measures, items and list entries and reviews the matches."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_controlitem", "view_controlitemcode", "view_entitylistentry", "view_screeningmatch"]
GRANTS = {
    "Analyst": READ,
    "Compliance": READ
    + [
        "add_controlmeasure",
        "change_controlmeasure",
        "add_controlitem",
        "change_controlitem",
        "add_entitylistentry",
        "change_entitylistentry",
        "change_screeningmatch",
    ],
    "Manager": ["view_controlmeasure", "view_controlitem", "view_controlitemcode"],
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
    dependencies = [("licensing", "0018_register")]

    operations = [migrations.RunPython(grant, revoke)]
