"""The case library's full-text document, stored and kept by a trigger. PostgreSQL only (SQLite leaves it empty).

Migration 0002 indexed the expression `to_tsvector(...)`: the index found the rows, but every found row was
parsed again to check and rank it (200 ms for "traffic sensors" among 5,000 cases). The stored document is
parsed once, when the row is written; the GIN index moves to it.
"""

import django.contrib.postgres.search
from django.db import migrations

FUNCTION = "applications_projectapplication_search_document"
TRIGGER = "applications_projectapplication_search_document"
INDEX = "application_search_document"
# The same text as applications.selectors.SEARCH_VECTOR (migration 0002's index expression).
DOCUMENT = (
    "to_tsvector('english'::regconfig, COALESCE(NEW.title, '') || ' ' || COALESCE(NEW.summary, '') || ' ' || "
    "COALESCE(NEW.problem, '') || ' ' || COALESCE(NEW.approach, '') || ' ' || COALESCE(NEW.technologies, ''))"
)


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("applications", "ProjectApplication")._meta.db_table
    schema_editor.execute(
        f"CREATE FUNCTION {FUNCTION}() RETURNS trigger AS $$ "
        f"BEGIN NEW.search_document := {DOCUMENT}; RETURN NEW; END $$ LANGUAGE plpgsql"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF title, summary, problem, approach, technologies "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    schema_editor.execute(f"UPDATE {table} SET title = title")
    schema_editor.execute("DROP INDEX IF EXISTS application_search")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin (search_document)")


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from applications.selectors import SEARCH_VECTOR
    from django.contrib.postgres.indexes import GinIndex

    model = apps.get_model("applications", "ProjectApplication")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {model._meta.db_table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.add_index(model, GinIndex(SEARCH_VECTOR, name="application_search"))


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectapplication",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
