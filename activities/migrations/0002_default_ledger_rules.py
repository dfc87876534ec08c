"""The usual organization-life rules (三会一课, themed party day). Administrators change them afterwards."""

from django.db import migrations


def add_rules(apps, schema_editor):
    from activities import defaults

    defaults.install(apps.get_model("activities", "LedgerRule"))


def remove_rules(apps, schema_editor):
    apps.get_model("activities", "LedgerRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
