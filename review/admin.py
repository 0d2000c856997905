from django.contrib import admin
from django.db import transaction

from progress.models import Enrollment, StudentRollup
from progress.selectors.numbers import rollup_status
from progress.services.rollups import enrollments_lock, rollups_refresh

from .exports import export_csv_response


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Enrollments with each student's verdict, worked out on their today from their rollup as the list is read
    (the cohort page filters and sorts by it)."""

    list_display = (
        "user", "cohort", "time_zone", "verdict", "weekday_goal_hours", "weekend_goal_hours", "wants_reminders", "wants_digests", "enrolled_at",
    )
    list_filter = ("cohort", "wants_reminders", "wants_digests", "time_zone")
    list_select_related = ("user", "cohort", "rollup")
    actions = ["export_selected"]
    search_fields = ("user__email", "user__full_name")
    autocomplete_fields = ("user",)
    date_hierarchy = "enrolled_at"

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # A new zone moves the cut-off's local day, so the day the student turns late: the one freshness rule.
        if change:
            enrollments_lock(enrollment_ids=[obj.pk])
        super().save_model(request, obj, form, change)
        rollups_refresh(enrollment_ids=[obj.pk])

    @admin.display(description="verdict")
    def verdict(self, obj: Enrollment) -> str:
        rollup = getattr(obj, "rollup", None)
        if rollup is None:
            return "being worked out"
        return rollup_status(rollup=rollup, enrollment=obj).verdict.label

    @admin.action(description="Export the selected enrollments as CSV")
    def export_selected(self, request, queryset):
        cohort = queryset.first().cohort if queryset.exists() else None
        rollups = StudentRollup.objects.filter(enrollment__in=queryset).select_related("enrollment__user", "enrollment__cohort").order_by("enrollment_id")
        return export_csv_response(rollups=rollups, cohort=cohort, filename="selected-enrollments")
