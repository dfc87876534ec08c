"""Drop the pattern-matching copy of the ID-number blind index on PostgreSQL.

Django gives every unique or indexed text column on PostgreSQL a second ``…_like`` index (``varchar_pattern_ops``)
for ``LIKE 'prefix%'`` look-ups. The blind index is only ever compared for equality (the unique index serves
that), so the copy was 273 MB at 3 million members (``bench/``) and one more B-tree for every member an import
inserts. A later migration that alters this field may create it again; drop it again then.
"""

from django.db import migrations


def _like_index_name(schema_editor, model):
    field = model._meta.get_field("id_number_index")
    return schema_editor._create_index_name(model._meta.db_table, [field.column], suffix="_like")


def drop_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("organizations", "Person")
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(_like_index_name(schema_editor, model))}")


def create_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("organizations", "Person")
    schema_editor.execute(schema_editor._create_like_index_sql(model, model._meta.get_field("id_number_index")))


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0005_masked_copies"),
    ]

    operations = [migrations.RunPython(drop_like_index, create_like_index)]
