"""The cohort's chat workspace (Slack): students' linked accounts, one-time link codes, requests seen (against
replays), each cohort's channel webhook and the weekly posts made to it."""

import secrets

from django.db import models

from progress.models import Cohort, Enrollment

LINK_CODE_LENGTH = 8


def new_link_code() -> str:
    return secrets.token_hex(LINK_CODE_LENGTH // 2).upper()


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
    """The one-time code the profile shows; `/study link CODE` uses it up."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="slack_link_code")
    code = models.CharField(max_length=16, unique=True, default=new_link_code)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Link code of enrollment {self.enrollment_id}"


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
