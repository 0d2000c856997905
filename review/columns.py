"""The student table's columns, defined once: the sort in the address, the header, each cell and the CSV."""

from collections.abc import Callable
from dataclasses import dataclass, field

from common.timezones import hours_display
from progress.models import Cohort
from progress.planning import plan_status_words
from progress.standing import risk_reason_words

from .models import StudentRollup


def risk_words(rollup: StudentRollup, cohort: Cohort) -> list[str]:
    """A rollup's risk reasons, worded with their numbers as of the day it was computed for."""
    idle = (rollup.computed_for_day - rollup.last_study_day).days if rollup.last_study_day else None
    return [risk_reason_words(reason, idle_days=idle, silent_weeks=cohort.at_risk_silent_weeks) for reason in rollup.risk_reasons]


def _group_name(rollup: StudentRollup) -> str:
    membership = getattr(rollup.enrollment, "group_membership", None)
    return membership.group.name if membership is not None else ""


def _day(day, *, year: bool, missing: str) -> str:
    if day is None:
        return missing
    return f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"


Value = Callable[[StudentRollup, Cohort], object]


@dataclass(frozen=True)
class Column:
    key: str  # in the address: ?sort=key, ?sort=-key
    label: str  # the table's header
    order_by: str  # the rollup field sorted on
    text: Value  # the cell
    kind: str = "text"  # how the template draws the cell: "text", "student" (a link to the drill-down) or "risk"
    csv: tuple[tuple[str, Value], ...] = field(default=())  # (header, value) for each CSV field this column gives
    css: str = "text-nowrap"  # the cell's class


@dataclass(frozen=True)
class CsvOnly:
    csv: tuple[tuple[str, Value], ...]


COLUMNS: tuple[Column | CsvOnly, ...] = (
    Column("name", "Name", "enrollment__user__full_name", lambda r, c: r.enrollment.user.full_name or "(no name)", kind="student",
           csv=(("name", lambda r, c: r.enrollment.user.full_name),), css=""),
    Column("email", "Email", "enrollment__user__email", lambda r, c: r.enrollment.user.email,
           csv=(("email", lambda r, c: r.enrollment.user.email),), css="text-break"),
    CsvOnly(csv=(("time_zone", lambda r, c: r.enrollment.time_zone),)),
    Column("group", "Group", "enrollment__group_membership__group__name", lambda r, c: _group_name(r),
           css=""),  # in the CSV as its last field, so spreadsheets built on the earlier columns still line up
    Column("total", "Total", "total_minutes", lambda r, c: hours_display(r.total_minutes),
           csv=(("total_hours", lambda r, c: round(r.total_minutes / 60, 2)),)),
    Column("last7", "Last 7 days", "minutes_last_7_days", lambda r, c: hours_display(r.minutes_last_7_days),
           csv=(("hours_last_7_days", lambda r, c: round(r.minutes_last_7_days / 60, 2)),)),
    Column("last_active", "Last active", "last_study_day", lambda r, c: _day(r.last_study_day, year=False, missing="never"),
           csv=(("last_active_day", lambda r, c: r.last_study_day or ""),)),
    Column("lessons", "Lessons", "lessons_done", lambda r, c: r.lessons_done, csv=(("lessons_done", lambda r, c: r.lessons_done),), css=""),
    Column("status", "Plan status", "days_ahead", lambda r, c: plan_status_words(r.days_ahead, short=True),
           csv=(("plan_status", lambda r, c: plan_status_words(r.days_ahead, short=True)),)),
    Column("forecast", "Forecast finish", "forecast_finish_on", lambda r, c: _day(r.forecast_finish_on, year=True, missing="–"),
           csv=(("forecast_finish", lambda r, c: r.forecast_finish_on or ""),)),
    Column("risk", "At risk", "at_risk", lambda r, c: "; ".join(risk_words(r, c)), kind="risk",
           csv=(("at_risk", lambda r, c: "yes" if r.at_risk else "no"), ("at_risk_reasons", lambda r, c: "; ".join(risk_words(r, c)))), css=""),
    CsvOnly(csv=(("project_submitted", lambda r, c: "yes" if r.project_submitted else "no"),)),
    CsvOnly(csv=(("group", lambda r, c: _group_name(r)),)),
)
TABLE_COLUMNS: tuple[Column, ...] = tuple(column for column in COLUMNS if isinstance(column, Column))
SORTS: dict[str, str] = {column.key: column.order_by for column in TABLE_COLUMNS}
CSV_FIELDS: tuple[tuple[str, Value], ...] = tuple(entry for column in COLUMNS for entry in column.csv)


def table_rows(*, rollups, cohort: Cohort) -> list[dict]:
    """The table's rows for a page of rollups, each cell's class, kind and text, for the template to draw. Plain
    dicts: the template engine looks a key up in a dict first, so these cost it no failed look-up per cell."""
    return [
        {
            "student_id": rollup.enrollment_id,
            "at_risk": rollup.at_risk,
            "cells": [{"css": column.css, "kind": column.kind, "text": column.text(rollup, cohort)} for column in TABLE_COLUMNS],
        }
        for rollup in rollups
    ]
