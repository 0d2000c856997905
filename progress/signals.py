"""Every saved row a student's dashboard shows moves their dashboard version on (see services.dashboard_version_bump).

The services already do so for their writes; this also covers the admin, the shell and data fixes,
so a cached dashboard is never shown stale whichever way a row was saved. Deletes go through the
services (a delete signal would stop Django from deleting a cohort's logs in bulk).
"""

from django.db.models.signals import post_save

from .models import Accomplishment, LessonProgress, ScheduleItem, StudyLog, StudyPlan, WeeklySummary
from .services import dashboard_version_bump


def _row_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: no dashboard has been drawn from these rows
        return
    enrollment_id = instance.plan.enrollment_id if isinstance(instance, ScheduleItem) else instance.enrollment_id
    dashboard_version_bump(enrollment_id=enrollment_id)


def connect() -> None:
    for model in (StudyLog, LessonProgress, StudyPlan, ScheduleItem, WeeklySummary, Accomplishment):
        post_save.connect(_row_saved, sender=model, dispatch_uid=f"dashboard-version-{model.__name__}")
