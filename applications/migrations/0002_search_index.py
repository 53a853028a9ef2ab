"""The case library's full-text index. PostgreSQL only: the zero-setup SQLite run searches without it."""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEX_NAME = "application_search"


def _index():
    from applications.selectors import SEARCH_VECTOR

    return GinIndex(SEARCH_VECTOR, name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("applications", "ProjectApplication"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("applications", "ProjectApplication"), _index())


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
