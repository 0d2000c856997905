import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from progress.models import Cohort
from review.services.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute every student's rollup from their logs, lessons and plan. Safe to run at any time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", help="Only this cohort (its slug).")

    def handle(self, *args, cohort: str | None, **options) -> None:
        cohort_id = None
        if cohort:
            found = Cohort.objects.filter(slug=cohort).first()
            if found is None:
                raise CommandError(f"No cohort with the slug {cohort!r}.")
            cohort_id = found.pk
        interactive = sys.stdout.isatty()

        def show(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} students"
            self.stdout.write(("\r" + line) if interactive else line, ending="" if interactive else "\n")

        count = rollups_rebuild(cohort_id=cohort_id, progress=show)
        if interactive:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {count} rollups."))
