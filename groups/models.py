"""Study groups, their members and mentors, and the staff's runs of "form groups"."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from common.jobs import BackgroundJob
from common.markdown import RenderedMarkdownField
from progress.models import Cohort, Enrollment

DEFAULT_CAPACITY = 25
MAX_CAPACITY = 100
NOTE_MAX_LENGTH = 200
HOURS_IN_A_WEEK = 7 * 24


# Crockford's base 32: no I, L, O or U, so a code read out or copied by hand is not misread. 13 characters are 65
# bits: at the throttle's few wrong guesses an hour (groups.throttling) no one finds a code by trying.
JOIN_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_CODE_LENGTH = 13
_MISREAD = str.maketrans("OIL", "011")


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def join_code_normalized(text: str) -> str:
    """A code as typed or read out: any case, with spaces or dashes, O for 0 and I or L for 1."""
    return "".join(text.split()).replace("-", "").upper().translate(_MISREAD)


class StudyGroup(models.Model):
    """A small group of one cohort who study at about the same hours and pace."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="study_groups")
    name = models.CharField(max_length=100)
    utc_offset = models.SmallIntegerField(
        "time-zone band", validators=[MinValueValidator(-12), MaxValueValidator(14)],
        help_text="Hours from UTC the group's members live around (±3 h).",
    )
    weekly_goal_hours = models.PositiveSmallIntegerField(
        "hours a week", validators=[MinValueValidator(1), MaxValueValidator(HOURS_IN_A_WEEK)],
        help_text="The pace each member aims for; the group's goal is this times its members.",
    )
    capacity = models.PositiveSmallIntegerField(default=DEFAULT_CAPACITY, validators=[MinValueValidator(2), MaxValueValidator(MAX_CAPACITY)])
    is_open = models.BooleanField("open to anyone in the cohort", default=True, help_text="Otherwise members join with its code.")
    join_code = models.CharField(max_length=16, unique=True, default=new_join_code)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True, help_text="One line of markdown, shown to members.")
    note_html = RenderedMarkdownField(source="note")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Set on groups a "form groups" run made: the run and the group's place in its plan, so a retried job finds them.
    forming_run = models.ForeignKey("FormingRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="groups")
    forming_index = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="group_names_unique_within_a_cohort"),
            models.UniqueConstraint(fields=["forming_run", "forming_index"], name="one_group_per_forming_run_place"),
            models.CheckConstraint(condition=models.Q(capacity__gte=2, capacity__lte=MAX_CAPACITY), name="group_capacity_in_range"),
            models.CheckConstraint(condition=models.Q(utc_offset__gte=-12, utc_offset__lte=14), name="group_band_is_a_utc_offset"),
            models.CheckConstraint(
                condition=models.Q(weekly_goal_hours__gte=1, weekly_goal_hours__lte=HOURS_IN_A_WEEK), name="group_goal_fits_in_a_week"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"pk": self.pk})

    @property
    def band_label(self) -> str:
        return f"UTC{self.utc_offset:+d}" if self.utc_offset else "UTC±0"

    @property
    def join_code_display(self) -> str:
        """The code in three parts, easier to read out (typed with or without the dashes)."""
        code = self.join_code
        return f"{code[:4]}-{code[4:8]}-{code[8:]}" if len(code) > 8 else code


class Membership(models.Model):
    """A student's place in a group: at most one group per cohort, as an enrollment is one student in one cohort."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="group_membership")
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="memberships")
    hides_numbers = models.BooleanField("hide my numbers from the group", default=False)
    shows_place = models.BooleanField("show my place in the group on my dashboard", default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "joined_at"]

    def __str__(self) -> str:
        return f"Enrollment {self.enrollment_id} in group {self.group_id}"


class Mentorship(models.Model):
    """A volunteer student or a staff member who looks after a group."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "mentor"]
        constraints = [models.UniqueConstraint(fields=["group", "mentor"], name="one_mentorship_per_group_and_mentor")]

    def __str__(self) -> str:
        return f"Mentor {self.mentor_id} of group {self.group_id}"


class FormingRun(BackgroundJob):
    """One "form groups": the plan staff previewed and approved, and how far the job has applied it."""

    progress_fields = ("applied_groups", "total_groups")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="forming_runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    plan = models.JSONField(help_text="The groups to make: each a band, a pace range and its students' enrollment ids.")
    total_groups = models.PositiveIntegerField()
    applied_groups = models.PositiveIntegerField(default=0)
    placed_students = models.PositiveIntegerField(default=0)
    skipped_students = models.PositiveIntegerField(default=0, help_text="Found in a group by then: left where they were.")

    class Meta(BackgroundJob.Meta):
        constraints = [
            models.CheckConstraint(condition=models.Q(applied_groups__lte=models.F("total_groups")), name="forming_progress_within_total"),
        ]

    def __str__(self) -> str:
        return f"Forming run {self.pk} for {self.cohort_id}: {self.applied_groups}/{self.total_groups}"
