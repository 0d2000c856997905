"""What students write about their course: weekly summaries, accomplishments, the challenge project."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.forms import nul_characters_check
from common.timezones import local_now
from lessons.selectors import final_project_lesson

from ..models import (
    PROJECT_DESCRIPTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Accomplishment,
    Enrollment,
    ProjectSubmission,
    WeeklySummary,
)
from ..selectors.reflection import summary_current_week, summary_week_is_open
from .study_logs import lesson_progress_set
from .rollups import enrollments_lock, rollups_refresh


@transaction.atomic
def weekly_summary_save(
    *, enrollment: Enrollment, week_number: int, body: str, is_shared: bool, now: dt.datetime | None = None
) -> WeeklySummary:
    """Write or rewrite the summary of a course week that has begun."""
    nul_characters_check(body=body)
    errors: dict[str, str] = {}
    if not summary_week_is_open(enrollment=enrollment, week_number=week_number, now=now):
        current = summary_current_week(enrollment=enrollment, now=now)
        raise ValidationError(f"Week {week_number} has not begun yet; you can write weeks 1 to {current}.")
    body = (body or "").strip()
    if not body:
        errors["body"] = "Write something: even three lines help next week's you."
    elif len(body) > SUMMARY_MAX_LENGTH:
        errors["body"] = f"A summary can be at most {SUMMARY_MAX_LENGTH:,} characters (this is {len(body):,})."
    if errors:
        raise ValidationError(errors)
    # The enrollment's row lock first: it queues the student's saves, so the read below sees any summary a save
    # before this one wrote, and a week keeps one summary.
    enrollments_lock(enrollment_ids=[enrollment.pk])
    summary = WeeklySummary.objects.filter(enrollment=enrollment, week_number=week_number).order_by().first()
    if summary is None:
        summary = WeeklySummary(enrollment=enrollment, week_number=week_number)
    summary.body, summary.is_shared = body, is_shared
    summary.save()
    return summary


@transaction.atomic
def accomplishment_add(
    *, enrollment: Enrollment, title: str, achieved_on: dt.date, link: str, kind: str
) -> Accomplishment:
    nul_characters_check(title=title, link=link)
    if link:
        _web_link_check(link, field="link")
    accomplishment = Accomplishment(enrollment=enrollment, title=title.strip(), achieved_on=achieved_on, link=link, kind=kind)
    accomplishment.full_clean()
    accomplishment.save()
    return accomplishment


@transaction.atomic
def accomplishment_delete(*, accomplishment: Accomplishment) -> None:
    accomplishment.delete()


def _web_link_check(url: str, *, field: str) -> None:
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        raise ValidationError({field: "Use a web address starting with http:// or https://."})


@transaction.atomic
def project_submit(
    *,
    enrollment: Enrollment,
    url: str,
    description: str,
    score: Decimal | None,
    now: dt.datetime | None = None,
) -> ProjectSubmission:
    """Hand in (or update) the challenge project; only before the cut-off instant. Marks the final lesson done."""
    now = now or timezone.now()
    cohort = enrollment.cohort
    if cohort.is_closed(now):
        closed_at = local_now(time_zone=enrollment.time_zone, now=cohort.cutoff_at)
        raise ValidationError(
            f"The course closed on {closed_at:%a %-d %b %Y at %H:%M %Z} your time; the project can no longer be changed."
        )
    nul_characters_check(url=url, description=description)
    _web_link_check(url, field="url")
    if len(description or "") > PROJECT_DESCRIPTION_MAX_LENGTH:
        raise ValidationError({"description": f"At most {PROJECT_DESCRIPTION_MAX_LENGTH:,} characters."})
    if score is not None and score < 0:
        raise ValidationError({"score": "A score can not be negative."})
    enrollments_lock(enrollment_ids=[enrollment.pk])
    submission, _ = ProjectSubmission.objects.update_or_create(
        enrollment=enrollment, defaults={"url": url, "description": description or "", "score": score}
    )
    final_lesson = final_project_lesson()
    if final_lesson is not None:
        lesson_progress_set(enrollment=enrollment, lesson=final_lesson, done=True, now=now)
    rollups_refresh(enrollment_ids=[enrollment.pk])
    return submission
