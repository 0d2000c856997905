"""The start page and the student's dashboard."""

import datetime as dt
from functools import partial

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property

from common.fragments import templates_version

from .. import charts, planning
from ..decorators import enrollment_required
from ..models import Enrollment
from ..panels import DASHBOARD
from ..selectors.enrollments import cohort_open_for_signup, enrollment_for_request
from ..selectors.standing import Dashboard, dashboard_cache_key, dashboard_for_enrollment

# A drawn dashboard is reused while nothing it shows has changed (see dashboard_cache_key); ten minutes
# bounds how long a lesson's edited title or estimate takes to show on it.
DASHBOARD_CACHE_SECONDS = 600
DASHBOARD_TEMPLATES = ("progress/_dashboard_content.html", "progress/_standing.html")
# The panels of apps above (a group's hours this week, the next events) are drawn once a minute at most: what
# the student does moves their version and redraws them at once; what others do (a classmate's log, a new
# event, an event starting) shows within this many seconds.
PANELS_CACHE_SECONDS = 60


def home(request):
    if request.user.is_authenticated:
        if request.user.is_staff and enrollment_for_request(request) is None:
            return redirect("cohort:dashboard")
        return redirect("progress:dashboard")
    return render(request, "home.html", {"cohort": cohort_open_for_signup()})


class DashboardPage:
    """What the dashboard's templates read, each part computed on first use: a drawing the cache already
    holds uses none of it. The staff drill-down shows the same parts."""

    cache_seconds = DASHBOARD_CACHE_SECONDS
    panels_cache_seconds = PANELS_CACHE_SECONDS

    def __init__(self, *, enrollment: Enrollment, now: dt.datetime | None = None):
        self.enrollment = enrollment
        self.now = now or timezone.now()

    @cached_property
    def cache_key(self) -> str:
        return f"{dashboard_cache_key(enrollment=self.enrollment, now=self.now)}:{templates_version(*DASHBOARD_TEMPLATES)}"

    @cached_property
    def panels_cache_key(self) -> str:
        return f"{self.enrollment.pk}:{self.enrollment.dashboard_version}:{DASHBOARD.templates_version()}"

    @cached_property
    def numbers(self) -> Dashboard:
        return dashboard_for_enrollment(enrollment=self.enrollment, now=self.now)

    @property
    def pace(self):
        return self.numbers.pace

    @property
    def forecast(self):
        return self.numbers.pace.forecast

    @cached_property
    def first_day(self) -> dt.date:
        days = self.numbers.minutes_by_day
        return min(self.enrollment.cohort.opens_on, *days) if days else self.enrollment.cohort.opens_on

    @cached_property
    def heatmap(self):
        numbers = self.numbers
        return charts.heatmap_svg(
            minutes_by_day=numbers.minutes_by_day, first_day=self.first_day, last_day=self.pace.cutoff_day,
            today=numbers.today, cutoff_day=self.pace.cutoff_day,
        )

    @cached_property
    def day_list(self) -> list[tuple[str, str]]:
        return charts.day_list(self.numbers.minutes_by_day)

    @cached_property
    def cumulative(self):
        numbers, pace = self.numbers, self.pace
        return charts.cumulative_svg(
            minutes_by_day=numbers.minutes_by_day, planned_cumulative=pace.planned_cumulative, first_day=self.first_day,
            last_day=pace.cutoff_day, today=numbers.today, total_minutes_goal=sum(lesson.estimated_minutes for lesson in numbers.lessons),
            forecast_finish=pace.forecast.finish_on_7_day_pace or pace.forecast.finish_on_overall_pace,
        )

    @cached_property
    def planned_by_today(self) -> int:
        return planning.planned_by(self.pace.planned_cumulative, self.numbers.today)


@enrollment_required
def dashboard(request, *, enrollment):
    page = DashboardPage(enrollment=enrollment)
    # Called by the template, and only when its drawing of the panels has run out (a template calls a callable).
    panels = partial(DASHBOARD.render, request=request, enrollment=enrollment)
    return render(request, "progress/dashboard.html", {"page": page, "enrollment": enrollment, "panels": panels})
