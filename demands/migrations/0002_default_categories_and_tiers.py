from django.db import migrations


def install(apps, schema_editor):
    from demands.defaults import install as do_install

    do_install(apps.get_model("demands", "DemandCategory"), apps.get_model("demands", "DeadlineTier"))


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
