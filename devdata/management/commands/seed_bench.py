from django.core.management.base import BaseCommand, CommandParser

from devdata.bench_data import bench_cohort_seed


class Command(BaseCommand):
    help = "Replace the 'bench' cohort with N students (default 10,000) and their history, for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=10_000)

    def handle(self, *args, students: int, **options) -> None:
        bench_cohort_seed(students=students, progress=self.stdout.write)
