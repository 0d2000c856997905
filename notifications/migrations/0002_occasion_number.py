"""Each email's occasion number (days before the cut-off, or the course week) gets a column of its own, so
nothing parses it back out of the occasion's key. Rows written before are read from their key once, here."""

import re

from django.db import migrations, models


def numbers_from_keys(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for key in Notification.objects.order_by().values_list("occasion", flat=True).distinct():
        match = re.search(r"(\d+)d?$", key)
        Notification.objects.filter(occasion=key).update(number=int(match.group(1)) if match else 0)


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="number",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(numbers_from_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="number",
            field=models.PositiveSmallIntegerField(help_text="The occasion's number: days before the cut-off, or the course week."),
        ),
    ]
