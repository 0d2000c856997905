"""What staff review keeps: per-student rollups, the cohort's daily snapshots, phase-two picks, enrollment uploads.

The models moved here from progress with their tables (migrations 0001 of both apps say so).
"""

from django.conf import settings
from django.db import models

from common.jobs import JobState
from progress.models import Cohort, Enrollment


class StudentRollup(models.Model):
    """One student's numbers, so cohort pages never aggregate logs.

    A write only moves the enrollment's version on; `review.services.rollups.rollups_up_to_date` brings
    missing and stale rows up to date before staff read them. Day-dependent fields (last 7 days, plan
    status, forecast, risk) are also refreshed just after the student's local midnight by an hourly job.
    """

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, primary_key=True, related_name="rollup")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="rollups")
    total_minutes = models.PositiveIntegerField(default=0)
    community_minutes = models.PositiveIntegerField(default=0)
    minutes_last_7_days = models.PositiveIntegerField(default=0)
    days_studied = models.PositiveSmallIntegerField(default=0)
    first_study_day = models.DateField(null=True, blank=True)
    last_study_day = models.DateField(null=True, blank=True)
    lessons_done = models.PositiveSmallIntegerField(default=0)
    lesson_reached = models.PositiveSmallIntegerField(default=0, help_text="Highest lesson number marked done.")
    finished_on = models.DateField(null=True, blank=True, help_text="The day the last lesson was marked done.")
    has_plan = models.BooleanField(default=False)
    days_ahead = models.SmallIntegerField(null=True, blank=True)
    forecast_finish_on = models.DateField(null=True, blank=True)
    project_submitted = models.BooleanField(default=False)
    on_track = models.BooleanField(
        default=False, help_text="Not at risk, and on or ahead of their plan (or, with no plan, forecast to finish in time)."
    )
    at_risk = models.BooleanField(default=False)
    risk_reasons = models.JSONField(default=list, blank=True, help_text="Why at risk: progress.standing.RiskReason codes.")
    computed_for_day = models.DateField(help_text="The student's local day these numbers are for.")
    # The enrollment's dashboard_version these numbers were computed at: behind it, a write came since.
    computed_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "progress_studentrollup"  # the table it had in progress, kept when it moved here
        indexes = [
            models.Index(fields=["cohort", "at_risk"], name="rollup_cohort_at_risk_idx"),
            models.Index(fields=["cohort", "last_study_day"], name="rollup_cohort_last_day_idx"),
            models.Index(fields=["cohort", "total_minutes"], name="rollup_cohort_total_idx"),
            models.Index(fields=["cohort", "lessons_done"], name="rollup_cohort_lessons_idx"),
        ]

    def __str__(self) -> str:
        return f"Rollup of enrollment {self.enrollment_id}"


class EnrollmentImport(models.Model):
    """One uploaded enrollment file: its validated rows and how far applying them has got."""

    State = JobState

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(help_text="The validated rows, applied in order.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    total_rows = models.PositiveIntegerField()
    processed_rows = models.PositiveIntegerField(default=0)
    created_accounts = models.PositiveIntegerField(default=0)
    enrolled_existing_accounts = models.PositiveIntegerField(default=0)
    already_enrolled = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "progress_enrolmentimport"  # the table it had in progress, kept when it moved here
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(processed_rows__lte=models.F("total_rows")), name="import_progress_within_total"),
        ]

    def __str__(self) -> str:
        return f"Enrollment import {self.pk} into {self.cohort_id}: {self.processed_rows}/{self.total_rows}"

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else int(100 * self.processed_rows / self.total_rows)


class PhaseTwoPick(models.Model):
    """A student staff have selected for the programme's second phase."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="phase_two_pick")
    picked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    picked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "progress_phasetwopick"  # the table it had in progress, kept when it moved here

    def __str__(self) -> str:
        return f"Phase two: enrolment {self.enrollment_id}"


class CohortSnapshot(models.Model):
    """A cohort's headline numbers on one of its days, so the dashboard can show the change since last week."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField(help_text="In the programme's time zone; rewritten through the day, final at its end.")
    enrolled = models.PositiveIntegerField()
    active_7_days = models.PositiveIntegerField()
    on_track = models.PositiveIntegerField()
    at_risk = models.PositiveIntegerField()
    finished = models.PositiveIntegerField()
    project_submitted = models.PositiveIntegerField()
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "progress_cohortsnapshot"  # the table it had in progress, kept when it moved here
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["cohort", "day"], name="one_snapshot_per_cohort_day")]

    def __str__(self) -> str:
        return f"{self.cohort_id} on {self.day}"
