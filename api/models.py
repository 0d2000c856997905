"""What the JSON API keeps: personal access tokens (their hash, never the secret) and the idempotency keys of the
study logs created through it."""

import hashlib

from django.conf import settings
from django.db import models

from progress.models import Enrollment, StudyLog

TOKEN_NAME_MAX_LENGTH = 100
IDEMPOTENCY_KEY_MAX_LENGTH = 255


def token_digest(secret: str) -> str:
    """What is stored of a token: its SHA-256. The secret has 256 random bits, so a fast hash is enough (no
    dictionary to guess from) and a request is looked up by it in one indexed query."""
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessToken(models.Model):
    """A personal access token: a person's own key to the API, named by them, shown to them once."""

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=TOKEN_NAME_MAX_LENGTH, help_text="What it is for, in the owner's words.")
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.READ)
    digest = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256 of the secret (hex).")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="To the minute (services.tokens).")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=["read", "write"]), name="token_scope_is_read_or_write"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="token_owner_newest_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_scope_display().lower()})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class IdempotentRequest(models.Model):
    """A study log created through the API under the client's Idempotency-Key, and the answer it was given: the
    same key again (a retry, an offline queue sent twice) gets that answer back and changes nothing."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH)
    request_digest = models.CharField(max_length=64, help_text="SHA-256 of the request's fields: a key reused for another request is refused.")
    log = models.ForeignKey(StudyLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrollment", "key"], name="idempotency_key_used_once_per_student")]

    def __str__(self) -> str:
        return f"Key {self.key} of enrollment {self.enrollment_id}"
