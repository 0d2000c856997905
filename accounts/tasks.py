from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def sessions_clear_expired() -> None:
    # Database-backed sessions pile up one row per visit; the table is what a
    # 10,000-student cohort grows fastest.
    call_command("clearsessions")
