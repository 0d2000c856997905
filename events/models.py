"""Events of a cohort (AMAs, webinars) and who said they will come and who came."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from common.markdown import RenderedMarkdownField
from progress.models import Cohort, Enrollment

DESCRIPTION_MAX_LENGTH = 5_000
MAX_DURATION_MINUTES = 8 * 60


class Event(models.Model):
    """An AMA, a webinar: a start instant (UTC), a length, where to join; a recording added after."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=200)
    host = models.CharField(max_length=200, help_text="Who runs it, as students will see it.")
    starts_at = models.DateTimeField(help_text="Stored in UTC; every page shows it in the reader's zone.")
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    join_url = models.URLField("join link", max_length=500)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True, help_text="Markdown.")
    description_html = RenderedMarkdownField(source="description")
    recording_url = models.URLField("recording link", max_length=500, blank=True)
    # A calendar identifies the event by its UID and takes a higher SEQUENCE as an update, not a second event.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=MAX_DURATION_MINUTES), name="event_length_in_range"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"], name="event_cohort_start_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:list") + f"#event-{self.pk}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def ical_uid(self) -> str:
        return f"event-{self.uid}@scholarship-tracker"


class Rsvp(models.Model):
    """A student's "I'll be there", and, after the event, their "I attended"."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="rsvps")
    created_at = models.DateTimeField(auto_now_add=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    is_going = models.BooleanField(default=True, help_text="Off when they cancelled; the row stays if they attended.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "created_at"]
        verbose_name = "RSVP"
        constraints = [models.UniqueConstraint(fields=["event", "enrollment"], name="one_rsvp_per_student_and_event")]
        indexes = [models.Index(fields=["enrollment", "event"], name="rsvp_student_event_idx")]

    def __str__(self) -> str:
        return f"Enrollment {self.enrollment_id} at event {self.event_id}"
