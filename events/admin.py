from django.contrib import admin

from .models import Event, Rsvp


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Staff create and edit events on their own pages (/events/staff/), which keep calendars and reminders in step."""

    list_display = ("title", "cohort", "starts_at", "duration_minutes", "host", "cancelled_at")
    list_filter = ("cohort",)
    search_fields = ("title", "host")
    readonly_fields = [field.name for field in Event._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ("event", "enrollment", "is_going", "attended_at")
    list_filter = ("event__cohort", "is_going")
    raw_id_fields = ("event", "enrollment")
