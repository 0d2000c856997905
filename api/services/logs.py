"""Study logs created through the API: the page's own services, run once per idempotency key."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from lessons.models import Lesson
from progress.models import Enrollment, StudyLog
from progress.services.rollups import enrollments_lock
from progress.services.study_logs import study_log_add, study_log_save

from ..models import IdempotentRequest


class IdempotencyKeyReused(ValidationError):
    """The key was used before for a request with other fields: neither is applied twice nor mixed up."""


def request_digest(fields: dict) -> str:
    """A fingerprint of what a request asked for (its fields as sent), to tell a retry from another request."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def stored_answer(*, enrollment: Enrollment, key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.filter(enrollment=enrollment, key=key).first()


def study_log_create_once(
    *,
    enrollment: Enrollment,
    key: str,
    fingerprint: str,
    respond: Callable[[StudyLog, bool], dict],
    day: dt.date,
    lesson: Lesson,
    minutes: int,
    community_minutes: int = 0,
    notes: str = "",
    add: bool = False,
    now: dt.datetime | None = None,
) -> tuple[IdempotentRequest, bool]:
    """Log time as the log form does (`study_log_save`: the day's log of that lesson takes these numbers) or as
    chat does (`add`: `study_log_add` adds them to it), once per `key`; returns (the stored answer, replayed).

    The first request with a key runs the service and stores its answer, `respond(log, created)`, in the same
    transaction; the same key again returns that answer and writes nothing. Two requests with one key at once
    queue on the student's lock, so the second finds the first's answer. A refused request (ValidationError)
    stores nothing, so the corrected request may reuse its key.
    """
    with transaction.atomic():
        enrollments_lock(enrollment_ids=[enrollment.pk])
        stored = stored_answer(enrollment=enrollment, key=key)
        if stored is not None:
            if stored.request_digest != fingerprint:
                raise IdempotencyKeyReused({"idempotency_key": (
                    "This Idempotency-Key was already used for a request with other fields. Use a new key for a new entry."
                )})
            return stored, True
        write = study_log_add if add else study_log_save
        log, created = write(
            enrollment=enrollment, day=day, lesson=lesson, minutes=minutes, community_minutes=community_minutes, notes=notes, now=now
        )
        stored = IdempotentRequest.objects.create(
            enrollment=enrollment, key=key, request_digest=fingerprint, log=log,
            status_code=201 if created else 200, response=respond(log, created),
        )
    return stored, False
