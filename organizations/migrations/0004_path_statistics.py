"""A finer histogram of organization paths on PostgreSQL.

With the default statistics target (100 buckets) PostgreSQL estimated the organizations of a district (1 % of
100k, a range of paths inside one bucket) at 1 row, and planned a district's member list as "read all 30,000
members, then sort" (59 ms) instead of "read the organizations in tree order and stop after 50 members" (0.4 ms).
1,000 buckets put such a range over ten buckets; ANALYZE then costs a little more on this one column."""

from typing import Any

from django.db import migrations


def finer_statistics(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE organizations_organization ALTER COLUMN path SET STATISTICS 1000")


def default_statistics(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE organizations_organization ALTER COLUMN path SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_region_tally")]

    operations = [migrations.RunPython(finer_statistics, default_statistics, elidable=False)]
