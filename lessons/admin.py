from django.contrib import admin

from .models import Lesson, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    ordering = ("order",)


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "instructors", "estimated_hours", "is_final_project")
    list_display_links = ("number", "title")
    list_editable = ("estimated_hours",)
    list_filter = ("is_final_project", "instructors")
    search_fields = ("title", "instructors", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("lesson", "order", "title", "estimated_minutes")
    list_filter = ("lesson",)
    list_select_related = ("lesson",)
    search_fields = ("title", "lesson__title")
