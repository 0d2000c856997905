"""Writes for the progress app, one module per concern; import them from here."""

from .enrolment import (
    EnrolmentFileInvalid,
    enrolment_file_validate,
    enrolment_import_apply,
    enrolment_import_create,
    enrolment_import_mark_failed,
)
from ..scoring import ScoreParts, shortlist_score_parts
from .shortlist import phase_two_pick_set
from .notifications import (
    Occasion,
    TransientMailError,
    notification_message,
    notifications_dispatch,
    notifications_send_chunk,
    staff_digest_preference_set,
    unsubscribe_apply,
    unsubscribe_read,
    unsubscribe_token,
)
from .rollups import cohort_snapshot_take, cohort_snapshots_take, dashboard_version_bump, enrollment_id_chunks, rollup_refresh, rollups_rebuild, rollups_refresh_many, rollups_refresh_stale, rollup_up_to_date, stale_rollup_id_chunks, time_zones_starting_a_day
from .reflection import accomplishment_add, accomplishment_delete, project_submit, weekly_summary_save
from .plans import PlanAfterCutoff, PlanOutcome, calendar_token_reset, replan_defaults, schedule_build, schedule_item_move
from .study_logs import (
    enrollment_create,
    enrollment_preferences_update,
    lesson_progress_set,
    student_sign_up,
    study_log_delete,
    study_log_save,
)

__all__ = [
    "Occasion",
    "TransientMailError",
    "notification_message",
    "notifications_dispatch",
    "notifications_send_chunk",
    "staff_digest_preference_set",
    "unsubscribe_apply",
    "unsubscribe_read",
    "unsubscribe_token",
    "cohort_snapshot_take",
    "cohort_snapshots_take",
    "ScoreParts",
    "phase_two_pick_set",
    "shortlist_score_parts",
    "EnrolmentFileInvalid",
    "enrolment_file_validate",
    "enrolment_import_apply",
    "enrolment_import_create",
    "enrolment_import_mark_failed",
    "enrollment_id_chunks",
    "rollup_refresh",
    "dashboard_version_bump",
    "rollups_rebuild",
    "rollups_refresh_many",
    "rollups_refresh_stale",
    "stale_rollup_id_chunks",
    "rollup_up_to_date",
    "time_zones_starting_a_day",
    "accomplishment_add",
    "accomplishment_delete",
    "project_submit",
    "weekly_summary_save",
    "PlanAfterCutoff",
    "PlanOutcome",
    "calendar_token_reset",
    "replan_defaults",
    "schedule_build",
    "schedule_item_move",
    "enrollment_create",
    "enrollment_preferences_update",
    "lesson_progress_set",
    "student_sign_up",
    "study_log_delete",
    "study_log_save",
]
