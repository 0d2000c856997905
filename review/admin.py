from django.contrib import admin

from progress.models import Enrollment
from progress.services.versions import dashboard_version_bump

from .exports import export_csv_response
from .models import StudentRollup
from .services.rollups import rollups_up_to_date


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Enrollments with whether each is at risk (from the rollups, brought up to date before the list is read)."""

    list_display = (
        "user", "cohort", "time_zone", "at_risk", "weekday_goal_hours", "weekend_goal_hours", "wants_reminders", "wants_digests", "enrolled_at",
    )
    list_filter = ("cohort", ("rollup__at_risk", admin.BooleanFieldListFilter), "wants_reminders", "wants_digests", "time_zone")
    list_select_related = ("user", "cohort", "rollup")
    actions = ["export_selected"]
    search_fields = ("user__email", "user__full_name")
    autocomplete_fields = ("user",)
    date_hierarchy = "enrolled_at"

    def changelist_view(self, request, extra_context=None):
        # The "at risk" column and filter, and the export, read rollups.
        rollups_up_to_date()
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        dashboard_version_bump(enrollment_ids=[obj.pk])  # a new zone or goal moves the student's numbers

    @admin.display(boolean=True, ordering="rollup__at_risk", description="at risk")
    def at_risk(self, obj: Enrollment) -> bool | None:
        rollup = getattr(obj, "rollup", None)
        return rollup.at_risk if rollup else None

    @admin.action(description="Export the selected enrollments as CSV")
    def export_selected(self, request, queryset):
        cohort = queryset.first().cohort if queryset.exists() else None
        rollups = StudentRollup.objects.filter(enrollment__in=queryset).select_related("enrollment__user").order_by("enrollment_id")
        return export_csv_response(rollups=rollups, cohort=cohort, filename="selected-enrollments")
