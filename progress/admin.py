from django import forms
from django.contrib import admin
from django.db import models

from scholarship.forms import TimeZoneField
from scholarship.timezones import is_time_zone

from .exports import export_csv_response
from .services import dashboard_version_bump, rollup_refresh, rollups_refresh_many, rollups_refresh_stale
from .models import (
    DEFAULT_CUTOFF_TIME,
    Accomplishment,
    Cohort,
    Enrollment,
    LessonProgress,
    ProjectSubmission,
    ScheduleItem,
    StudentRollup,
    StudyLog,
    StudyPlan,
    WeeklySummary,
)


class CohortAdminForm(forms.ModelForm):
    """Staff enter the cut-off as the programme announces it: a date and a time in its own zone."""

    time_zone = TimeZoneField(initial="America/Los_Angeles")
    cutoff_date = forms.DateField(label="Cut-off date", help_text="In the programme's time zone.")
    cutoff_time = forms.TimeField(label="Cut-off time", initial=DEFAULT_CUTOFF_TIME, help_text="Default 23:59.")

    class Meta:
        model = Cohort
        fields = [
            "name", "slug", "opens_on", "time_zone", "phase_two_seats", "accepts_signups", "at_risk_idle_days",
            "at_risk_silent_weeks", *Cohort.SCORE_WEIGHTS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            local = self.instance.cutoff_local
            self.initial.setdefault("cutoff_date", local.date())
            self.initial.setdefault("cutoff_time", local.time().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        day, at, zone = cleaned.get("cutoff_date"), cleaned.get("cutoff_time"), cleaned.get("time_zone")
        if day and at and zone and is_time_zone(zone):
            self.instance.cutoff_at = Cohort.cutoff_from_local(day=day, at=at, time_zone=zone)
            if cleaned.get("opens_on") and day < cleaned["opens_on"]:
                self.add_error("cutoff_date", "The cut-off must come after the opening day.")
        return cleaned


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    form = CohortAdminForm
    list_display = ("name", "slug", "opens_on", "cutoff_at", "time_zone", "phase_two_seats", "accepts_signups")
    list_filter = ("accepts_signups", "time_zone")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("cutoff_at", "created_at")
    fieldsets = (
        (None, {"fields": ("name", "slug", "opens_on", "time_zone", "cutoff_date", "cutoff_time", "cutoff_at", "accepts_signups", "created_at")}),
        ("At risk", {"fields": ("at_risk_idle_days", "at_risk_silent_weeks")}),
        ("Phase-two shortlist (weights in percent, adding up to 100)", {"fields": ("phase_two_seats", *Cohort.SCORE_WEIGHTS)}),
    )


class RefreshesRollup:
    """Staff edits in the admin skip the services, so bring the student's rollup and dashboard in step after each."""

    def _enrollment_of(self, obj):
        return obj if isinstance(obj, Enrollment) else obj.enrollment

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        rollup_refresh(enrollment=self._enrollment_of(obj))

    def delete_model(self, request, obj):
        enrollment = self._enrollment_of(obj)
        super().delete_model(request, obj)
        if not isinstance(obj, Enrollment):
            rollup_refresh(enrollment=enrollment)

    def delete_queryset(self, request, queryset):
        enrollments = {self._enrollment_of(obj).pk for obj in queryset}
        super().delete_queryset(request, queryset)
        dashboard_version_bump(enrollment_ids=enrollments)
        rollups_refresh_many(enrollment_ids=enrollments)


class StudentColumn:
    """A 'student' column (their email) for admins of rows that belong to an enrolment."""

    @admin.display(ordering="enrollment__user__email")
    def student(self, obj) -> str:
        return obj.enrollment.user.email


@admin.register(Enrollment)
class EnrollmentAdmin(RefreshesRollup, admin.ModelAdmin):
    list_display = (
        "user", "cohort", "time_zone", "at_risk", "weekday_goal_hours", "weekend_goal_hours",
        "wants_reminders", "wants_digests", "enrolled_at",
    )
    list_filter = ("cohort", ("rollup__at_risk", admin.BooleanFieldListFilter), "wants_reminders", "wants_digests", "time_zone")
    list_select_related = ("user", "cohort", "rollup")
    actions = ["export_selected"]

    def changelist_view(self, request, extra_context=None):
        # The "at risk" column and filter, and the export, read rollups: bring them up to every write first.
        rollups_refresh_stale()
        return super().changelist_view(request, extra_context)

    @admin.display(boolean=True, ordering="rollup__at_risk", description="at risk")
    def at_risk(self, obj: Enrollment) -> bool | None:
        rollup = getattr(obj, "rollup", None)
        return rollup.at_risk if rollup else None

    @admin.action(description="Export the selected enrolments as CSV")
    def export_selected(self, request, queryset):
        rollups = StudentRollup.objects.filter(enrollment__in=queryset).select_related("enrollment__user").order_by("enrollment_id")
        return export_csv_response(rollups=rollups, filename="selected-enrolments")
    search_fields = ("user__email", "user__full_name")
    autocomplete_fields = ("user",)
    date_hierarchy = "enrolled_at"


@admin.register(StudyLog)
class StudyLogAdmin(RefreshesRollup, StudentColumn, admin.ModelAdmin):
    list_display = ("day", "student", "lesson", "minutes", "community_minutes", "updated_at")
    list_filter = ("enrollment__cohort", "lesson", "day")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name", "notes")
    list_select_related = ("enrollment__user", "lesson")
    raw_id_fields = ("enrollment",)
    date_hierarchy = "day"


@admin.register(LessonProgress)
class LessonProgressAdmin(RefreshesRollup, StudentColumn, admin.ModelAdmin):
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
class StudyPlanAdmin(RefreshesRollup, StudentColumn, admin.ModelAdmin):
    list_display = ("student", "starts_on", "target_on", "weekday_hours", "weekend_hours", "updated_at")
    list_filter = ("enrollment__cohort", "target_on")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)
    exclude = ("calendar_token",)
    inlines = [ScheduleItemInline]


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(RefreshesRollup, StudentColumn, admin.ModelAdmin):
    """Staff read every summary here, shared or not."""

    list_display = ("student", "week_number", "is_shared", "updated_at")
    list_filter = ("enrollment__cohort", "is_shared", "week_number")
    search_fields = ("enrollment__user__email", "enrollment__user__full_name", "body")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)


@admin.register(Accomplishment)
class AccomplishmentAdmin(RefreshesRollup, StudentColumn, admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ("title", "student", "kind", "achieved_on")
    list_filter = ("kind", "enrollment__cohort")
    search_fields = ("title", "enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)


@admin.register(ProjectSubmission)
class ProjectSubmissionAdmin(RefreshesRollup, StudentColumn, admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ("student", "url", "score", "submitted_at", "updated_at")
    list_filter = ("enrollment__cohort",)
    search_fields = ("url", "enrollment__user__email", "enrollment__user__full_name")
    list_select_related = ("enrollment__user",)
    raw_id_fields = ("enrollment",)
