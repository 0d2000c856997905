"""`/study` in the chat workspace: log time, list today's logs, the student's standing, help and linking.

Logging goes through the web form's own form and service, so the same input is refused with the same words.
Each answer is plain text for an ephemeral message (only the student sees it).
"""

import datetime as dt
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.forms import form_submit
from common.timezones import hours_display
from lessons.models import Lesson
from progress.forms import StudyLogForm
from progress.selectors.enrollments import enrollment_today
from progress.selectors.logs import study_logs_on_day
from progress.selectors.standing import dashboard_for_enrollment
from progress.services.study_logs import study_log_save, study_log_saved_words

from .linking import enrollment_for_slack_user, slack_link

LESSON = re.compile(r"^[Ll](?:esson)?(\d{1,2})$")
HELP = (
    "*/study* logs your study time without leaving the chat:\n"
    "• `/study 1h30 L5 what I did`: 1 h 30 min on lesson 5 today, with a note (times as on the site: 1.5, 1:30, 1h30, 90m)\n"
    "• `/study today`: today's logs\n"
    "• `/study status`: time left, safe days, your plan, hours a day needed\n"
    "• `/study link CODE`: tie this chat account to yours (the code is on your profile)\n"
    "• `/study help`: this"
)


def _profile_url() -> str:
    return settings.SITE_URL + reverse("progress:profile")


def _not_linked() -> str:
    return (
        "This chat account is not linked to Scholarship Tracker yet. Open your profile, "
        f"{_profile_url()}, copy the code under “Chat workspace”, and send `/study link CODE` here."
    )


def _today(enrollment) -> str:
    today = enrollment_today(enrollment=enrollment)
    logs = sorted(study_logs_on_day(enrollment=enrollment, day=today), key=lambda log: log.lesson_id)
    if not logs:
        return f"Nothing logged today ({today:%a %-d %b}) yet. `/study 1h L3 what I did` adds some."
    lessons = {lesson.pk: lesson for lesson in Lesson.objects.filter(pk__in=[log.lesson_id for log in logs])}
    lines = [
        f"• {lessons[log.lesson_id]}: {hours_display(log.minutes)}" + (f" (+{hours_display(log.community_minutes)} community)" if log.community_minutes else "")
        for log in logs
    ]
    total = sum(log.minutes for log in logs)
    return f"Today, {today:%a %-d %b}: {hours_display(total)}\n" + "\n".join(lines)


def _status(enrollment) -> str:
    page = dashboard_for_enrollment(enrollment=enrollment)
    forecast = page.pace.forecast
    if page.is_closed:
        return "The course has closed."
    lines = [
        f"Time left: {page.days_left} days {page.hours_left_after_days} h (cut-off {page.cutoff_local:%a %-d %b %H:%M %Z}, your time)",
        f"Lessons done: {page.lessons_done} of {page.lessons_total}",
        f"Plan: {page.pace.status}",
        "Safe days: " + ("done" if forecast.is_finished else str(max(page.pace.safe_days, 0))),
    ]
    if forecast.needed_per_day_by_cutoff is not None:
        lines.append(f"Needed: {hours_display(forecast.needed_per_day_by_cutoff)} a day to finish by the cut-off")
    return "\n".join(lines)


def _log(enrollment, words: list[str], now: dt.datetime) -> str:
    if len(words) < 2 or not LESSON.match(words[1]):
        return "Say how long and which lesson, like `/study 1h30 L5 what I did`. `/study help` lists the rest."
    number = int(LESSON.match(words[1]).group(1))
    lesson = Lesson.objects.filter(number=number).first()
    if lesson is None:
        return f"There is no lesson {number}: lessons go from 1 to {Lesson.objects.count()}."
    today = enrollment_today(enrollment=enrollment, now=now)
    form = StudyLogForm(
        {"day": today.isoformat(), "lesson": lesson.pk, "minutes": words[0], "community_minutes": "", "notes": " ".join(words[2:])},
        today=today,
    )
    if form.is_valid():
        ok, result = form_submit(form, study_log_save, enrollment=enrollment, now=now)
        if ok:
            saved, created = result
            return study_log_saved_words(log=saved, created=created)
    return "Not saved: " + " ".join(error for errors in form.errors.values() for error in errors)


def slack_command_answer(*, team_id: str, slack_user_id: str, text: str, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    words = text.split()
    verb = words[0].lower() if words else "help"
    if verb == "help":
        return HELP
    if verb == "link":
        if len(words) != 2:
            return f"Send `/study link CODE` with the code from your profile: {_profile_url()}"
        enrollment = slack_link(team_id=team_id, slack_user_id=slack_user_id, code=words[1])
        if enrollment is None:
            return f"That code is not one we gave out, or it was used already. Your profile shows a fresh one: {_profile_url()}"
        return f"Linked: `/study` now logs for {enrollment.user.get_short_name()} in {enrollment.cohort.name}."
    enrollment = enrollment_for_slack_user(team_id=team_id, slack_user_id=slack_user_id)
    if enrollment is None:
        return _not_linked()
    if verb == "today":
        return _today(enrollment)
    if verb == "status":
        return _status(enrollment)
    return _log(enrollment, words, now)
