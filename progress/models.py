import datetime as dt
import secrets
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from common.jobs import BackgroundJob
from common.markdown import RenderedMarkdownField
from common.timezones import local_instant
from lessons.models import Lesson

from .planning import DailyHours

MINUTES_PER_DAY = 24 * 60
NOTES_MAX_LENGTH = 10_000
DEFAULT_CUTOFF_TIME = dt.time(23, 59)


def default_reminder_days() -> list[int]:
    return [14, 7, 3, 1, 0]


class Cohort(models.Model):
    """One run of the programme: everyone who studies towards the same cut-off."""

    SCORE_WEIGHTS = ("weight_lessons", "weight_project", "weight_consistency", "weight_summaries", "weight_community")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    opens_on = models.DateField(help_text="First day of the course, in the programme's time zone.")
    cutoff_at = models.DateTimeField(help_text="The exact instant the course closes (stored in UTC).")
    time_zone = models.CharField(max_length=64, default="America/Los_Angeles", help_text="The programme's time zone.")
    phase_two_seats = models.PositiveIntegerField(default=300)
    accepts_signups = models.BooleanField(
        default=True, help_text="New students who sign up are enrolled here while the cohort has not closed."
    )
    students_create_groups = models.BooleanField(
        "students may create study groups", default=True, help_text="Staff can always create them."
    )
    at_risk_idle_days = models.PositiveSmallIntegerField(
        default=5, help_text="At risk after this many days without a study log."
    )
    at_risk_silent_weeks = models.PositiveSmallIntegerField(
        default=1, help_text="At risk when nothing at all is logged after this many course weeks."
    )
    reminder_days_before = models.JSONField(
        default=default_reminder_days, help_text="Deadline reminders go out this many days before the cut-off day (0: on it)."
    )
    # Phase-two shortlist weights, in percent; they must add up to 100.
    weight_lessons = models.PositiveSmallIntegerField(default=40, help_text="Share of the score for lessons completed.")
    weight_project = models.PositiveSmallIntegerField(default=25, help_text="Project handed in, and its score.")
    weight_consistency = models.PositiveSmallIntegerField(default=20, help_text="Share of course days with a log.")
    weight_summaries = models.PositiveSmallIntegerField(default=10, help_text="Weekly summaries written.")
    weight_community = models.PositiveSmallIntegerField(default=5, help_text="Community time.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    weight_lessons__lte=100, weight_project__lte=100, weight_consistency__lte=100,
                    weight_summaries__lte=100, weight_community__lte=100,
                ),
                name="score_weights_are_percentages",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        total = sum(getattr(self, name) for name in self.SCORE_WEIGHTS)
        if total != 100:
            raise ValidationError(f"The shortlist weights must add up to 100 (they add up to {total}).")

    def is_closed(self, now: dt.datetime) -> bool:
        """The course has closed: nothing more can be logged, handed in or changed for it."""
        return now >= self.cutoff_at

    @property
    def cutoff_local(self) -> dt.datetime:
        """The cut-off as the programme announces it, in its own zone."""
        return self.cutoff_at.astimezone(ZoneInfo(self.time_zone))

    @staticmethod
    def cutoff_from_local(*, day: dt.date, at: dt.time = DEFAULT_CUTOFF_TIME, time_zone: str) -> dt.datetime:
        return local_instant(day=day, at=at, time_zone=time_zone)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Enrollment(models.Model):
    """A student's place in a cohort, with their own zone, goals and email choices."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    time_zone = models.CharField(max_length=64, help_text="The student's IANA time zone; their days are counted in it.")
    weekday_goal_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("3.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    weekend_goal_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("5.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    wants_reminders = models.BooleanField("deadline reminder emails", default=True)
    wants_digests = models.BooleanField("weekly digest emails", default=True)
    wants_nudges = models.BooleanField("emails from my study group's mentors", default=True)
    wants_event_reminders = models.BooleanField("event reminder emails", default=True)
    calendar_all_events = models.BooleanField(
        "every event in my calendar feed", default=False, help_text="Otherwise only the events I said I will come to."
    )
    # The secret in the address of the student's calendar feed (calendar apps can not log in): every student has
    # one, plan or not. Not editable in the admin; the student makes a new one on their profile or schedule.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "cohort"], name="one_enrollment_per_student_cohort"),
            models.CheckConstraint(
                condition=models.Q(weekday_goal_hours__gte=0, weekday_goal_hours__lte=24)
                & models.Q(weekend_goal_hours__gte=0, weekend_goal_hours__lte=24),
                name="daily_goals_fit_in_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"


class StudyLog(models.Model):
    """The time a student spent on one lesson on one of their own days."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="study_logs")
    day = models.DateField(help_text="The student's local date.")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="study_logs")
    minutes = models.PositiveIntegerField()
    community_minutes = models.PositiveIntegerField(default=0, help_text="Chat, study groups, AMAs.")
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH, help_text="Markdown.")
    notes_html = RenderedMarkdownField(source="notes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "-lesson__number"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "day", "lesson"], name="one_log_per_student_day_lesson"),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=0, minutes__lte=MINUTES_PER_DAY), name="study_minutes_within_a_day"
            ),
            # Study time, or community time alone (an event attended on a day with no study logged yet).
            models.CheckConstraint(condition=models.Q(minutes__gt=0) | models.Q(community_minutes__gt=0), name="log_holds_some_time"),
            models.CheckConstraint(
                condition=models.Q(community_minutes__lte=MINUTES_PER_DAY), name="community_minutes_within_a_day"
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "day"], name="study_log_student_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} · Lesson {self.lesson_id} · {self.minutes} min"

    def get_absolute_url(self) -> str:
        return reverse("progress:log_edit", kwargs={"pk": self.pk})


class LessonProgress(models.Model):
    """A lesson the student has marked as done, and the local day they did."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["lesson__number"]
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="one_completion_per_student_lesson"),
        ]

    def __str__(self) -> str:
        return f"Lesson {self.lesson_id} done on {self.completed_on}"


class StudyPlan(models.Model):
    """A student's own schedule: when they study, how long a day, and which days they keep free."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="plan")
    starts_on = models.DateField()
    target_on = models.DateField(help_text="The day the student means to finish.")
    weekday_hours = models.DecimalField(max_digits=4, decimal_places=2)
    weekend_hours = models.DecimalField(max_digits=4, decimal_places=2)
    days_off = models.JSONField(default=list, blank=True, help_text="ISO dates the student will not study.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(target_on__gte=models.F("starts_on")), name="plan_target_not_before_start"),
            models.CheckConstraint(
                condition=models.Q(weekday_hours__gte=0, weekday_hours__lte=24, weekend_hours__gte=0, weekend_hours__lte=24),
                name="plan_hours_fit_in_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan of {self.enrollment_id}: {self.starts_on} to {self.target_on}"

    @property
    def days_off_dates(self) -> frozenset[dt.date]:
        return frozenset(dt.date.fromisoformat(day) for day in self.days_off)

    @property
    def daily_hours(self) -> DailyHours:
        return DailyHours(
            weekday_minutes=int(self.weekday_hours * 60),
            weekend_minutes=int(self.weekend_hours * 60),
            days_off=self.days_off_dates,
        )


class ScheduleItem(models.Model):
    """One lesson's place in a plan: its planned minutes and first and last day."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="items")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")
    planned_minutes = models.PositiveIntegerField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["lesson__number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "lesson"], name="one_schedule_item_per_plan_lesson"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="schedule_item_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Lesson {self.lesson_id}: {self.starts_on} to {self.ends_on}"


SUMMARY_MAX_LENGTH = 20_000


class WeeklySummary(models.Model):
    """What a student writes about one course week; private unless they share it."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="weekly_summaries")
    week_number = models.PositiveSmallIntegerField()
    body = models.TextField(max_length=SUMMARY_MAX_LENGTH, help_text="Markdown.")
    body_html = RenderedMarkdownField(source="body")
    is_shared = models.BooleanField("share with the cohort", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name_plural = "weekly summaries"
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "week_number"], name="one_summary_per_student_week"),
            models.CheckConstraint(condition=models.Q(week_number__gte=1), name="summary_week_starts_at_one"),
        ]
        # The community page lists the newest shared summaries and counts them per cohort; carrying the
        # enrollment lets PostgreSQL count them from the index alone (bench/results.md).
        indexes = [models.Index(fields=["is_shared", "-updated_at"], include=["enrollment"], name="shared_summaries_newest_idx")]

    def __str__(self) -> str:
        return f"Week {self.week_number} summary"

    def get_absolute_url(self) -> str:
        return reverse("progress:summary_write", kwargs={"week": self.week_number})


class Accomplishment(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        COMPETITION = "competition", "Competition"
        PROJECT = "project", "Project"
        OTHER = "other", "Other"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="accomplishments")
    title = models.CharField(max_length=200)
    achieved_on = models.DateField()
    link = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-achieved_on", "-pk"]

    def __str__(self) -> str:
        return self.title


PROJECT_DESCRIPTION_MAX_LENGTH = 5_000


class ProjectSubmission(models.Model):
    """The challenge project: a link to the work, editable until the cut-off instant."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="project_submission")
    url = models.URLField("link to your project", max_length=500)
    description = models.TextField(max_length=PROJECT_DESCRIPTION_MAX_LENGTH, blank=True, help_text="Markdown.")
    description_html = RenderedMarkdownField(source="description")
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__gte=0), name="project_score_not_negative"),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def was_changed(self) -> bool:
        """Edited after it was first handed in (the two stamps differ by microseconds on creation)."""
        return self.updated_at - self.submitted_at > dt.timedelta(minutes=1)


class StudentRollup(models.Model):
    """A student's numbers that no passing day changes (`progress.standing.StoredNumbers`, field for field), so
    staff pages read 10,000 students in one query and never aggregate logs.

    Written only by `progress.services.rollups.rollups_refresh`, which every service that changes a student's
    rows calls inside its own transaction (the admin goes through the same services). What depends on today
    (idle days, the last 7 days, the forecast, the verdict) is never stored: `progress.standing.status_on`
    works it out from these fields when a page is read.
    """

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, primary_key=True, related_name="rollup")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="rollups")
    # The enrollment's zone, copied with the numbers (the services that change it refresh the rollup), so the cohort
    # pages work out each student's today without joining 10,000 enrollments.
    time_zone = models.CharField(max_length=64)
    total_minutes = models.PositiveIntegerField(default=0)
    community_minutes = models.PositiveIntegerField(default=0)
    days_studied = models.PositiveSmallIntegerField(default=0)
    first_study_day = models.DateField(null=True, blank=True)
    last_study_day = models.DateField(null=True, blank=True)
    recent_minutes = models.JSONField(default=list, blank=True, help_text="Minutes on the last study day and the six days before it.")
    lessons_done = models.PositiveSmallIntegerField(default=0)
    lesson_reached = models.PositiveSmallIntegerField(default=0, help_text="Highest lesson number marked done.")
    finished_on = models.DateField(null=True, blank=True, help_text="The day the last lesson was marked done.")
    remaining_minutes = models.PositiveIntegerField(default=0, help_text="Estimated minutes left on the lessons not done.")
    has_plan = models.BooleanField(default=False)
    plan_starts_on = models.DateField(null=True, blank=True)
    plan_ends_on = models.DateField(null=True, blank=True)
    plan_reached_on = models.DateField(null=True, blank=True, help_text="The last plan day the student's work has reached.")
    plan_done = models.BooleanField(default=False)
    plan_progress_minutes = models.PositiveIntegerField(default=0)
    project_submitted = models.BooleanField(default=False)
    late_from = models.DateField(
        null=True, blank=True, help_text="From this local day on, the forecast misses the cut-off (unless the student logs again)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["cohort", "last_study_day"], name="rollup_cohort_last_day_idx"),
            models.Index(fields=["cohort", "total_minutes"], name="rollup_cohort_total_idx"),
            models.Index(fields=["cohort", "lessons_done"], name="rollup_cohort_lessons_idx"),
            models.Index(fields=["cohort", "late_from"], name="rollup_cohort_late_from_idx"),
            models.Index(fields=["cohort", "time_zone"], name="rollup_cohort_zone_idx"),
        ]

    def __str__(self) -> str:
        return f"Numbers of enrollment {self.enrollment_id}"


class RollupRebuild(BackgroundJob):
    """One cohort-wide recompute of the rollups, queued by an edit that moves many students' numbers at once
    (a lesson's estimate, the lesson set, the cohort's cut-off); staff watch it on the cohort page."""

    progress_fields = ("done_students", "total_students")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="rollup_rebuilds")
    reason = models.CharField(max_length=200)
    total_students = models.PositiveIntegerField(default=0)
    done_students = models.PositiveIntegerField(default=0)

    class Meta(BackgroundJob.Meta):
        constraints = [
            models.CheckConstraint(condition=models.Q(done_students__lte=models.F("total_students")), name="rebuild_progress_within_total"),
        ]

    def __str__(self) -> str:
        return f"Rebuild {self.pk} of {self.cohort_id}: {self.done_students}/{self.total_students}"
