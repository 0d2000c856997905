import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from lessons.models import Lesson
from progress.models import Cohort, Enrollment, LessonProgress, StudyLog


PASSWORD = "correct horse battery"


def _numbers_kept(enrollment_id: int) -> None:
    """What every service does after a write: the student's stored numbers recomputed (factories write directly)."""
    from progress.services.rollups import rollups_refresh

    rollups_refresh(enrollment_ids=[enrollment_id])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"student{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


def _window_around_today() -> tuple[dt.date, dt.datetime]:
    today = timezone.now().date()
    opens_on = today - dt.timedelta(days=20)
    return opens_on, Cohort.cutoff_from_local(day=opens_on + dt.timedelta(days=61), time_zone="America/Los_Angeles")


class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort whose window contains today, cut-off 23:59 Pacific as in the reference programme."""

    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Test cohort {n}")
    slug = factory.Sequence(lambda n: f"test-cohort-{n}")
    opens_on = factory.LazyFunction(lambda: _window_around_today()[0])
    cutoff_at = factory.LazyFunction(lambda: _window_around_today()[1])
    time_zone = "America/Los_Angeles"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    cohort = factory.SubFactory(CohortFactory)
    time_zone = "Europe/Berlin"
    weekday_goal_hours = Decimal("3.5")
    weekend_goal_hours = Decimal("5.0")

    @factory.post_generation
    def numbers(obj, create, extracted, **kwargs):
        if create:
            _numbers_kept(obj.pk)


class StudyLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyLog
        skip_postgeneration_save = True

    enrollment = factory.SubFactory(EnrollmentFactory)
    day = factory.LazyAttribute(lambda log: log.enrollment.cohort.opens_on)
    lesson = factory.LazyFunction(lambda: Lesson.objects.get(number=2))
    minutes = 60
    community_minutes = 0
    notes = ""

    @factory.post_generation
    def numbers(obj, create, extracted, **kwargs):
        if create:
            _numbers_kept(obj.enrollment_id)


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress
        skip_postgeneration_save = True

    enrollment = factory.SubFactory(EnrollmentFactory)
    lesson = factory.LazyFunction(lambda: Lesson.objects.get(number=1))
    completed_on = factory.LazyAttribute(lambda p: p.enrollment.cohort.opens_on)

    @factory.post_generation
    def numbers(obj, create, extracted, **kwargs):
        if create:
            _numbers_kept(obj.enrollment_id)


class StudyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.StudyGroup"

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Night owls {n}")
    utc_offset = 1
    weekly_goal_hours = 20


def member_of(group, **kwargs):
    """A new student of the group's cohort, in the group."""
    from groups.models import Membership

    enrollment = EnrollmentFactory(cohort=group.cohort, **kwargs)
    Membership.objects.create(enrollment=enrollment, group=group)
    return enrollment


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"AMA {n}")
    host = "The instructors"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    duration_minutes = 60
    join_url = "https://meet.example.org/ama"
