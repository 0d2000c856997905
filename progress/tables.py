"""The cohort page's student table rows, drawn in Python: fifty rows of nine cells were half of the
page's time as a template (each cell a variable lookup, a filter and an escape). Everything a student
typed (name, email) and the risk reasons are escaped; the rest are numbers and dates formatted here."""

import datetime as dt
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from scholarship.timezones import hours_display

_ID_PLACEHOLDER = 2_147_483_000


def _day(day: dt.date | None, *, year: bool, missing: str) -> str:
    if day is None:
        return missing
    return f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"


def cohort_student_rows_html(*, rows) -> SafeString:
    """`<tr>`s for (rollup, plan status words) pairs, in the order given; one row saying so when there are none."""
    if not rows:
        return mark_safe('<tr><td colspan="9">No student matches.</td></tr>')
    # One reverse for the page: the drill-down URL differs only by the enrolment's id.
    drill_down = reverse("cohort:student", args=[_ID_PLACEHOLDER]).replace(str(_ID_PLACEHOLDER), "{}")
    lines = []
    for rollup, status in rows:
        user = rollup.enrollment.user
        risk = f'<span class="badge text-bg-danger">at risk</span> <span class="small">{escape(rollup.at_risk_reasons)}</span>' if rollup.at_risk else ""
        lines.append(
            f'<tr><td><a href="{drill_down.format(rollup.enrollment_id)}">{escape(user.full_name or "(no name)")}</a></td>'
            f'<td class="text-break">{escape(user.email)}</td>'
            f'<td class="text-nowrap">{hours_display(rollup.total_minutes)}</td>'
            f'<td class="text-nowrap">{hours_display(rollup.minutes_last_7_days)}</td>'
            f'<td class="text-nowrap">{_day(rollup.last_study_day, year=False, missing="never")}</td>'
            f"<td>{rollup.lessons_done}</td>"
            f'<td class="text-nowrap">{escape(status)}</td>'
            f'<td class="text-nowrap">{_day(rollup.forecast_finish_on, year=True, missing="–")}</td>'
            f"<td>{risk}</td></tr>"
        )
    return mark_safe("\n".join(lines))
