"""The reference cohort the product is modelled on: the 2018-19 PyTorch Scholarship Challenge.

It opened on 9 November 2018 and closed at 23:59 Pacific time on 9 January
2019 (Udacity, the organiser, is in California). It does not take sign-ups:
its cut-off has passed; `seed_demo` makes a current cohort to try the site.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

TIME_ZONE = "America/Los_Angeles"


def create_reference_cohort(apps, schema_editor):
    Cohort = apps.get_model("progress", "Cohort")
    cutoff = dt.datetime(2019, 1, 9, 23, 59, tzinfo=ZoneInfo(TIME_ZONE)).astimezone(dt.UTC)
    Cohort.objects.get_or_create(
        slug="pytorch-2018-19",
        defaults={
            "name": "PyTorch Scholarship Challenge 2018-19",
            "opens_on": dt.date(2018, 11, 9),
            "cutoff_at": cutoff,
            "time_zone": TIME_ZONE,
            "phase_two_seats": 300,
            "accepts_signups": False,
        },
    )


def remove_reference_cohort(apps, schema_editor):
    apps.get_model("progress", "Cohort").objects.filter(slug="pytorch-2018-19").delete()


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial")]

    operations = [migrations.RunPython(create_reference_cohort, remove_reference_cohort)]
