import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from progress.models import Cohort
from review.services.enrollment_import import (
    EnrollmentFileInvalid,
    enrollment_file_validate,
    enrollment_import_apply,
    enrollment_import_create,
)


class Command(BaseCommand):
    help = "Enroll the students of a CSV file (email, full name, time zone; optional goals) in a cohort."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--cohort", required=True, help="The cohort's slug.")

    def handle(self, *args, file: Path, cohort: str, **options) -> None:
        found = Cohort.objects.filter(slug=cohort).first()
        if found is None:
            raise CommandError(f"No cohort with the slug {cohort!r}.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Can not read {file}: {exc}") from exc
        try:
            rows = enrollment_file_validate(text=text)
        except EnrollmentFileInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"line {error.line}: {error.message}")
            raise CommandError(f"{len(exc.errors)} problem(s); nothing was applied.") from exc
        # New students' set-password emails link to the site; run outside `make run`, say which address.
        self.stdout.write(f"Links in these emails point at {settings.SITE_URL} ({settings.SITE_URL_ORIGIN}).")
        job = enrollment_import_create(cohort=found, rows=rows, file_name=file.name)
        interactive = sys.stdout.isatty()

        def show(done: int, total: int) -> None:
            filled = 30 * done // max(total, 1)
            line = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} rows"
            self.stdout.write(("\r" + line) if interactive else line, ending="" if interactive else "\n")

        job = enrollment_import_apply(import_id=job.pk, progress=show)
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Enrolled {job.created_accounts + job.enrolled_existing_accounts} in {found.name}: "
                f"{job.created_accounts} new accounts (set-password email sent), "
                f"{job.enrolled_existing_accounts} existing accounts; {job.already_enrolled} were already enrolled."
            )
        )
