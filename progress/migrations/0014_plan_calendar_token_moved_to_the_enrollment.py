"""The calendar feed's token lives on the enrollment (0013 copied each plan's there): the plan's copy goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('progress', '0013_enrollment_calendar_token'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='studyplan',
            name='calendar_token',
        ),
    ]
