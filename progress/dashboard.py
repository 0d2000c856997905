"""What the student's dashboard shows, for the dashboard itself and the staff drill-down: computed from the
student's rows on every request (no page cache), with its charts."""

import datetime as dt

from django.utils import timezone

from . import charts, planning
from .models import Enrollment
from .selectors.numbers import Dashboard, dashboard_for_enrollment


def dashboard_context(*, enrollment: Enrollment, now: dt.datetime | None = None) -> dict:
    """The dashboard's context: `dash` (the numbers and the verdict) and its charts."""
    now = now or timezone.now()
    dash: Dashboard = dashboard_for_enrollment(enrollment=enrollment, now=now)
    standing, status = dash.standing, dash.status
    opens_on = enrollment.cohort.opens_on
    first_day = min(opens_on, *standing.minutes_by_day) if standing.minutes_by_day else opens_on
    cutoff_day = standing.cutoff_day
    return {
        "dash": dash,
        "standing": standing,
        "status": status,
        "heatmap": charts.heatmap_svg(
            minutes_by_day=standing.minutes_by_day, first_day=first_day, last_day=max(cutoff_day, standing.today),
            today=standing.today, cutoff_day=cutoff_day,
        ),
        "day_list": charts.day_list(standing.minutes_by_day),
        "cumulative": charts.cumulative_svg(
            minutes_by_day=standing.minutes_by_day, planned_cumulative=standing.planned_cumulative, first_day=first_day,
            last_day=cutoff_day, today=standing.today,
            total_minutes_goal=sum(lesson.estimated_minutes for lesson in standing.lessons),
            forecast_finish=None if status.is_finished else status.forecast,
        ),
        "planned_by_today": planning.planned_by(standing.planned_cumulative, standing.today),
    }
