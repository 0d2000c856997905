"""The study timer: a stretch of study being timed now, kept on the server so every device and Slack see it."""

from django.db import models
from django.urls import reverse

from lessons.models import Lesson
from progress.models import Enrollment


class StudyTimer(models.Model):
    """A running timer on one lesson: at most one per enrollment. Stopping it adds its minutes to the study log
    (timers.services) and deletes the row; a timer is never edited into a log.

    `stops_at` is fixed when it starts (the student's local 04:00 after it, timers.clock), so a zone changed
    meanwhile does not move it.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="study_timers")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(help_text="When it was started (stored in UTC).")
    stops_at = models.DateTimeField(help_text="When it stops itself if forgotten: the student's local midnight + 4 h.")
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the student last said it was still right; asked again 4 hours after."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment"], name="one_running_timer_per_enrollment"),
            models.CheckConstraint(condition=models.Q(stops_at__gt=models.F("started_at")), name="timer_stops_after_it_starts"),
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True) | models.Q(confirmed_at__gte=models.F("started_at")),
                name="timer_confirmed_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Timer on lesson {self.lesson_id} since {self.started_at:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self) -> str:
        return reverse("timers:page")
