"""PostgreSQL: a covering index on (path) INCLUDE (type), so subtree counts by type are index-only scans.
Drops the LIKE-only pattern indexes on the path columns. The path column already uses COLLATE "C" there (TreePathField), which makes range scans use the index."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS org_path_type_cover_idx ON organizations_organization (path) INCLUDE (type)"
    )
    # Django adds a varchar_pattern_ops index for LIKE on unique CharFields; with COLLATE "C" and range filters
    # the unique index serves every tree query, so the extra index would only slow down writes.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('organizations_organization', "
            "'organizations_region') AND indexname LIKE %s",
            ["%_path_%_like"],
        )
        for (name,) in cursor.fetchall():
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS org_path_type_cover_idx")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
