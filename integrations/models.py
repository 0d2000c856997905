"""The cohort's chat workspace (Slack): students' linked accounts, one-time link codes, requests seen (against
replays), each cohort's channel webhook and the weekly posts made to it."""

import datetime as dt
import secrets

from django.db import models

from lessons.models import Lesson
from progress.models import Cohort, Enrollment

# Crockford's base32: no I, L, O or U, so a code read off a screen is typed right; 16 symbols are 80 bits, which
# no number of guesses finds within a code's hour (and guesses are throttled besides: services.linking).
LINK_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LINK_CODE_LENGTH = 16
LINK_CODE_GROUP = 4
LINK_CODE_LIFETIME = dt.timedelta(hours=1)
SLACK_UNDO_WITHIN = dt.timedelta(minutes=10)
_TYPED_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_link_code() -> str:
    return "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))


def link_code_display(code: str) -> str:
    """"7K3MQ9XR..." shown as "7K3M-Q9XR-...": groups a person can read out and type."""
    return "-".join(code[start:start + LINK_CODE_GROUP] for start in range(0, len(code), LINK_CODE_GROUP))


def link_code_typed(text: str) -> str:
    """What a student typed, as stored: any case, with or without the dashes or spaces, O for 0 and I or L for 1."""
    return "".join(text.split()).replace("-", "").upper().translate(_TYPED_AS)


class SlackLink(models.Model):
    """A Slack user tied to a student: `/study` from that user acts for that enrollment."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="slack_link")
    team_id = models.CharField(max_length=32)
    slack_user_id = models.CharField(max_length=32)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team_id", "slack_user_id"], name="one_student_per_slack_user")]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.slack_user_id} is enrollment {self.enrollment_id}"


class SlackLinkCode(models.Model):
    """The one-time code the profile shows; `/study link CODE` uses it up within LINK_CODE_LIFETIME of its making."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="slack_link_code")
    code = models.CharField(max_length=LINK_CODE_LENGTH, unique=True, default=new_link_code)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Link code of enrollment {self.enrollment_id}"

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + LINK_CODE_LIFETIME

    @property
    def display(self) -> str:
        return link_code_display(self.code)


class SlackRequestSeen(models.Model):
    """Signatures of accepted requests while their timestamp is fresh: the same request sent again is refused."""

    signature = models.CharField(max_length=80, unique=True)
    timestamp = models.BigIntegerField()
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.signature[:16]


class CohortChannel(models.Model):
    """A cohort's opt-in weekly post: the channel's incoming-webhook address (a secret, set by staff)."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="slack_channel")
    webhook_url = models.URLField(max_length=500, help_text="Slack's incoming webhook for the channel (https://hooks.slack.com/...).")
    weekly_post = models.BooleanField(default=True, help_text="Post the cohort's week to the channel each Monday morning.")

    def __str__(self) -> str:
        return f"Channel of {self.cohort}"


class WeeklyPost(models.Model):
    """One week's post to a cohort's channel: recorded before it is sent, marked when Slack accepted it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="weekly_posts")
    week_number = models.PositiveSmallIntegerField()
    text = models.TextField()
    posted_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["cohort", "week_number"], name="one_weekly_post_per_cohort_week")]

    def __str__(self) -> str:
        return f"Week {self.week_number} post of {self.cohort_id}"


class SlackLogEntry(models.Model):
    """What one `/study` from Slack added to a study log (a stop split at midnight makes one row per day, all with
    the command's `created_at`): `/study undo` subtracts it again, once, within SLACK_UNDO_WITHIN."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="slack_log_entries")
    log_id = models.PositiveBigIntegerField(help_text="The study log the minutes went to (it may be gone since).")
    day = models.DateField()
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField()
    created_at = models.DateTimeField(db_index=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.minutes} min on log {self.log_id} from Slack"
