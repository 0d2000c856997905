import datetime as dt
import os

from celery import Celery
from celery.schedules import crontab, schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scholarship.settings")

from django.conf import settings  # noqa: E402 - after the settings module is named

app = Celery("scholarship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "reminders-and-digests-every-15-minutes": {
        "task": "notifications.tasks.notifications_dispatch",
        "schedule": crontab(minute="*/15"),
    },
    "event-reminders-and-cancellations-every-5-minutes": {
        "task": "notifications.tasks.event_emails_dispatch",
        "schedule": crontab(minute="*/5"),
    },
    "weekly-channel-posts": {
        "task": "integrations.tasks.weekly_posts_due",
        "schedule": crontab(minute="*/15"),
    },
    "lost-or-unsent-emails-again": {
        "task": "notifications.tasks.notifications_catch_up",
        "schedule": schedule(dt.timedelta(seconds=settings.NOTIFICATION_CATCH_UP_SECONDS)),
    },
    "cohort-snapshots-hourly": {
        "task": "review.tasks.cohort_snapshots_take",
        "schedule": crontab(minute=10),
    },
    "clear-expired-sessions-daily": {
        "task": "accounts.tasks.sessions_clear_expired",
        "schedule": crontab(hour=3, minute=17),
    },
}
