"""A demo cohort whose window contains today, with students whose logs look real.

Runs from `manage.py seed_demo`. A second run finds everything in place and
changes nothing; the window is fixed when the cohort is first made.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from common.timezones import local_instant, local_today
from events.models import Event, Rsvp
from groups.models import Membership, StudyGroup
from groups.services.forming import forming_run_apply, forming_run_create
from groups.services.membership import membership_move, mentor_add
from lessons.models import Lesson
from progress.models import Cohort, Enrollment, LessonProgress, ProjectSubmission, StudyLog, WeeklySummary
from progress.services.plans import schedule_build
from progress.services.enrollments import enrollment_create
from progress.services.rollups import rollups_rebuild

DEMO_SLUG = "demo"
DEMO_TIME_ZONE = "America/Los_Angeles"
# The reference cohort ran 9 Nov 2018 to 9 Jan 2019.
REFERENCE_LENGTH = dt.date(2019, 1, 9) - dt.date(2018, 11, 9)
STAFF_LOGIN = ("staff@example.com", "demo-staff-2018")
STUDENT_LOGIN = ("student@example.com", "demo-student-2018")
MENTOR_LOGIN = ("mentor@example.com", "demo-mentor-2018")  # a student who volunteers to mentor two groups
UNGROUPED_SHARE = 0.1  # left out of the demo's groups, so staff's "Form groups" has someone to place

FIRST_NAMES = [
    "Aisha", "Bruno", "Chen", "Dara", "Elif", "Femi", "Gabriela", "Hiro", "Ines", "Jonas", "Kavya", "Luca",
    "Maya", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sami", "Tomás", "Uma", "Viktor", "Wen", "Yara",
]
LAST_NAMES = [
    "Adeyemi", "Becker", "Castro", "Dubois", "Eriksen", "Fujita", "García", "Haddad", "Iyer", "Jensen",
    "Kowalski", "Lindqvist", "Mensah", "Nakamura", "Okafor", "Petrov", "Rahman", "Silva", "Tanaka", "Weber",
]
TIME_ZONES = [
    "America/Los_Angeles", "America/New_York", "America/Sao_Paulo", "Europe/London", "Europe/Berlin",
    "Africa/Lagos", "Africa/Nairobi", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
]
NOTES = [
    "Finally understood **backpropagation**: the chain rule, one layer at a time.",
    "Study group call. Shared [my notebook](https://github.com/) with the others.",
    "Stuck on tensor shapes for an hour; `view(-1, 784)` fixed it.",
    "Re-watched the gradient descent videos.\n\n- learning rate too high → loss explodes\n- too low → slow",
    "Good AMA with the instructors today.",
]


@dataclass(frozen=True)
class Pace:
    name: str
    study_chance: float
    weekday_hours: float
    weekend_hours: float
    stops_after_days: int | None = None


PACES = {
    "ahead": Pace("ahead", 0.92, 4.5, 6.0),
    "on track": Pace("on track", 0.82, 3.5, 5.0),
    "stalled": Pace("stalled", 0.7, 2.5, 3.5, stops_after_days=6),
    "finished": Pace("finished", 1.0, 9.0, 11.0),
}


@dataclass(frozen=True)
class DemoResult:
    cohort: Cohort
    created_students: int
    created_logs: int


def demo_window(*, today: dt.date) -> tuple[dt.date, dt.date]:
    """Opening day and cut-off day: cut-off on the coming 9 January, or shifted so today is inside."""
    cutoff_day = dt.date(today.year if today <= dt.date(today.year, 1, 9) else today.year + 1, 1, 9)
    opens_on = cutoff_day - REFERENCE_LENGTH
    if opens_on > today:
        opens_on = today - dt.timedelta(days=17)
        cutoff_day = opens_on + REFERENCE_LENGTH
    return opens_on, cutoff_day


DEMO_MIX = (20, 45, 28, 7)  # percent ahead, steady, stalled, finished


def _pace_for(index: int, rng: random.Random, mix: tuple[int, ...] = DEMO_MIX) -> Pace:
    if index == 0:
        return PACES["on track"]
    return rng.choices(list(PACES.values()), weights=mix)[0]


def _history(
    *, enrollment: Enrollment, lessons: list[Lesson], pace: Pace, until: dt.date, rng: random.Random
) -> tuple[list[StudyLog], list[LessonProgress]]:
    """Walk the lessons in order, spending each study day's hours on what is left of them.

    Finishing the challenge project means handing it in: `_hand_ins` gives those students a submission.
    """
    logs: list[StudyLog] = []
    completions: list[LessonProgress] = []
    remaining = [lesson.estimated_minutes for lesson in lessons]
    current = 0
    day = enrollment.cohort.opens_on + dt.timedelta(days=rng.randint(0, 3))
    studied_days = 0
    while day < until and current < len(lessons):
        if pace.stops_after_days is not None and studied_days >= pace.stops_after_days:
            break
        if rng.random() < pace.study_chance:
            studied_days += 1
            hours = pace.weekend_hours if day.weekday() >= 5 else pace.weekday_hours
            budget = max(15, int(rng.gauss(hours, 0.8) * 60) // 15 * 15)
            community = rng.choice([0, 0, 15, 30, 45])
            while budget > 0 and current < len(lessons):
                spent = min(budget, remaining[current])
                logs.append(
                    StudyLog(
                        enrollment=enrollment,
                        day=day,
                        lesson=lessons[current],
                        minutes=spent,
                        community_minutes=community,
                        notes=rng.choice(NOTES) if rng.random() < 0.3 else "",
                    )
                )
                community = 0
                budget -= spent
                remaining[current] -= spent
                if remaining[current] <= 0:
                    completions.append(LessonProgress(enrollment=enrollment, lesson=lessons[current], completed_on=day))
                    current += 1
        day += dt.timedelta(days=1)
    return logs, completions


def _hand_ins(*, completions: list[LessonProgress], rng: random.Random) -> list[ProjectSubmission]:
    """A project handed in for each student whose history finished the final lesson."""
    return [
        ProjectSubmission(
            enrollment=done.enrollment, url=f"https://github.com/scholar-{done.enrollment.user_id}/flower-classifier",
            description="A flower classifier fine-tuned from a pretrained network.",
            score=Decimal(rng.randint(70, 100)),
        )
        for done in completions
        if done.lesson.is_final_project
    ]


def _summaries(*, enrollment: Enrollment, logs: list[StudyLog], today: dt.date, rng: random.Random) -> list[WeeklySummary]:
    """A summary for some finished weeks with study in them; about half shared."""
    opens = enrollment.cohort.opens_on
    weeks: dict[int, int] = {}
    for log in logs:
        week = (log.day - opens).days // 7 + 1
        weeks[week] = weeks.get(week, 0) + log.minutes
    current = (today - opens).days // 7 + 1
    return [
        WeeklySummary(
            enrollment=enrollment,
            week_number=week,
            body=f"## Week {week}\n\nStudied {minutes // 60} h this week. {rng.choice(NOTES)}\n\n"
            "### Next week\n\nKeep the streak going and finish the current lesson.",
            is_shared=rng.random() < 0.5,
        )
        for week, minutes in sorted(weeks.items())
        if week < current and rng.random() < 0.6
    ]


def histories_insert(
    *,
    enrollments: list[Enrollment],
    lessons: list[Lesson],
    today: dt.date,
    rng_for: Callable[[Enrollment], random.Random],
    pace_for: Callable[[Enrollment, random.Random], Pace],
    batch_size: int = 1000,
) -> int:
    """Give each new student a made-up history (logs, completions, summaries) by bulk insert; returns the log count.

    Bulk inserts skip the services: the caller rebuilds the rollups afterwards.
    """
    logs: list[StudyLog] = []
    completions: list[LessonProgress] = []
    summaries: list[WeeklySummary] = []
    projects: list[ProjectSubmission] = []
    for enrollment in enrollments:
        rng = rng_for(enrollment)
        history, done = _history(enrollment=enrollment, lessons=lessons, pace=pace_for(enrollment, rng), until=today, rng=rng)
        logs.extend(history)
        completions.extend(done)
        summaries.extend(_summaries(enrollment=enrollment, logs=history, today=today, rng=rng))
        projects.extend(_hand_ins(completions=done, rng=rng))
    StudyLog.objects.bulk_create(logs, batch_size=batch_size)
    LessonProgress.objects.bulk_create(completions, batch_size=batch_size)
    WeeklySummary.objects.bulk_create(summaries, batch_size=batch_size)
    ProjectSubmission.objects.bulk_create(projects, batch_size=batch_size)
    return len(logs)


@transaction.atomic
def demo_cohort_seed(*, students: int = 60, now: dt.datetime | None = None) -> DemoResult:
    user_model = get_user_model()
    today = local_today(time_zone=DEMO_TIME_ZONE, now=now)
    opens_on, cutoff_day = demo_window(today=today)
    cohort, _ = Cohort.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "PyTorch Scholarship Challenge (demo)",
            "opens_on": opens_on,
            "cutoff_at": Cohort.cutoff_from_local(day=cutoff_day, time_zone=DEMO_TIME_ZONE),
            "time_zone": DEMO_TIME_ZONE,
            "accepts_signups": True,
        },
    )
    if not user_model.objects.filter(email=STAFF_LOGIN[0]).exists():
        user_model.objects.create_superuser(email=STAFF_LOGIN[0], password=STAFF_LOGIN[1], full_name="Demo Staff")

    people = [(STUDENT_LOGIN[0], "Demo Student", STUDENT_LOGIN[1])]
    for index in range(1, students):
        rng = random.Random(index)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        people.append((f"student{index:04d}@demo.example.com", name, None))

    created: list[tuple[int, Enrollment]] = []
    for index, (email, name, password) in enumerate(people):
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(email=email, password=password, full_name=name)
        rng = random.Random(f"{DEMO_SLUG}-{index}")
        enrollment, is_new = Enrollment.objects.get_or_create(
            user=user,
            cohort=cohort,
            defaults={
                "time_zone": DEMO_TIME_ZONE if index == 0 else rng.choice(TIME_ZONES),
                "weekday_goal_hours": Decimal("3.5"),
                "weekend_goal_hours": Decimal("5.0"),
            },
        )
        if not is_new:
            continue
        created.append((index, enrollment))
        if index == 0 or rng.random() < 0.7:
            # Planned on the opening day, before any study, as a careful student would.
            cutoff_local_day = cohort.cutoff_local.date()
            schedule_build(
                enrollment=enrollment, starts_on=cohort.opens_on, target_on=cutoff_local_day - dt.timedelta(days=7),
                weekday_hours=enrollment.weekday_goal_hours, weekend_hours=enrollment.weekend_goal_hours,
                days_off=[day for day in [dt.date(cutoff_local_day.year - 1, 12, 25)] if cohort.opens_on <= day <= cutoff_local_day],
                accept_after_cutoff=True,
            )
    position = {enrollment.pk: index for index, enrollment in created}
    logs = histories_insert(
        enrollments=[enrollment for _, enrollment in created],
        lessons=list(Lesson.objects.order_by("number")),
        today=today,
        rng_for=lambda enrollment: random.Random(f"{DEMO_SLUG}-history-{position[enrollment.pk]}"),
        pace_for=lambda enrollment, rng: _pace_for(position[enrollment.pk], rng),
    )
    if created:
        # Bulk inserts skip the services, so bring the cohort's rollups in step once at the end.
        rollups_rebuild(cohort_id=cohort.pk)
    demo_groups_seed(cohort=cohort, now=now)
    demo_events_seed(cohort=cohort, now=now)
    return DemoResult(cohort=cohort, created_students=len(created), created_logs=logs)


def demo_groups_seed(*, cohort: Cohort, now: dt.datetime | None = None) -> None:
    """Study groups for the demo: most students formed into groups as staff would, a tenth left without, the demo
    student's group mentored by staff and by a volunteer student. Once: a cohort with groups is left as it is."""
    if StudyGroup.objects.filter(cohort=cohort).exists():
        return
    user_model = get_user_model()
    mentor = user_model.objects.filter(email=MENTOR_LOGIN[0]).first() or user_model.objects.create_user(
        email=MENTOR_LOGIN[0], password=MENTOR_LOGIN[1], full_name="Demo Mentor"
    )
    if not Enrollment.objects.filter(user=mentor, cohort=cohort).exists():
        enrollment_create(user=mentor, cohort=cohort, time_zone=DEMO_TIME_ZONE)  # with its numbers, as every enrollment
    staff = user_model.objects.get(email=STAFF_LOGIN[0])
    run = forming_run_create(cohort=cohort, started_by=staff, enqueue=lambda run_id: None, now=now)
    forming_run_apply(run_id=run.pk, now=now)
    student = Enrollment.objects.get(cohort=cohort, user__email=STUDENT_LOGIN[0])
    rng = random.Random(f"{DEMO_SLUG}-groups")
    for membership in Membership.objects.filter(group__cohort=cohort).exclude(enrollment=student).select_related("enrollment"):
        if rng.random() < UNGROUPED_SHARE:
            membership_move(enrollment=membership.enrollment, group=None)
    Membership.objects.filter(group__cohort=cohort, enrollment__user__email=MENTOR_LOGIN[0]).delete()
    groups = [Membership.objects.get(enrollment=student).group, *StudyGroup.objects.filter(cohort=cohort).exclude(memberships__enrollment=student)[:1]]
    for group in groups:
        mentor_add(group=group, email=MENTOR_LOGIN[0])
        mentor_add(group=group, email=STAFF_LOGIN[0])


DEMO_EVENTS = [  # (days from today, hour in the programme's zone, minutes, title, host)
    (-9, 17, 60, "Kick-off AMA with the course team", "The instructors"),
    (-2, 18, 90, "Live webinar: tensors and shapes", "Volunteer mentors"),
    (1, 17, 60, "AMA: the challenge project", "The instructors"),
    (4, 9, 45, "Webinar: networking and career advice", "Industry guests"),
    (8, 18, 60, "AMA: what phase two looks like", "Programme staff"),
]


def demo_events_seed(*, cohort: Cohort, now: dt.datetime | None = None) -> None:
    """A few past and upcoming events; the demo student is going to the next one and attended the last. Once."""
    if Event.objects.filter(cohort=cohort).exists():
        return
    today = local_today(time_zone=cohort.time_zone, now=now)
    staff = get_user_model().objects.get(email=STAFF_LOGIN[0])
    events = [
        Event.objects.create(
            cohort=cohort, title=title, host=host, duration_minutes=minutes, created_by=staff,
            starts_at=local_instant(day=today + dt.timedelta(days=days), at=dt.time(hour), time_zone=cohort.time_zone),
            join_url="https://meet.example.org/pytorch-scholars", description="Questions welcome: post them in **#ama** beforehand.",
            recording_url="https://video.example.org/recording" if days < 0 else "",
        )
        for days, hour, minutes, title, host in DEMO_EVENTS
    ]
    student = Enrollment.objects.get(cohort=cohort, user__email=STUDENT_LOGIN[0])
    Rsvp.objects.create(event=events[2], enrollment=student)

