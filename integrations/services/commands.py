"""`/study` in the chat workspace: log time, the timer (start, stop, show), undo, today's logs, the week, the
student's standing, help and linking.

Logging goes through the web form's own form, and a service with its rules (`study_log_add`), so the same input
is refused with the same words; a second `/study` on a lesson and day adds to that log rather than replacing it.
Each answer is plain text for an ephemeral message (only the student sees it).
"""

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.forms import form_submit
from common.timezones import hours_display
from lessons.models import Lesson
from progress.forms import StudyLogForm
from progress.selectors.enrollments import enrollment_today
from progress.selectors.logs import study_logs_on_day
from progress.selectors.numbers import dashboard_for_enrollment
from progress.services.study_logs import study_log_add, study_log_saved_words

from .linking import enrollment_for_slack_user, link_tries_over_limit, slack_link
from .timer_and_week import slack_entries_record, slack_timer_shown, slack_timer_start, slack_timer_stop, slack_undo, slack_week

LESSON = re.compile(r"^[Ll](?:esson)?(\d{1,2})$")
HELP = (
    "*/study* logs your study time without leaving the chat:\n"
    "• `/study 1h30 L5 what I did`: 1 h 30 min on lesson 5 today, with a note (times as on the site: 1.5, 1:30, 1h30, 90m); "
    "a second one on the same lesson adds to that day's log\n"
    "• `/study start L6`: start the timer on lesson 6 (the same timer as on the site)\n"
    "• `/study stop what I did`: stop it, adding its time and the note to today's log\n"
    "• `/study`: the running timer: its lesson, when it started and how long it has run\n"
    "• `/study undo`: take back the last time logged from here, within 10 minutes\n"
    "• `/study today`: today's logs\n"
    "• `/study week`: this course week by day and lesson, and whether you will make the cut-off\n"
    "• `/study status`: time left, safe days, your plan, hours a day needed\n"
    "• `/study link CODE`: tie this chat account to yours (the code is on your profile, and works for an hour)\n"
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
    status, standing = page.status, page.standing
    lines = [f"*{status.verdict.label}.* {status.headline}"]
    if page.is_closed:
        return "\n".join([*lines, "The course has closed."])
    lines += [
        f"Time left: {page.days_left} days {page.hours_left_after_days} h (cut-off {page.cutoff_local:%a %-d %b %H:%M %Z}, your time)",
        f"Lessons done: {status.numbers.lessons_done} of {page.lessons_total}",
        f"Plan: {status.plan_words}",
    ]
    if not (status.is_finished or status.at_risk):  # as on the dashboard: safe days mean nothing to a student at risk
        lines.append(f"Safe days: {max(standing.safe_days, 0)}")
    if not status.is_finished and standing.needed_per_day_by_cutoff is not None:
        lines.append(f"Needed: {hours_display(standing.needed_per_day_by_cutoff)} a day to finish by the cut-off")
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
        with transaction.atomic():
            ok, result = form_submit(form, study_log_add, enrollment=enrollment, now=now)
            if ok:
                slack_entries_record(enrollment=enrollment, parts=[(result[0], form.cleaned_data["minutes"])], now=now)
        if ok:
            saved, created = result
            return study_log_saved_words(log=saved, created=True) if created else _added_words(saved, form.cleaned_data["minutes"])
    return "Not saved: " + " ".join(error for errors in form.errors.values() for error in errors)


def _lesson_named(word: str) -> tuple[Lesson | None, str]:
    """The lesson `L6` names, or None with the reason."""
    match = LESSON.match(word)
    if match is None:
        return None, "Say which lesson, like `/study start L6`."
    number = int(match.group(1))
    lesson = Lesson.objects.filter(number=number).first()
    if lesson is None:
        return None, f"There is no lesson {number}: lessons go from 1 to {Lesson.objects.count()}."
    return lesson, ""


def _start(enrollment, words: list[str], now: dt.datetime) -> str:
    if len(words) != 2:
        return "Say which lesson, like `/study start L6`."
    lesson, refusal = _lesson_named(words[1])
    if lesson is None:
        return refusal
    return slack_timer_start(enrollment=enrollment, lesson=lesson, now=now)


def _added_words(log, added: int) -> str:
    """A second `/study` on a lesson and day adds to its log: say what the log holds now."""
    community = f", and {hours_display(log.community_minutes)} of community time" if log.community_minutes else ""
    return (
        f"Added {hours_display(added)} to {log.lesson} for {log.day:%a %-d %b}: "
        f"{hours_display(log.minutes)} on it that day now{community}."
    )


def slack_command_answer(
    *, team_id: str, slack_user_id: str, text: str, address: str | None = None, now: dt.datetime | None = None
) -> str:
    """The answer to one `/study`; `address` is the client address the request came from (link tries count it)."""
    now = now or timezone.now()
    words = text.split()
    verb = words[0].lower() if words else ""
    if verb == "help":
        return HELP
    if verb == "link":
        if len(words) < 2:
            return f"Send `/study link CODE` with the code from your profile: {_profile_url()}"
        if link_tries_over_limit(team_id=team_id, slack_user_id=slack_user_id, address=address):
            return "That is too many tries at a link code: wait an hour, then send the code your profile shows."
        enrollment = slack_link(team_id=team_id, slack_user_id=slack_user_id, code="".join(words[1:]), now=now)
        if enrollment is None:
            return (
                "That code is not one we gave out, was used already, or is more than an hour old. "
                f"Your profile shows a fresh one: {_profile_url()}"
            )
        return f"Linked: `/study` now logs for {enrollment.user.get_short_name()} in {enrollment.cohort.name}."
    enrollment = enrollment_for_slack_user(team_id=team_id, slack_user_id=slack_user_id)
    if enrollment is None:
        return HELP if not verb else _not_linked()
    if not verb:
        return slack_timer_shown(enrollment=enrollment, now=now)
    if verb == "start":
        return _start(enrollment, words, now)
    if verb == "stop":
        return slack_timer_stop(enrollment=enrollment, note=" ".join(words[1:]), now=now)
    if verb == "undo":
        return slack_undo(enrollment=enrollment, now=now)
    if verb == "week":
        return slack_week(enrollment=enrollment, now=now)
    if verb == "today":
        return _today(enrollment)
    if verb == "status":
        return _status(enrollment)
    return _log(enrollment, words, now)
