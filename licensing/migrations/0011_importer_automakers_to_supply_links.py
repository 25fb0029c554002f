"""Each importer-to-automaker pair of the old many-to-many becomes a supply link (no dates)."""

from django.db import migrations


def to_supply_links(apps, schema_editor):
    Importer = apps.get_model("licensing", "Importer")
    SupplyLink = apps.get_model("licensing", "SupplyLink")
    SupplyLink.objects.bulk_create(
        SupplyLink(
            supplier_importer=importer,
            customer_automaker=automaker,
            evidence="Recorded as a supplier of this automaker before supply links had dates.",
        )
        for importer in Importer.objects.prefetch_related("automakers")
        for automaker in importer.automakers.all()
    )


def to_many_to_many(apps, schema_editor):
    SupplyLink = apps.get_model("licensing", "SupplyLink")
    links = SupplyLink.objects.filter(
        supplier_importer__isnull=False, customer_automaker__isnull=False
    ).select_related("supplier_importer")
    for link in links:
        link.supplier_importer.automakers.add(link.customer_automaker_id)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0010_supply_links_parties_history")]

    operations = [migrations.RunPython(to_supply_links, to_many_to_many)]
