"""The phase-two shortlist score: one transparent formula, with no database in sight."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Cohort


@dataclass(frozen=True)
class ScoreParts:
    """Each part is a share from 0 to 1; the score weighs them by the cohort's percentages."""

    lessons: float
    project: float
    consistency: float
    summaries: float
    community: float

    def total(self, *, cohort: "Cohort") -> float:
        return round(
            cohort.weight_lessons * self.lessons
            + cohort.weight_project * self.project
            + cohort.weight_consistency * self.consistency
            + cohort.weight_summaries * self.summaries
            + cohort.weight_community * self.community,
            2,
        )


def shortlist_score_parts(
    *,
    lessons_done: int,
    lessons_total: int,
    project_submitted: bool,
    project_score: Decimal | None,
    best_project_score: Decimal | None,
    days_studied: int,
    course_days: int,
    summaries_written: int,
    course_weeks: int,
    community_minutes: int,
    most_community_minutes: int,
) -> ScoreParts:
    """The score's parts, each from 0 to 1.

    - lessons: share of the lessons marked done;
    - project: handing it in is the whole part until the programme publishes
      scores; then handing in is half and the score (against the best in the
      cohort) the other half;
    - consistency: share of the course's days so far with a study log;
    - summaries: share of the course's weeks so far with a weekly summary;
    - community: community time against the most anyone in the cohort gave.
    """

    def share(part: float, whole: float) -> float:
        return min(part / whole, 1.0) if whole > 0 else 0.0

    if not project_submitted:
        project = 0.0
    elif best_project_score:
        project = 0.5 + 0.5 * share(float(project_score or 0), float(best_project_score))
    else:
        project = 1.0
    return ScoreParts(
        lessons=share(lessons_done, lessons_total),
        project=project,
        consistency=share(days_studied, course_days),
        summaries=share(summaries_written, course_weeks),
        community=share(community_minutes, most_community_minutes),
    )
