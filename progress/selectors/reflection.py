"""What a student writes: weekly summaries (their weeks, a draft, the cohort's shared ones), accomplishments, the project."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from common.timezones import hours_display
from lessons.models import Lesson

from ..models import Accomplishment, Cohort, Enrollment, LessonProgress, ProjectSubmission, StudyLog, WeeklySummary
from ..course_days import CourseWeek, course_week, cutoff_day
from .enrollments import enrollment_today


def summary_current_week(*, enrollment: Enrollment, now: dt.datetime | None = None) -> int:
    """The latest course week a student can write about: this week, or the last one once the course is over."""
    today = enrollment_today(enrollment=enrollment, now=now)
    last_week = course_week(cohort=enrollment.cohort, day=cutoff_day(enrollment=enrollment)).number
    return min(course_week(cohort=enrollment.cohort, day=today).number, last_week)


def summary_week_is_open(*, enrollment: Enrollment, week_number: int, now: dt.datetime | None = None) -> bool:
    """A week a student may write about: one that has begun, up to the course's last."""
    return 1 <= week_number <= summary_current_week(enrollment=enrollment, now=now)


def week_of_number(*, cohort: Cohort, number: int) -> CourseWeek:
    return course_week(cohort=cohort, day=cohort.opens_on + dt.timedelta(days=7 * (number - 1)))


@dataclass(frozen=True)
class SummaryWeek:
    week: CourseWeek
    summary: WeeklySummary | None
    is_current: bool


def weekly_summaries_overview(*, enrollment: Enrollment, now: dt.datetime | None = None) -> list[SummaryWeek]:
    """Every course week so far, newest first, with the student's summary where written (one query)."""
    current = summary_current_week(enrollment=enrollment, now=now)
    written = {summary.week_number: summary for summary in WeeklySummary.objects.filter(enrollment=enrollment)}
    return [
        SummaryWeek(week=week_of_number(cohort=enrollment.cohort, number=number), summary=written.get(number), is_current=number == current)
        for number in range(current, 0, -1)
    ]


def weekly_summaries_for_enrollment(*, enrollment: Enrollment) -> list[WeeklySummary]:
    return list(WeeklySummary.objects.filter(enrollment=enrollment).order_by("week_number"))


def weekly_summary_for_week(*, enrollment: Enrollment, week_number: int) -> WeeklySummary | None:
    return WeeklySummary.objects.filter(enrollment=enrollment, week_number=week_number).first()


def weekly_summary_draft(*, enrollment: Enrollment, week_number: int) -> str:
    """A markdown starting point from the week's logs, for the student to edit (two queries)."""
    week = week_of_number(cohort=enrollment.cohort, number=week_number)
    logs = list(
        StudyLog.objects.filter(enrollment=enrollment, day__range=(week.starts_on, week.ends_on))
        .select_related("lesson")
        .order_by("day", "lesson__number")
    )
    completed = list(
        LessonProgress.objects.filter(enrollment=enrollment, completed_on__range=(week.starts_on, week.ends_on))
        .select_related("lesson")
        .order_by("completed_on")
    )
    total = sum(log.minutes for log in logs)
    community = sum(log.community_minutes for log in logs)
    days = sorted({log.day for log in logs})
    lines = [f"## Week {week.number} ({week.starts_on:%-d %b} to {week.ends_on:%-d %b})", ""]
    if logs:
        lines.append(
            f"I studied **{hours_display(total)}** on {len(days)} day{'s' if len(days) != 1 else ''}"
            + (f", plus {hours_display(community)} of community time." if community else ".")
        )
    else:
        lines.append("I logged no study time this week.")
    per_lesson: dict[Lesson, int] = {}
    for log in logs:
        per_lesson[log.lesson] = per_lesson.get(log.lesson, 0) + log.minutes
    if per_lesson:
        lines += ["", "### Hours per lesson", ""]
        lines += [f"- {lesson}: {hours_display(minutes)}" for lesson, minutes in sorted(per_lesson.items(), key=lambda pair: pair[0].number)]
    if completed:
        lines += ["", "### Lessons completed", ""]
        lines += [f"- {done.lesson} ({done.completed_on:%a %-d %b})" for done in completed]
    notes_by_day: dict[dt.date, str] = {}
    for log in logs:
        first_line = next((line.strip() for line in log.notes.splitlines() if line.strip()), "")
        if first_line and log.day not in notes_by_day:
            notes_by_day[log.day] = first_line
    if notes_by_day:
        lines += ["", "### Day by day", ""]
        lines += [f"- {day:%a %-d %b}: {note}" for day, note in notes_by_day.items()]
    lines += ["", "### What I learnt", "", "", "### What was hard", "", "", "### Next week", "", ""]
    return "\n".join(lines)


def shared_summaries_for_cohort(*, cohort: Cohort) -> QuerySet[WeeklySummary]:
    return (
        WeeklySummary.objects.filter(enrollment__cohort=cohort, is_shared=True)
        .select_related("enrollment__user")
        .order_by("-updated_at", "-pk")
    )


def accomplishments_for_enrollment(*, enrollment: Enrollment) -> list[Accomplishment]:
    return list(Accomplishment.objects.filter(enrollment=enrollment).order_by("-achieved_on", "-pk"))


def accomplishment_get_for_user(*, user, accomplishment_id: int) -> Accomplishment:
    try:
        return Accomplishment.objects.get(pk=accomplishment_id, enrollment__user=user)
    except Accomplishment.DoesNotExist as exc:
        raise Http404("No such accomplishment.") from exc


def project_submission_for_enrollment(*, enrollment: Enrollment) -> ProjectSubmission | None:
    return ProjectSubmission.objects.filter(enrollment=enrollment).first()
