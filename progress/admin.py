from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction

from common import cache_keys
from lessons.admin import LessonAdmin as CatalogueLessonAdmin
from lessons.models import Lesson
from lessons.selectors import final_project_lesson

from .forms import CohortForm
from .models import (
    Accomplishment,
    Cohort,
    LessonProgress,
    ProjectSubmission,
    RollupRebuild,
    ScheduleItem,
    StudyLog,
    StudyPlan,
    WeeklySummary,
)
from .services.rollups import enrollments_lock, rollup_rebuild_queue, rollups_refresh
from .services.study_logs import day_room_check, lesson_progress_set


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    form = CohortForm
    list_display = ("name", "slug", "opens_on", "cutoff_at", "time_zone", "phase_two_seats", "accepts_signups")
    list_filter = ("accepts_signups", "time_zone")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("cutoff_at", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "opens_on", "time_zone", "cutoff_date", "cutoff_time", "cutoff_at", "accepts_signups", "created_at")}),
        ("Study groups", {"fields": ("students_create_groups",)}),
        ("At risk", {"fields": ("at_risk_idle_days", "at_risk_silent_weeks")}),
        ("Phase-two shortlist (weights in percent, adding up to 100)", {"fields": ("phase_two_seats", *Cohort.SCORE_WEIGHTS)}),
    )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # The cut-off moves the day every student turns late: one cohort-wide recompute, queued on commit. The
        # thresholds and weights are read when a page is, so they need none.
        cutoff_moved = change and Cohort.objects.filter(pk=obj.pk).exclude(cutoff_at=obj.cutoff_at).exists()
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: cache_keys.cohort_charts_forget(cohort_ids=[obj.pk]))  # its opening day and window
        if cutoff_moved:
            rollup_rebuild_queue(cohort_ids=[obj.pk], reason="The cut-off was moved.")


def _charts_forget_all() -> None:
    """Every cohort's charts, on commit: a lesson's title or set is in each cohort's funnel."""
    ids = list(Cohort.objects.values_list("pk", flat=True))
    transaction.on_commit(lambda: cache_keys.cohort_charts_forget(cohort_ids=ids))


admin.site.unregister(Lesson)


@admin.register(Lesson)
class LessonAdmin(CatalogueLessonAdmin):
    """The catalogue's admin (lessons), plus what an estimate means for students: the lessons left, the plan and
    the day each turns late move for everyone, so a new estimate or a lesson added or removed queues one
    recompute per cohort on commit."""

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _charts_forget_all()  # the funnel names every lesson
        # An estimate moves every student's minutes left; a number or the final-project flag, the lesson they reached.
        if not change or {"estimated_hours", "number", "is_final_project"} & set(form.changed_data):
            rollup_rebuild_queue(reason=f"{obj}: estimate {obj.estimated_hours_label} h.")

    @transaction.atomic
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _charts_forget_all()
        rollup_rebuild_queue(reason=f"{obj} was removed.")

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        _charts_forget_all()
        rollup_rebuild_queue(reason="Lessons were removed.")


@admin.register(RollupRebuild)
class RollupRebuildAdmin(admin.ModelAdmin):
    list_display = ("cohort", "reason", "state", "done_students", "total_students", "created_at", "finished_at")
    list_filter = ("state", "cohort")
    readonly_fields = [field.name for field in RollupRebuild._meta.fields]
    search_fields = ("reason", "cohort__name")

    def has_add_permission(self, request) -> bool:
        return False


class KeepsNumbersFresh:
    """Staff edits of a student's rows go through the one freshness rule, as a service's do: the students
    touched (both, when a row moves from one student to another) are locked, the row is written, and their
    stored numbers are recomputed, all in one transaction."""

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = type(obj).objects.filter(pk=obj.pk).values_list("enrollment_id", flat=True).first() if change else None
        touched = {obj.enrollment_id, *([before] if before else [])}
        enrollments_lock(enrollment_ids=touched)
        super().save_model(request, obj, form, change)
        rollups_refresh(enrollment_ids=touched)

    @transaction.atomic
    def delete_model(self, request, obj):
        enrollments_lock(enrollment_ids=[obj.enrollment_id])
        super().delete_model(request, obj)
        rollups_refresh(enrollment_ids=[obj.enrollment_id])

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        touched = set(queryset.values_list("enrollment_id", flat=True))
        enrollments_lock(enrollment_ids=touched)
        super().delete_queryset(request, queryset)
        rollups_refresh(enrollment_ids=touched)


class StudentColumn:
    """A 'student' column (their email) for admins of rows that belong to an enrollment."""

    @admin.display(ordering="enrollment__user__email")
    def student(self, obj) -> str:
        return obj.enrollment.user.email


class StudyLogAdminForm(forms.ModelForm):
    """Staff's edits keep the students' rules: a day holds at most 24 hours of study and community time."""

    class Meta:
        model = StudyLog
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        enrollment, day = cleaned.get("enrollment"), cleaned.get("day")
        if enrollment and day and not self.errors:
            try:
                day_room_check(
                    enrollment_id=enrollment.pk, day=day, minutes=cleaned.get("minutes") or 0,
                    community_minutes=cleaned.get("community_minutes") or 0, log_id=self.instance.pk,
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(StudyLog)
class StudyLogAdmin(KeepsNumbersFresh, StudentColumn, admin.ModelAdmin):
    form = StudyLogAdminForm

    def save_model(self, request, obj, form, change):
        # The form checked the day's room before the lock; checked again under it, as study_log_save does, so a
        # student's save at the same moment can not take the day past 24 hours (the error rolls the edit back).
        with transaction.atomic():
            enrollments_lock(enrollment_ids=[obj.enrollment_id])
            day_room_check(
                enrollment_id=obj.enrollment_id, day=obj.day, minutes=obj.minutes, community_minutes=obj.community_minutes,
                log_id=obj.pk,
            )
            super().save_model(request, obj, form, change)
    list_display = ("day", "student", "lesson", "minutes", "community_minutes", "updated_at")
    list_filter = ("enrollment__cohort", "lesson", "day")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name", "notes")
    list_select_related = ("enrollment__user", "lesson")
    raw_id_fields = ("enrollment",)
    date_hierarchy = "day"


@admin.register(LessonProgress)
class LessonProgressAdmin(KeepsNumbersFresh, StudentColumn, admin.ModelAdmin):
    list_display = ("student", "lesson", "completed_on")
    list_filter = ("enrollment__cohort", "lesson", "completed_on")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user", "lesson")
    raw_id_fields = ("enrollment",)


# A link typed without a scheme is https, as on the students' forms.
HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class ScheduleItemInline(admin.TabularInline):
    model = ScheduleItem
    extra = 0
    readonly_fields = ("lesson", "planned_minutes", "starts_on", "ends_on")
    can_delete = False


@admin.register(StudyPlan)
class StudyPlanAdmin(KeepsNumbersFresh, StudentColumn, admin.ModelAdmin):
    list_display = ("student", "starts_on", "target_on", "weekday_hours", "weekend_hours", "updated_at")
    list_filter = ("enrollment__cohort", "target_on")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)
    inlines = [ScheduleItemInline]


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(KeepsNumbersFresh, StudentColumn, admin.ModelAdmin):
    """Staff read every summary here, shared or not."""

    list_display = ("student", "week_number", "is_shared", "updated_at")
    list_filter = ("enrollment__cohort", "is_shared", "week_number")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name", "body")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)


@admin.register(Accomplishment)
class AccomplishmentAdmin(KeepsNumbersFresh, StudentColumn, admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ("title", "student", "kind", "achieved_on")
    list_filter = ("kind", "enrollment__cohort")
    search_fields = ("title", "enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)


@admin.register(ProjectSubmission)
class ProjectSubmissionAdmin(KeepsNumbersFresh, StudentColumn, admin.ModelAdmin):
    """A project staff add here finishes the challenge project lesson, as one handed in by the student does."""

    formfield_overrides = HTTPS_LINKS

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        final_lesson = final_project_lesson()
        if final_lesson is not None:
            lesson_progress_set(enrollment=obj.enrollment, lesson=final_lesson, done=True)
    list_display = ("student", "url", "score", "submitted_at", "updated_at")
    list_filter = ("enrollment__cohort",)
    search_fields = ("url", "enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)
