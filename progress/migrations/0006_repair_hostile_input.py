"""Repair what inputs now refused could store before:

- time zones under old spellings (Asia/Calcutta) take their current name (Asia/Kolkata), so the
  cohort filter offers one name a zone;
- days off outside the course window are dropped (one plan held 730,000 of them);
- plan entries moved to a year or more after the cut-off (9999-12-30 broke the schedule page for
  good) end on the cut-off day instead.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

from common.timezones import canonical_time_zone

FAR = dt.timedelta(days=366)


def repair(apps, schema_editor):
    Cohort = apps.get_model("progress", "Cohort")
    Enrollment = apps.get_model("progress", "Enrollment")
    StudyPlan = apps.get_model("progress", "StudyPlan")
    ScheduleItem = apps.get_model("progress", "ScheduleItem")

    for model in (Cohort, Enrollment):
        for name in model.objects.order_by().values_list("time_zone", flat=True).distinct():
            if canonical_time_zone(name) != name:
                model.objects.filter(time_zone=name).update(time_zone=canonical_time_zone(name))

    def cutoff_day(enrollment) -> dt.date:
        return enrollment.cohort.cutoff_at.astimezone(ZoneInfo(enrollment.time_zone)).date()

    changed = []
    for plan in StudyPlan.objects.select_related("enrollment__cohort").iterator(chunk_size=2000):
        first, last = plan.enrollment.cohort.opens_on, cutoff_day(plan.enrollment)
        kept = [day for day in plan.days_off if first <= dt.date.fromisoformat(day) <= last]
        if kept != plan.days_off:
            plan.days_off = kept
            changed.append(plan)
    StudyPlan.objects.bulk_update(changed, ["days_off"], batch_size=500)

    changed = []
    far_items = ScheduleItem.objects.select_related("plan__enrollment__cohort").filter(ends_on__isnull=False)
    for item in far_items.iterator(chunk_size=2000):
        last = cutoff_day(item.plan.enrollment)
        if item.ends_on > last + FAR:
            item.ends_on = last
            item.starts_on = min(item.starts_on, last) if item.starts_on else None
            changed.append(item)
    ScheduleItem.objects.bulk_update(changed, ["starts_on", "ends_on"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("progress", "0005_markdown_rendered_on_write"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
