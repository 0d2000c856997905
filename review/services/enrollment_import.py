"""Bulk enrollment from a CSV file: validate it whole, then apply it in batches.

The upload page and `manage.py import_students` both go through `enrollment_file_validate` and
`enrollment_import_apply`. Each batch stores its new students' numbers (`rollups_refresh`) in its own transaction, as every write does.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import DecimalValidator, ProhibitNullCharactersValidator, validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from common.forms import single_line
from common.timezones import canonical_time_zone, is_time_zone, utc_offset_hours
from groups.models import StudyGroup
from groups.services.membership import group_create, membership_move, mentor_add
from progress.models import Cohort, Enrollment
from progress.services.rollups import rollups_refresh

from ..models import EnrollmentImport

BATCH_SIZE = 500
HEADER_NAMES = {
    "email": "email",
    "e-mail": "email",
    "full name": "full_name",
    "full_name": "full_name",
    "name": "full_name",
    "time zone": "time_zone",
    "time_zone": "time_zone",
    "timezone": "time_zone",
    "weekday goal": "weekday_goal_hours",
    "weekday_goal_hours": "weekday_goal_hours",
    "weekend goal": "weekend_goal_hours",
    "weekend_goal_hours": "weekend_goal_hours",
    "group": "group",
    "study group": "group",
    "mentor of": "mentor_of",
    "mentor_of": "mentor_of",
}
REQUIRED = ("email", "full_name", "time_zone")


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


class EnrollmentFileInvalid(Exception):
    """The file can not be applied; `errors` lists every bad line by number."""

    def __init__(self, errors: list[LineError]):
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


def _goal(text: str, line: int, column: str, errors: list[LineError]) -> str | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
        GOAL_DIGITS(value)
    except (InvalidOperation, ValidationError):
        errors.append(LineError(line, f"{column} “{text}” is not a number of hours with at most one decimal (such as 3.5)"))
        return None
    if not Decimal(0) <= value <= Decimal(24):
        errors.append(LineError(line, f"{column} {text} is not between 0 and 24 hours"))
        return None
    return str(value)


# The goals are stored with one decimal in four digits; a non-finite value (nan, inf) fails this too.
GOAL_DIGITS = DecimalValidator(max_digits=4, decimal_places=1)
MAX_LENGTHS = {
    "email": get_user_model()._meta.get_field("email").max_length,
    "full_name": get_user_model()._meta.get_field("full_name").max_length,
    "time_zone": Enrollment._meta.get_field("time_zone").max_length,
    "group": StudyGroup._meta.get_field("name").max_length,
    "mentor_of": StudyGroup._meta.get_field("name").max_length,
}
COLUMN_WORDS = {"email": "email", "full_name": "full name", "time_zone": "time zone",
                "weekday_goal_hours": "weekday goal", "weekend_goal_hours": "weekend goal", "group": "group", "mentor_of": "mentor of"}


def _cell_problems(record: dict[str, str]) -> list[str]:
    """What no column may hold: a NUL (PostgreSQL refuses it) or more than its column stores."""
    problems = []
    for column, value in record.items():
        try:
            ProhibitNullCharactersValidator()(value)
        except ValidationError:
            problems.append(f"the {COLUMN_WORDS[column]} contains a NUL character; remove it")
            continue
        limit = MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            problems.append(f"the {COLUMN_WORDS[column]} is {len(value):,} characters long; at most {limit} fit")
    return problems


def enrollment_file_validate(*, text: str) -> list[dict]:
    """Every row checked (email, name, zone, goals, duplicates, lengths); any bad line rejects the whole file."""
    if text.startswith("\ufeff"):
        text = text[1:]  # the byte-order mark spreadsheets put first
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise EnrollmentFileInvalid([LineError(1, "the file is empty")]) from None
    except csv.Error as exc:
        raise EnrollmentFileInvalid([LineError(1, f"the first line can not be read as CSV ({exc})")]) from None
    columns = [HEADER_NAMES.get(name.strip().lower()) for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise EnrollmentFileInvalid(
            [LineError(1, "the first line must name the columns: email, full name, time zone (missing: " + ", ".join(missing) + ")")]
        )
    errors: list[LineError] = []
    rows: list[dict] = []
    first_line_of: dict[str, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # A cell past the csv module's limit (131,072 characters) or a broken quote: the rest can not be read.
            errors.append(LineError(reader.line_num, f"this line can not be read as CSV ({exc}); nothing after it was checked"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, often at the end
        record = {column: cells[index].strip() if index < len(cells) else "" for index, column in enumerate(columns) if column}
        problems = _cell_problems(record)
        if problems:
            errors += [LineError(line, problem) for problem in problems]
            continue
        email = record.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(LineError(line, f"“{record.get('email', '')}” is not an email address"))
        else:
            if email in first_line_of:
                errors.append(LineError(line, f"{email} is already on line {first_line_of[email]} (duplicate row)"))
            else:
                first_line_of[email] = line
        if not record.get("full_name"):
            errors.append(LineError(line, "the full name is empty"))
        time_zone = canonical_time_zone(record.get("time_zone", ""))
        if not is_time_zone(time_zone):
            errors.append(LineError(line, f"“{record.get('time_zone', '')}” is not a time zone we know (use a name like Europe/Berlin)"))
        weekday = _goal(record.get("weekday_goal_hours", ""), line, "weekday goal", errors)
        weekend = _goal(record.get("weekend_goal_hours", ""), line, "weekend goal", errors)
        rows.append(
            {"line": line, "email": email, "full_name": single_line(record.get("full_name")), "time_zone": time_zone,
             "weekday_goal_hours": weekday, "weekend_goal_hours": weekend,
             "group": single_line(record.get("group")), "mentor_of": single_line(record.get("mentor_of"))}
        )
    if errors:
        raise EnrollmentFileInvalid(errors)
    if not rows:
        raise EnrollmentFileInvalid([LineError(2, "there are no students in the file")])
    return rows


def enrollment_import_create(
    *, cohort: Cohort, rows: list[dict], uploaded_by=None, file_name: str = "", enqueue: Callable[[int], None] | None = None
) -> EnrollmentImport:
    """Record a validated file. With `enqueue` (the web upload), the apply job gets its id once the
    record has committed; without it (the command), the caller applies it inline."""
    with transaction.atomic():
        job = EnrollmentImport.objects.create(
            cohort=cohort, rows=rows, total_rows=len(rows), uploaded_by=uploaded_by, file_name=file_name[:255]
        )
        if enqueue is not None:
            transaction.on_commit(lambda: _enqueue_or_fail(job=job, enqueue=enqueue))
    return job


def _enqueue_or_fail(*, job: EnrollmentImport, enqueue: Callable[[int], None]) -> None:
    """The broker went away between the page's check and the commit: say so on the job, which applied nothing."""
    try:
        enqueue(job.pk)
    except Exception as exc:  # noqa: BLE001 - any failure to queue leaves a job nobody will run
        enrollment_import_mark_failed(import_id=job.pk, error=f"The job queue did not answer ({exc}); nothing was applied. Upload the file again.")


def _set_password_message(*, user, cohort: Cohort, connection) -> EmailMultiAlternatives:
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    context = {"user": user, "cohort": cohort, "link": link, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=f"You are enrolled in {cohort.name}: choose your password",
        body=render_to_string("email/enrolled_set_password.txt", context),
        to=[user.email],
        connection=connection,
    )
    message.attach_alternative(render_to_string("email/enrolled_set_password.html", context), "text/html")
    return message


def _apply_batch(*, job: EnrollmentImport, batch: list[dict], now: dt.datetime) -> tuple[int, int, int]:
    """One batch in one transaction: accounts, enrolments, rollups, then the set-password emails.

    The emails go out before the commit: a crash after sending repeats at
    most this batch's emails on the retry, never skips a new student.
    """
    user_model = get_user_model()
    cohort = job.cohort
    emails = [row["email"] for row in batch]
    users = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    new_users = []
    for row in batch:
        if row["email"] not in users:
            user = user_model(email=row["email"], full_name=row["full_name"])
            user.set_unusable_password()
            new_users.append(user)
    user_model.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    # Re-read for primary keys on every database, SQLite included.
    users = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    new_emails = {user.email for user in new_users}
    enrolled = set(
        Enrollment.objects.filter(cohort=cohort, user__in=users.values()).values_list("user__email", flat=True)
    )
    enrollments = []
    for row in batch:
        if row["email"] in enrolled:
            continue
        enrollment = Enrollment(user=users[row["email"]], cohort=cohort, time_zone=row["time_zone"])
        if row.get("weekday_goal_hours"):
            enrollment.weekday_goal_hours = Decimal(row["weekday_goal_hours"])
        if row.get("weekend_goal_hours"):
            enrollment.weekend_goal_hours = Decimal(row["weekend_goal_hours"])
        enrollments.append(enrollment)
    Enrollment.objects.bulk_create(enrollments, batch_size=BATCH_SIZE)
    enrollments = list(
        Enrollment.objects.filter(cohort=cohort, user__email__in=[e.user.email for e in enrollments]).select_related("user")
    )
    rollups_refresh(enrollment_ids=[e.pk for e in enrollments])  # on the cohort page, with their numbers, at commit
    connection = get_connection()
    messages = [_set_password_message(user=users[email], cohort=cohort, connection=connection) for email in emails if email in new_emails]
    if messages:
        connection.send_messages(messages)
    _place_in_groups(cohort=cohort, batch=batch, job=job)
    created_accounts = len(new_emails)
    return created_accounts, len(enrollments) - sum(1 for e in enrollments if e.user.email in new_emails), len(enrolled)


def _group_named(*, cohort: Cohort, name: str, time_zone: str, uploaded_by) -> StudyGroup:
    """The cohort's group of that name, made (by staff) if there is none yet, around the first student's zone."""
    group = StudyGroup.objects.filter(cohort=cohort, name__iexact=name).first()
    if group is not None:
        return group
    return group_create(
        cohort=cohort, name=name, utc_offset=max(-12, min(14, round(utc_offset_hours(time_zone=time_zone)))), weekly_goal_hours=20,
        by_staff=True, owner=uploaded_by,
    )


def _place_in_groups(*, cohort: Cohort, batch: list[dict], job: EnrollmentImport) -> None:
    """The optional group and mentor-of columns, through the groups services (capacity and cohort checked).

    A row that can not be placed (a full group) stays enrolled; the job's page lists why.
    """
    wanted = [row for row in batch if row.get("group") or row.get("mentor_of")]
    if not wanted:
        return
    enrollments = {
        e.user.email: e for e in Enrollment.objects.filter(cohort=cohort, user__email__in=[row["email"] for row in wanted]).select_related("user")
    }
    problems = []
    for row in wanted:
        enrollment = enrollments[row["email"]]
        try:
            with transaction.atomic():
                if row.get("group"):
                    group = _group_named(cohort=cohort, name=row["group"], time_zone=enrollment.time_zone, uploaded_by=job.uploaded_by)
                    membership_move(enrollment=enrollment, group=group)
                if row.get("mentor_of"):
                    group = _group_named(cohort=cohort, name=row["mentor_of"], time_zone=enrollment.time_zone, uploaded_by=job.uploaded_by)
                    mentor_add(group=group, email=row["email"])
        except ValidationError as exc:
            problems.append(f"line {row['line']}: {' '.join(exc.messages)}")
    if problems:
        job.error = "\n".join([*filter(None, [job.error]), *problems])[:10_000]
        job.save(update_fields=["error"])


def enrollment_import_apply(
    *, import_id: int, now: dt.datetime | None = None, progress: Callable[[int, int], None] | None = None
) -> EnrollmentImport:
    """Apply a validated file batch by batch; a retry, a restart or a second worker never applies a batch twice.

    Each batch locks the job row and starts from the rows it says are done,
    so a crashed run resumes where the last committed batch ended.
    """
    now = now or timezone.now()
    while True:
        with transaction.atomic():
            job = EnrollmentImport.objects.select_for_update().select_related("cohort").get(pk=import_id)
            start = job.processed_rows
            if start >= job.total_rows:
                if job.state != EnrollmentImport.State.DONE:
                    job.state = EnrollmentImport.State.DONE
                    job.finished_at = timezone.now()
                    job.save(update_fields=["state", "finished_at"])
                return job
            batch = job.rows[start : start + BATCH_SIZE]
            created, enrolled_existing, already = _apply_batch(job=job, batch=batch, now=now)
            job.state = EnrollmentImport.State.APPLYING
            job.processed_rows = start + len(batch)
            job.created_accounts += created
            job.enrolled_existing_accounts += enrolled_existing
            job.already_enrolled += already
            job.save(update_fields=["state", "processed_rows", "created_accounts", "enrolled_existing_accounts", "already_enrolled"])
        if progress:
            progress(job.processed_rows, job.total_rows)


def enrollment_import_mark_failed(*, import_id: int, error: str) -> None:
    """Say on the job's page that it stopped; the rows already applied stay applied."""
    EnrollmentImport.objects.filter(pk=import_id).exclude(state=EnrollmentImport.State.DONE).update(
        state=EnrollmentImport.State.FAILED, error=error[:2000], finished_at=timezone.now()
    )
