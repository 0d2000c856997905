"""Students as CSV for spreadsheets: streamed, UTF-8, and safe from formula injection."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone

from common.spreadsheets import csv_safe
from progress.models import Cohort

from .columns import CSV_FIELDS, with_status


# Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; other programs skip it.
BYTE_ORDER_MARK = "\ufeff"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _with_bom(lines):
    yield BYTE_ORDER_MARK
    yield from lines


def export_rows(rollups, *, cohort: Cohort):
    """The header, then a row per rollup: the CSV fields the table's columns define (review.columns)."""
    yield [header for header, _ in CSV_FIELDS]
    for rollup in with_status(rollups.iterator(chunk_size=2000), cohort):
        yield [csv_safe(value(rollup, cohort)) for _, value in CSV_FIELDS]


def export_csv_response(*, rollups, cohort: Cohort, filename: str) -> StreamingHttpResponse:
    """Stream rollup rows as a UTF-8 CSV download: memory stays flat whatever the row count."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        _with_bom(writer.writerow(row) for row in export_rows(rollups, cohort=cohort)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response




SHORTLIST_HEADER = [
    "rank", "name", "email", "score", "lessons_part", "project_part", "consistency_part", "summaries_part",
    "community_part", "lessons_done", "project_score", "days_studied", "summaries_written", "community_hours",
    "finished_on", "selected",
]


def export_shortlist_csv(*, rows, filename: str) -> StreamingHttpResponse:
    def lines():
        yield SHORTLIST_HEADER
        for row in rows:
            rollup, parts, user = row.rollup, row.parts, row.rollup.enrollment.user
            yield [
                csv_safe(value)
                for value in (
                    row.rank, user.full_name, user.email, row.score, round(parts.lessons, 3), round(parts.project, 3),
                    round(parts.consistency, 3), round(parts.summaries, 3), round(parts.community, 3),
                    rollup.lessons_done, row.project_score if row.project_score is not None else "", rollup.days_studied,
                    row.summaries_written, round(rollup.community_minutes / 60, 2), rollup.finished_on or "",
                    "yes" if row.picked else "no",
                )
            ]

    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(_with_bom(writer.writerow(line) for line in lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.now():%Y%m%d-%H%M}.csv"'
    return response
