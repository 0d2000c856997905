from django.contrib import admin

from .models import StudyTimer


@admin.register(StudyTimer)
class StudyTimerAdmin(admin.ModelAdmin):
    """Running timers, to look at: a timer logs only through the student's stop (timers.services)."""

    list_display = ("enrollment", "lesson", "started_at", "stops_at", "confirmed_at")
    list_select_related = ("enrollment__user", "enrollment__cohort", "lesson")
    search_fields = ("enrollment__user__email",)
    list_filter = ("lesson",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
