# The notification model now lives in the notifications app (which took over its table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_job'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
