"""Trigram matching for the global search: pg_trgm and GIN trigram indexes on the names searched.

PostgreSQL only: on SQLite (the demo) the search falls back to a plain substring and this
migration does nothing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (model, column) of each name the search matches by trigram.
SEARCHED = [
    ("Automaker", "name"),
    ("Exporter", "name"),
    ("Exporter", "name_zh"),
    ("Importer", "name"),
    ("Licence", "number"),
    ("ControlMeasure", "reference"),
    ("ControlMeasure", "title"),
    ("HsCode", "description"),
]


def index_name(model: str, column: str) -> str:
    return f"search_{model.lower()}_{column}_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for model, column in SEARCHED:
        table = apps.get_model("licensing", model)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(index_name(model, column))} "
            f"ON {quote(table)} USING gin ({quote(column)} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, column in SEARCHED:
        schema_editor.execute(
            f"DROP INDEX IF EXISTS {schema_editor.quote_name(index_name(model, column))}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0020_release_overdue_alerts"),
    ]

    operations = [
        # CreateExtension does nothing on a database other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
