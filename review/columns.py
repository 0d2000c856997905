"""The student table's columns, defined once: the sort in the address, the header, each cell and the CSV.

A row is a rollup carrying `.status`: its verdict on the student's today (`with_status`), worked out when the
page is read by the same function as the dashboard's. Columns whose value depends on today (the last 7
days, the forecast) are not sortable; the verdict sorts through its database form (selectors.verdicts).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from common.timezones import hours_display
from progress.models import Cohort, StudentRollup
from progress.selectors.numbers import rollup_status


def with_status(rollups: Iterable[StudentRollup], cohort: Cohort, now=None) -> Iterable[StudentRollup]:
    """Each rollup with `.status` on its student's today (no query: the cohort is given)."""
    for rollup in rollups:
        if cohort is not None and rollup.enrollment.cohort_id == cohort.pk:
            rollup.enrollment.cohort = cohort
        rollup.status = rollup_status(rollup=rollup, enrollment=rollup.enrollment, now=now)
        yield rollup


def _group_name(rollup: StudentRollup) -> str:
    membership = getattr(rollup.enrollment, "group_membership", None)
    return membership.group.name if membership is not None else ""


def _day(day, *, year: bool, missing: str) -> str:
    if day is None:
        return missing
    return f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"


def _forecast(rollup: StudentRollup) -> str:
    status = rollup.status
    if status.is_finished:
        return f"done {_day(status.numbers.finished_on, year=False, missing='')}"
    return _day(status.forecast, year=True, missing="none")


Value = Callable[[StudentRollup, Cohort], object]


@dataclass(frozen=True)
class Column:
    key: str  # in the address: ?sort=key, ?sort=-key
    label: str  # the table's header
    order_by: str | None  # the rollup field (or annotation) sorted on; None: not sortable
    text: Value  # the cell
    kind: str = "text"  # how the template renders the cell: "text", "student" (a link to the drill-down) or "verdict"
    csv: tuple[tuple[str, Value], ...] = field(default=())  # (header, value) for each CSV field this column gives
    css: str = "text-nowrap"  # the cell's class


@dataclass(frozen=True)
class CsvOnly:
    csv: tuple[tuple[str, Value], ...]


COLUMNS: tuple[Column | CsvOnly, ...] = (
    Column("name", "Name", "enrollment__user__full_name", lambda r, c: r.enrollment.user.full_name or "(no name)", kind="student",
           csv=(("name", lambda r, c: r.enrollment.user.full_name),), css="cell-truncate"),
    Column("email", "Email", "enrollment__user__email", lambda r, c: r.enrollment.user.email,
           csv=(("email", lambda r, c: r.enrollment.user.email),), css="cell-truncate"),
    CsvOnly(csv=(("time_zone", lambda r, c: r.enrollment.time_zone),)),
    Column("group", "Group", "enrollment__group_membership__group__name", lambda r, c: _group_name(r),
           css="cell-truncate"),  # in the CSV as its last field, so spreadsheets built on the earlier columns still line up
    Column("total", "Total", "total_minutes", lambda r, c: hours_display(r.total_minutes),
           csv=(("total_hours", lambda r, c: round(r.total_minutes / 60, 2)),)),
    Column("last7", "Last 7 days", None, lambda r, c: hours_display(r.status.minutes_last_7_days),
           csv=(("hours_last_7_days", lambda r, c: round(r.status.minutes_last_7_days / 60, 2)),)),
    Column("last_active", "Last active", "last_study_day", lambda r, c: _day(r.last_study_day, year=False, missing="never"),
           csv=(("last_active_day", lambda r, c: r.last_study_day or ""),)),
    Column("lessons", "Lessons", "lessons_done", lambda r, c: r.lessons_done, csv=(("lessons_done", lambda r, c: r.lessons_done),), css=""),
    Column("plan", "Plan", None, lambda r, c: r.status.plan_words_short,
           csv=(("plan_status", lambda r, c: r.status.plan_words_short),)),
    Column("forecast", "Forecast finish", None, lambda r, c: _forecast(r),
           csv=(("forecast_finish", lambda r, c: "" if r.status.is_finished else (r.status.forecast or "")),)),
    Column("status", "Verdict", "verdict_rank", lambda r, c: "; ".join(r.status.reason_words), kind="verdict",
           csv=(("verdict", lambda r, c: r.status.verdict.value),
                ("at_risk", lambda r, c: "yes" if r.status.at_risk else "no"),
                ("at_risk_reasons", lambda r, c: "; ".join(r.status.reason_words))), css="cell-wrap"),
    CsvOnly(csv=(("project_submitted", lambda r, c: "yes" if r.project_submitted else "no"),)),
    CsvOnly(csv=(("group", lambda r, c: _group_name(r)),)),
)
TABLE_COLUMNS: tuple[Column, ...] = tuple(column for column in COLUMNS if isinstance(column, Column))
SORTS: dict[str, str] = {column.key: column.order_by for column in TABLE_COLUMNS if column.order_by}
CSV_FIELDS: tuple[tuple[str, Value], ...] = tuple(entry for column in COLUMNS for entry in column.csv)


def table_rows(*, rollups, cohort: Cohort) -> list[dict]:
    """The table's rows for a page of rollups, each cell's class, kind and text, for the template to render."""
    return [
        {
            "student_id": rollup.enrollment_id,
            "status": rollup.status,
            "cells": [{"css": column.css, "kind": column.kind, "text": column.text(rollup, cohort)} for column in TABLE_COLUMNS],
        }
        for rollup in with_status(rollups, cohort)
    ]
