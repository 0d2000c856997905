"""The phase-two shortlist: every student ranked by the cohort's score, from rollups."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from lessons.selectors import lesson_count
from progress.models import Cohort, ProjectSubmission, StudentRollup, WeeklySummary

from ..models import PhaseTwoPick
from ..scoring import ScoreParts, shortlist_score_parts
from .cohorts import cohort_today


@dataclass(frozen=True)
class ShortlistRow:
    rank: int
    rollup: StudentRollup
    parts: ScoreParts
    score: float
    summaries_written: int
    project_score: Decimal | None
    picked: bool


@dataclass(frozen=True)
class Shortlist:
    rows: list[ShortlistRow]  # the top `limit`, with everything the page shows
    ranked_total: int
    picked_total: int


def cohort_shortlist(*, cohort: Cohort, limit: int | None = None, now: dt.datetime | None = None) -> Shortlist:
    """Every student ranked by the cohort's score, ties to whoever finished first (six queries).

    The ranking runs on plain tuples; only the rows shown are loaded as objects.
    """
    today = cohort_today(cohort=cohort, now=now)
    last_day = cohort.cutoff_local.date()
    course_days = max(min((today - cohort.opens_on).days + 1, (last_day - cohort.opens_on).days + 1), 1)
    course_weeks = max((course_days + 6) // 7, 1)
    lessons_total = lesson_count()
    summaries = dict(
        WeeklySummary.objects.filter(enrollment__cohort=cohort)
        .order_by()
        .values("enrollment_id")
        .annotate(n=Count("pk"))
        .values_list("enrollment_id", "n")
    )
    project_scores = dict(
        ProjectSubmission.objects.filter(enrollment__cohort=cohort).values_list("enrollment_id", "score")
    )
    best_score = max((score for score in project_scores.values() if score is not None), default=None)
    picked = set(PhaseTwoPick.objects.filter(enrollment__cohort=cohort).values_list("enrollment_id", flat=True))
    students = list(
        StudentRollup.objects.filter(cohort=cohort).values_list(
            "enrollment_id", "lessons_done", "project_submitted", "days_studied", "community_minutes", "finished_on"
        )
    )
    most_community = max((row[4] for row in students), default=0)
    scored = []
    for enrollment_id, lessons_done, project_submitted, days_studied, community, finished_on in students:
        parts = shortlist_score_parts(
            lessons_done=lessons_done,
            lessons_total=lessons_total,
            project_submitted=project_submitted,
            project_score=project_scores.get(enrollment_id),
            best_project_score=best_score,
            days_studied=days_studied,
            course_days=course_days,
            summaries_written=summaries.get(enrollment_id, 0),
            course_weeks=course_weeks,
            community_minutes=community,
            most_community_minutes=most_community,
        )
        scored.append((parts.total(cohort=cohort), finished_on or dt.date.max, enrollment_id, parts))
    # Highest score first; among equals the earlier finish; never finished comes after any finish.
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    top = scored if limit is None else scored[:limit]
    rollups = StudentRollup.objects.filter(enrollment_id__in=[item[2] for item in top]).select_related("enrollment__user")
    by_id = {rollup.enrollment_id: rollup for rollup in rollups}
    rows = [
        ShortlistRow(
            rank=rank,
            rollup=by_id[enrollment_id],
            parts=parts,
            score=score,
            summaries_written=summaries.get(enrollment_id, 0),
            project_score=project_scores.get(enrollment_id),
            picked=enrollment_id in picked,
        )
        for rank, (score, _, enrollment_id, parts) in enumerate(top, start=1)
    ]
    return Shortlist(rows=rows, ranked_total=len(scored), picked_total=len(picked))
