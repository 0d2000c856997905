from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from common.forms import single_line

from .models import FormingRun, Membership, Mentorship, StudyGroup
from .services.membership import membership_move


class MentorshipInline(admin.TabularInline):
    model = Mentorship
    extra = 1
    raw_id_fields = ("mentor",)


@admin.register(StudyGroup)
class StudyGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "cohort", "utc_offset", "weekly_goal_hours", "capacity", "is_open", "created_at")
    list_filter = ("cohort", "is_open")
    search_fields = ("name",)
    readonly_fields = ("note_html", "join_code", "forming_run", "forming_index", "created_at")
    raw_id_fields = ("owner",)
    inlines = [MentorshipInline]

    def save_model(self, request, obj, form, change):
        obj.name = single_line(obj.name)  # as the pages save it: a line break would reach email subjects
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Moves go through the same service as the staff page's (capacity and cohort checked)."""

    list_display = ("enrollment", "group", "hides_numbers", "shows_place", "joined_at")
    list_filter = ("group__cohort",)
    search_fields = ("enrollment__user__email", "enrollment__user__full_name", "group__name")
    raw_id_fields = ("enrollment", "group")

    def save_model(self, request, obj, form, change):
        try:
            membership = membership_move(enrollment=obj.enrollment, group=obj.group)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return
        if membership is not None and (membership.hides_numbers, membership.shows_place) != (obj.hides_numbers, obj.shows_place):
            membership.hides_numbers, membership.shows_place = obj.hides_numbers, obj.shows_place
            membership.save(update_fields=["hides_numbers", "shows_place"])
        obj.pk = membership.pk if membership is not None else obj.pk


@admin.register(FormingRun)
class FormingRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "cohort", "state", "applied_groups", "total_groups", "placed_students", "created_at")
    readonly_fields = [field.name for field in FormingRun._meta.fields]

    def has_add_permission(self, request):
        return False
