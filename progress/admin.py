from django.contrib import admin
from django.db import models

from .forms import CohortForm
from .models import Accomplishment, Cohort, LessonProgress, ProjectSubmission, ScheduleItem, StudyLog, StudyPlan, WeeklySummary
from .services.versions import dashboard_version_bump


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


class MovesTheVersionOn:
    """Staff edits here skip the services: each moves the student's version on, as a service would, so their
    dashboard is drawn again and their rollup is brought up to date when next read."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        dashboard_version_bump(enrollment_ids=[obj.enrollment_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        dashboard_version_bump(enrollment_ids=[obj.enrollment_id])

    def delete_queryset(self, request, queryset):
        enrollment_ids = set(queryset.values_list("enrollment_id", flat=True))
        super().delete_queryset(request, queryset)
        dashboard_version_bump(enrollment_ids=enrollment_ids)


class StudentColumn:
    """A 'student' column (their email) for admins of rows that belong to an enrollment."""

    @admin.display(ordering="enrollment__user__email")
    def student(self, obj) -> str:
        return obj.enrollment.user.email


@admin.register(StudyLog)
class StudyLogAdmin(MovesTheVersionOn, StudentColumn, admin.ModelAdmin):
    list_display = ("day", "student", "lesson", "minutes", "community_minutes", "updated_at")
    list_filter = ("enrollment__cohort", "lesson", "day")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name", "notes")
    list_select_related = ("enrollment__user", "lesson")
    raw_id_fields = ("enrollment",)
    date_hierarchy = "day"


@admin.register(LessonProgress)
class LessonProgressAdmin(MovesTheVersionOn, StudentColumn, admin.ModelAdmin):
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
class StudyPlanAdmin(MovesTheVersionOn, StudentColumn, admin.ModelAdmin):
    list_display = ("student", "starts_on", "target_on", "weekday_hours", "weekend_hours", "updated_at")
    list_filter = ("enrollment__cohort", "target_on")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)
    exclude = ("calendar_token",)
    inlines = [ScheduleItemInline]


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(MovesTheVersionOn, StudentColumn, admin.ModelAdmin):
    """Staff read every summary here, shared or not."""

    list_display = ("student", "week_number", "is_shared", "updated_at")
    list_filter = ("enrollment__cohort", "is_shared", "week_number")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name", "body")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)


@admin.register(Accomplishment)
class AccomplishmentAdmin(MovesTheVersionOn, StudentColumn, admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ("title", "student", "kind", "achieved_on")
    list_filter = ("kind", "enrollment__cohort")
    search_fields = ("title", "enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)


@admin.register(ProjectSubmission)
class ProjectSubmissionAdmin(MovesTheVersionOn, StudentColumn, admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ("student", "url", "score", "submitted_at", "updated_at")
    list_filter = ("enrollment__cohort",)
    search_fields = ("url", "enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)
