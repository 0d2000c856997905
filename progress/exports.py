"""Students as CSV for spreadsheets: streamed, UTF-8, and safe from formula injection."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone

from .planning import plan_status_words


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text a spreadsheet would run as a formula is prefixed with a quote (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; other programs skip it.
BYTE_ORDER_MARK = "\ufeff"


class _Echo:
    def write(self, value: str) -> str:
        return value


EXPORT_HEADER = [
    "name", "email", "time_zone", "total_hours", "hours_last_7_days", "last_active_day", "lessons_done",
    "plan_status", "forecast_finish", "at_risk", "at_risk_reasons", "project_submitted",
]


def _with_bom(lines):
    yield BYTE_ORDER_MARK
    yield from lines


def export_rows(rollups):
    yield EXPORT_HEADER
    for rollup in rollups.iterator(chunk_size=2000):
        user = rollup.enrollment.user
        yield [
            csv_safe(value)
            for value in (
                user.full_name, user.email, rollup.enrollment.time_zone, round(rollup.total_minutes / 60, 2),
                round(rollup.minutes_last_7_days / 60, 2), rollup.last_study_day or "", rollup.lessons_done,
                plan_status_words(rollup.days_ahead, short=True), rollup.forecast_finish_on or "", "yes" if rollup.at_risk else "no",
                rollup.at_risk_reasons, "yes" if rollup.project_submitted else "no",
            )
        ]


def export_csv_response(*, rollups, filename: str) -> StreamingHttpResponse:
    """Stream rollup rows as a UTF-8 CSV download: memory stays flat whatever the row count."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        _with_bom(writer.writerow(row) for row in export_rows(rollups)), content_type="text/csv; charset=utf-8"
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
