"""Every student gets a calendar feed, plan or not: its secret moves from the plan to the enrollment. A student
with a plan keeps the plan's token, so a calendar already subscribed to the old address goes on working."""

from django.db import migrations, models

import progress.models

BATCH = 1_000


def tokens_given(apps, schema_editor):
    Enrollment = apps.get_model("progress", "Enrollment")
    StudyPlan = apps.get_model("progress", "StudyPlan")
    planned = dict(StudyPlan.objects.values_list("enrollment_id", "calendar_token"))
    batch = []
    for enrollment in Enrollment.objects.only("pk").order_by("pk").iterator(chunk_size=BATCH):
        enrollment.calendar_token = planned.get(enrollment.pk) or progress.models.new_calendar_token()
        batch.append(enrollment)
        if len(batch) == BATCH:
            Enrollment.objects.bulk_update(batch, ["calendar_token"])
            batch = []
    Enrollment.objects.bulk_update(batch, ["calendar_token"])


class Migration(migrations.Migration):

    dependencies = [
        ("progress", "0012_rollups_kept_on_write"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="calendar_token",
            field=models.CharField(max_length=64, null=True, editable=False),
        ),
        migrations.RunPython(tokens_given, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="enrollment",
            name="calendar_token",
            field=models.CharField(default=progress.models.new_calendar_token, editable=False, max_length=64, unique=True),
        ),
    ]
