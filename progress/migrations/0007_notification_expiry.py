"""Unsent emails are given up a day after they were first handed out: the state, and when that was."""

import django.utils.timezone
from django.db import migrations, models


def dispatched_when_created(apps, schema_editor):
    """Rows written before: first handed out when they were written."""
    apps.get_model("progress", "Notification").objects.update(dispatched_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('progress', '0006_repair_hostile_input'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='dispatched_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='notification',
            name='state',
            field=models.CharField(choices=[('claimed', 'Claimed, being sent'), ('sent', 'Sent'), ('expired', 'Given up: not sent within a day of its time')], default='claimed', max_length=10),
        ),
        migrations.RunPython(dispatched_when_created, migrations.RunPython.noop),
    ]
