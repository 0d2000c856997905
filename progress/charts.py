"""Charts rendered as inline SVG on the server: no JavaScript, they print, and they can go into email.

Every value placed in the markup is a number or a date formatted here, and
the little text there is (tooltips, labels) goes through format_html.
Each chart comes with a text equivalent in its template for screen readers.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from common.timezones import hours_display

from .planning import days_between

ONE_DAY = dt.timedelta(days=1)


def _joined(parts: Iterable[SafeString]) -> SafeString:
    """Pieces already built by format_html, as one: each is escaped again only if it is not safe."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _shade(minutes: int) -> str:
    """Five steps of blue, by hours studied that day."""
    if minutes <= 0:
        return "#ebedf0"
    for limit, colour in ((60, "#c6dbff"), (150, "#8ab4f8"), (240, "#4c8df6"), (360, "#1a65d6")):
        if minutes < limit:
            return colour
    return "#0b3d91"


def day_list(minutes_by_day: dict[dt.date, int]) -> list[tuple[str, str]]:
    """A calendar chart's text equivalent, one (day, hours) row a day, formatted here: the template only lists
    them (Django's date filter, called per row, was most of the dashboard's rendering time)."""
    return [(f"{day:%a} {day.day} {day:%b}", hours_display(minutes)) for day, minutes in minutes_by_day.items()]


def heatmap_svg(
    *, minutes_by_day: dict[dt.date, int], first_day: dt.date, last_day: dt.date, today: dt.date, cutoff_day: dt.date
) -> SafeString:
    """One cell a day over the cohort window, a column per week (Monday at the top).

    It fills the width it is given (viewBox, width 100%), as GitHub's calendar does: a course of about nine weeks
    is drawn with cells big enough to point at, and its labels stay readable on a phone, where it is scaled up.
    """
    cell, gap, top, left, font = 14, 3, 10, 22, 6
    first_monday = first_day - dt.timedelta(days=first_day.weekday())
    weeks = (last_day - first_monday).days // 7 + 1
    width, height = left + weeks * (cell + gap), top + 7 * (cell + gap)
    cells = []
    for day in days_between(first_day, last_day):
        column, row = (day - first_monday).days // 7, day.weekday()
        minutes = minutes_by_day.get(day, 0)
        stroke = "#212529" if day == today else "#dc3545" if day == cutoff_day else "none"
        label = f"{day:%a %-d %b}: {hours_display(minutes)}" + (" (today)" if day == today else "") + (
            " (cut-off)" if day == cutoff_day else ""
        )
        cells.append((left + column * (cell + gap), top + row * (cell + gap), cell, cell, _shade(minutes), stroke, label))
    day_labels = format_html_join(
        "", '<text x="0" y="{}" font-size="{}" fill="#6c757d">{}</text>',
        ((top + row * (cell + gap) + 9, font, name) for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))),
    )
    month_labels = format_html_join(
        "", '<text x="{}" y="{}" font-size="{}" fill="#6c757d">{}</text>',
        (
            (left + ((day - first_monday).days // 7) * (cell + gap), top - 3, font, f"{day:%b}")
            for day in days_between(first_day, last_day)
            if day.day == 1 or day == first_day
        ),
    )
    return format_html(
        '<svg class="chart chart-heatmap" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="heatmap-title" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="heatmap-title">Study calendar: hours studied each day of the course</title>{}{}{}</svg>',
        width, height, day_labels, month_labels,
        format_html_join(
            "", '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}" stroke="{}" stroke-width="2"><title>{}</title></rect>', cells
        ),
    )


def _polyline(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def cumulative_svg(
    *,
    minutes_by_day: dict[dt.date, int],
    planned_cumulative: dict[dt.date, int],
    first_day: dt.date,
    last_day: dt.date,
    today: dt.date,
    total_minutes_goal: int,
    forecast_finish: dt.date | None,
) -> SafeString:
    """Hours so far against the plan, with the recent pace continued dashed to the forecast finish."""
    width, height, left, bottom, top = 640, 240, 40, 24, 16
    span_days = max((last_day - first_day).days, 1)
    logged_total = sum(minutes_by_day.values())
    plan_start = min(planned_cumulative, default=None)
    # The plan covers what was left when it was made, so it starts from the hours logged before its first day.
    before_plan = sum(m for day, m in minutes_by_day.items() if plan_start and day < plan_start)
    top_minutes = max(total_minutes_goal, before_plan + max(planned_cumulative.values(), default=0), logged_total, 60)

    def x(day: dt.date) -> float:
        return left + (width - left - 10) * min(max((day - first_day).days, 0), span_days) / span_days

    def y(minutes: float) -> float:
        return height - bottom - (height - bottom - top) * minutes / top_minutes

    actual, running = [], 0
    for day in days_between(first_day, min(today, last_day)):
        running += minutes_by_day.get(day, 0)
        actual.append((x(day), y(running)))
    planned = [(x(day), y(before_plan + total)) for day, total in sorted(planned_cumulative.items())]
    if plan_start:
        planned.insert(0, (x(plan_start - ONE_DAY), y(before_plan)))
    parts = [
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#adb5bd"/>', left, y(0), width - 10, y(0)),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6c757d" stroke-dasharray="2 3"/>'
            '<text x="{}" y="{}" font-size="10" fill="#6c757d">all lessons</text>',
            left, y(total_minutes_goal), width - 10, y(total_minutes_goal), left + 4, y(total_minutes_goal) - 3,
        ),
    ]
    for hours_mark in range(0, int(top_minutes / 60) + 1, 40):
        parts.append(
            format_html('<text x="4" y="{}" font-size="10" fill="#6c757d">{} h</text>', y(hours_mark * 60) + 3, hours_mark)
        )
    if planned:
        parts.append(format_html('<polyline points="{}" fill="none" stroke="#adb5bd" stroke-width="3"/>', _polyline(planned)))
    if actual:
        parts.append(format_html('<polyline points="{}" fill="none" stroke="#0d6efd" stroke-width="3"/>', _polyline(actual)))
    if forecast_finish and actual and logged_total < total_minutes_goal:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0d6efd" stroke-width="2" stroke-dasharray="6 4"/>',
                actual[-1][0], actual[-1][1], x(forecast_finish), y(total_minutes_goal),
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#212529"/><text x="{}" y="{}" font-size="10">today</text>',
            x(today), top, x(today), y(0), x(today) + 3, top + 10,
        )
    )
    return format_html(
        '<svg class="chart chart-cumulative" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="cumulative-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="cumulative-title">Hours studied so far against the plan</title>{}</svg>',
        width, height, _joined(parts),
    )


def timeline_svg(
    *, items: list, first_day: dt.date, last_day: dt.date, today: dt.date, cutoff_day: dt.date
) -> SafeString:
    """A bar per planned lesson across the weeks to the cut-off; today and the cut-off marked.

    Across, every position is a share of the width (no viewBox): the chart is as wide as the screen, at a desk
    and on a phone alike, while its rows and its words keep their size. A scaled-down drawing would shrink the
    words out of reading on a phone; a fixed width would scroll off it.
    """
    row, top, label_share = 22, 18, 8.0  # px, px, % of the width for the "L1".."L10" column
    planned = [item for item in items if item.starts_on and item.ends_on]
    last_day = max([last_day] + [item.ends_on for item in planned])
    span = max((last_day - first_day).days + 1, 1)
    height = top + row * max(len(planned), 1) + 6

    def x(day: dt.date) -> float:
        """Where a day starts, in % of the width."""
        return round(label_share + (100 - label_share - 1) * (day - first_day).days / span, 3)

    def pct(value: float) -> str:
        return f"{value:g}%"

    parts = []
    week, weeks_drawn = first_day, 0
    while week <= last_day:
        # Every other week's date is left out on a phone (site.css), where they would run into each other.
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#e9ecef"/>'
                '<text class="{}" x="{}" y="11" dx="2" font-size="10" fill="#6c757d">{}</text>',
                pct(x(week)), top - 4, pct(x(week)), height, "tick-minor" if weeks_drawn % 2 else "tick", pct(x(week)), f"{week:%-d %b}",
            )
        )
        week += dt.timedelta(days=7)
        weeks_drawn += 1
    for index, item in enumerate(planned):
        y = top + index * row
        late = item.ends_on > cutoff_day
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="11">L{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"><title>{}</title></rect>',
                y + 14, item.lesson.number, pct(x(item.starts_on)), y + 3,
                pct(max(x(item.ends_on + ONE_DAY) - x(item.starts_on), 0.5)), row - 6, "#dc3545" if late else "#0d6efd",
                f"Lesson {item.lesson.number}: {item.starts_on:%-d %b} to {item.ends_on:%-d %b}, {hours_display(item.planned_minutes)}",
            )
        )
    for day, colour, label in ((today, "#212529", "today"), (cutoff_day, "#dc3545", "cut-off")):
        if first_day <= day <= last_day + ONE_DAY:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"><title>{}</title></line>',
                    pct(x(day)), top - 4, pct(x(day)), height, colour, label,
                )
            )
    return format_html(
        '<svg class="chart-timeline" width="100%" height="{}" role="img" aria-labelledby="timeline-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="timeline-title">Plan timeline: each lesson\'s planned days</title>{}</svg>',
        height, _joined(parts),
    )
