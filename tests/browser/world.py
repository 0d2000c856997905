"""A cohort as people meet it in the middle of the course, with the long values real people bring.

The demo seeder's cohort (students of every pace, groups, mentors, events, a staff member), and on top of it what
breaks layouts: a name and an email address as long as the fields allow, a group name of 100 characters, an event
title of 200, a shared summary with its own "## Week 4" heading and a link with no place to break.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from common.timezones import local_today
from devdata import demo
from events.models import Event, Rsvp
from groups.models import FormingRun, Membership, StudyGroup
from groups.services.membership import membership_move
from lessons.models import Lesson
from notifications.services.unsubscribe import unsubscribe_token
from progress.models import Accomplishment, Enrollment, StudyLog
from progress.selectors.reflection import summary_current_week
from progress.services.enrollments import enrollment_create
from progress.services.reflection import weekly_summary_save
from progress.services.study_logs import study_log_save
from review.models import EnrollmentImport

PASSWORDS = {"student": demo.STUDENT_LOGIN, "mentor": demo.MENTOR_LOGIN, "staff": demo.STAFF_LOGIN}  # (email, password)
LONG_NAME = (
    "Maria Guadalupe Fernanda Alejandra de la Santísima Trinidad Rodríguez-Hernández Montoya-Villalobos y Castellanos"
)
LONG_EMAIL = "maria.guadalupe.fernanda.alejandra.rodriguez-hernandez@postgraduate-students.university-of-somewhere.example.edu"
LONG_GROUP = "Los Angeles evening learners who study after work and at weekends, brisk pace, cameras optional"
LONG_TITLE = (
    "Ask me anything with the course team about convolutional networks, transfer learning, style transfer and the "
    "challenge project, with time for your questions at the end"
)
UNBROKEN_LINK = "https://github.com/maria-guadalupe/pytorch-scholarship-challenge-notebooks-week-four-style-transfer-and-rnns"
SUMMARY = f"""## Week 4

I studied **12 h 30 min** on 5 days.

# What went well

Style transfer finally clicked. My notebook: {UNBROKEN_LINK}

### Next week

- RNNs
- the project
"""


@dataclass
class World:
    cohort: object
    student: Enrollment  # in a group of the long name, with a plan, logs and an upcoming event
    mentor: Enrollment  # a student who mentors two groups and has logged nothing yet
    staff: object  # a staff member who also mentors
    long_named: Enrollment  # in the student's group, sharing a summary
    group: StudyGroup
    mentored_group: StudyGroup  # the mentor's other group
    log: StudyLog
    lesson: Lesson
    event: Event
    run: FormingRun
    enrollment_import: EnrollmentImport
    summary_week: int


def world_build(*, students: int = 24) -> World:
    result = demo.demo_cohort_seed(students=students)
    cohort = result.cohort
    user_model = get_user_model()
    staff = user_model.objects.get(email=demo.STAFF_LOGIN[0])
    student = Enrollment.objects.select_related("user").get(cohort=cohort, user__email=demo.STUDENT_LOGIN[0])
    mentor = Enrollment.objects.select_related("user").get(cohort=cohort, user__email=demo.MENTOR_LOGIN[0])
    group = Membership.objects.get(enrollment=student).group
    StudyGroup.objects.filter(pk=group.pk).update(name=LONG_GROUP)
    group.refresh_from_db()
    mentored_group = StudyGroup.objects.filter(mentorships__mentor=mentor.user).exclude(pk=group.pk).first() or group

    long_user = user_model.objects.create_user(email=LONG_EMAIL, password=None, full_name=LONG_NAME)
    long_named = enrollment_create(user=long_user, cohort=cohort, time_zone="America/Los_Angeles")
    membership_move(enrollment=long_named, group=group)
    lesson = Lesson.objects.get(number=5)
    for days_ago in range(1, 6):
        day = local_today(time_zone=long_named.time_zone) - dt.timedelta(days=days_ago)
        if day >= cohort.opens_on:
            study_log_save(enrollment=long_named, day=day, lesson=lesson, minutes=150, notes=f"Notebook: {UNBROKEN_LINK}")
    summary_week = summary_current_week(enrollment=long_named)
    weekly_summary_save(enrollment=long_named, week_number=summary_week, body=SUMMARY, is_shared=True)

    log, _ = study_log_save(
        enrollment=student, day=local_today(time_zone=student.time_zone), lesson=lesson, minutes=45,
        notes=f"Read the paper behind style transfer: {UNBROKEN_LINK}",
    )
    Accomplishment.objects.create(
        enrollment=student, title=LONG_TITLE, achieved_on=local_today(time_zone=student.time_zone), kind="other",
        link=UNBROKEN_LINK,
    )
    event = Event.objects.filter(cohort=cohort, starts_at__gt=timezone.now()).order_by("starts_at").first()  # upcoming
    Event.objects.filter(pk=event.pk).update(title=LONG_TITLE)
    event.refresh_from_db()
    Rsvp.objects.get_or_create(event=event, enrollment=student)
    return World(
        cohort=cohort, student=student, mentor=mentor, staff=staff, long_named=long_named, group=group,
        mentored_group=mentored_group, log=log, lesson=lesson, event=event,
        run=FormingRun.objects.filter(cohort=cohort).order_by("-pk").first(),
        enrollment_import=EnrollmentImport.objects.create(
            cohort=cohort, uploaded_by=staff, file_name="students.csv", rows=[], total_rows=3, processed_rows=3,
            created_accounts=2, already_enrolled=1, state=EnrollmentImport.State.DONE,
        ),
        summary_week=summary_week,
    )


def unsubscribe_address(world: World) -> dict:
    return {"token": unsubscribe_token(user_id=world.student.user_id, kind="digest")}
