from django.core.management.base import BaseCommand, CommandParser

from devdata.demo import MENTOR_LOGIN, STAFF_LOGIN, STUDENT_LOGIN, demo_cohort_seed


class Command(BaseCommand):
    help = "Create a demo cohort open today, with students whose study logs look real. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=60, help="How many students (default 60).")

    def handle(self, *args, students: int, **options) -> None:
        if students < 1:
            self.stderr.write("--students must be at least 1.")
            raise SystemExit(2)
        result = demo_cohort_seed(students=students)
        cohort = result.cohort
        self.stdout.write(
            f"{cohort.name}: opens {cohort.opens_on:%d %b %Y}, cut-off {cohort.cutoff_local:%d %b %Y %H:%M %Z}. "
            f"Added {result.created_students} students and {result.created_logs} study logs."
        )
        self.stdout.write(self.style.SUCCESS("Demo logins:"))
        self.stdout.write(f"  staff    {STAFF_LOGIN[0]} / {STAFF_LOGIN[1]}   (admin at /admin/)")
        self.stdout.write(f"  student  {STUDENT_LOGIN[0]} / {STUDENT_LOGIN[1]}")
        self.stdout.write(f"  mentor   {MENTOR_LOGIN[0]} / {MENTOR_LOGIN[1]}   (a student who mentors two study groups: /mentor/)")
