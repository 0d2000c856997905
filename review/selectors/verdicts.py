"""The one verdict (`progress.standing.status_on`) written once more as a database expression, for pages that
filter, count or sort a whole cohort by it without reading 10,000 rollups into Python.

Every clause mirrors a line of `status_on`; `tests/review/test_verdict_expression.py` holds the two equal
on generated students, days and zones. The students' "today" differs by zone, so the expression is built
per reading instant from the cohort's zones (a handful of distinct local dates at any instant).
"""

import datetime as dt
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.utils import timezone

from common.timezones import local_today
from progress.models import Cohort
from progress.standing import Rules, Verdict

ONE_DAY = dt.timedelta(days=1)
NOTHING = Q(pk__in=[])


def zones_by_today(*, time_zones: list[str], now: dt.datetime) -> dict[dt.date, list[str]]:
    """The cohort's zones grouped by the local date they are on at `now`."""
    grouped: dict[dt.date, list[str]] = defaultdict(list)
    for zone in time_zones:
        grouped[local_today(time_zone=zone, now=now)].append(zone)
    return dict(grouped)


def _per_day(today_zones: dict[dt.date, list[str]], clause, prefix: str) -> Q:
    return reduce(or_, (Q(**{f"{prefix}time_zone__in": zones}) & clause(day) for day, zones in today_zones.items()), NOTHING)


def at_risk_q(*, cohort: Cohort, today_zones: dict[dt.date, list[str]], prefix: str = "") -> Q:
    """Rollups at risk on their student's today (`prefix` when read from another model, e.g. "rollup__")."""
    rules = Rules.of(cohort=cohort, time_zone=cohort.time_zone)
    p = prefix

    def clause(day: dt.date) -> Q:
        never = Q(**{f"{p}last_study_day__isnull": True}) if day >= rules.silent_from else NOTHING
        idle = Q(**{f"{p}last_study_day__lte": day - dt.timedelta(days=rules.idle_days)})
        # late_from <= max(today, last study day); late_from is never before the last study day.
        late = Q(**{f"{p}late_from__lte": day}) | Q(**{f"{p}late_from": F(f"{p}last_study_day")})
        return never | idle | late

    return Q(**{f"{p}finished_on__isnull": True}) & _per_day(today_zones, clause, p)


def behind_q(*, today_zones: dict[dt.date, list[str]], prefix: str = "") -> Q:
    """On a plan and behind it (`planning.days_ahead` < 0 exactly when today >= reached_on + 2 days); callers
    rule out the finished and the at-risk first (the verdict's order)."""
    p = prefix

    def clause(day: dt.date) -> Q:
        return Q(**{f"{p}has_plan": True, f"{p}plan_done": False, f"{p}plan_reached_on__lte": day - 2 * ONE_DAY})

    return _per_day(today_zones, clause, p)


def verdict_expression(*, cohort: Cohort, time_zones: list[str], now: dt.datetime | None = None, prefix: str = "") -> Case:
    """The verdict code of each rollup on its student's today, as `status_on` decides it."""
    today_zones = zones_by_today(time_zones=time_zones, now=now or timezone.now())
    return Case(
        When(Q(**{f"{prefix}finished_on__isnull": False}), then=Value(Verdict.FINISHED.value)),
        When(at_risk_q(cohort=cohort, today_zones=today_zones, prefix=prefix), then=Value(Verdict.AT_RISK.value)),
        When(behind_q(today_zones=today_zones, prefix=prefix), then=Value(Verdict.BEHIND.value)),
        default=Value(Verdict.ON_TRACK.value),
        output_field=CharField(),
    )


# The table's triage order: at risk first, finished last.
VERDICT_ORDER = {verdict.value: index for index, verdict in enumerate(Verdict)}


def verdict_rank_expression() -> Case:
    """The rank of a rollup's `verdict` annotation in triage order, for sorting by it."""
    return Case(*[When(verdict=code, then=Value(rank)) for code, rank in VERDICT_ORDER.items()], default=Value(99), output_field=IntegerField())
