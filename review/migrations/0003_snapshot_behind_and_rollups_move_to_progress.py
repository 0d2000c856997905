"""Snapshots count the students behind their plan; the old rollup table goes (progress 0012 makes the new one,
kept on write, under the same name)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0002_risk_reasons_as_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='cohortsnapshot',
            name='behind',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.DeleteModel(
            name='StudentRollup',
        ),
    ]
