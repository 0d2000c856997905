import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from progress.models import Cohort
from progress.services.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute students' stored numbers (rollups) from their logs, lessons and plan. Safe to run at any time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", help="Only this cohort (its slug).")
        parser.add_argument("--missing", action="store_true", help="Only students with no rollup yet (after a deploy).")

    def handle(self, *args, cohort: str | None, missing: bool, **options) -> None:
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

        count = rollups_rebuild(cohort_id=cohort_id, missing_only=missing, progress=show)
        if interactive:
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {count} rollups."))
