"""What staff review keeps: the cohort's daily snapshots, phase-two picks, enrollment uploads (a student's rollup is progress's).

The models moved here from progress with their tables (migrations 0001 of both apps say so).
"""

from django.conf import settings
from django.db import models

from common.jobs import BackgroundJob
from progress.models import Cohort, Enrollment


class EnrollmentImport(BackgroundJob):
    """One uploaded enrollment file: its validated rows and how far applying them has got."""

    progress_fields = ("processed_rows", "total_rows")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(help_text="The validated rows, applied in order.")
    total_rows = models.PositiveIntegerField()
    processed_rows = models.PositiveIntegerField(default=0)
    created_accounts = models.PositiveIntegerField(default=0)
    enrolled_existing_accounts = models.PositiveIntegerField(default=0)
    already_enrolled = models.PositiveIntegerField(default=0)

    class Meta(BackgroundJob.Meta):
        db_table = "progress_enrolmentimport"  # the table it had in progress, kept when it moved here
        constraints = [
            models.CheckConstraint(condition=models.Q(processed_rows__lte=models.F("total_rows")), name="import_progress_within_total"),
        ]

    def __str__(self) -> str:
        return f"Enrollment import {self.pk} into {self.cohort_id}: {self.processed_rows}/{self.total_rows}"


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
    behind = models.PositiveIntegerField(default=0)
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
