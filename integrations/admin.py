from django.contrib import admin
from django.db import models

from .models import CohortChannel, SlackLink, WeeklyPost


@admin.register(CohortChannel)
class CohortChannelAdmin(admin.ModelAdmin):
    list_display = ("cohort", "weekly_post")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SlackLink)
class SlackLinkAdmin(admin.ModelAdmin):
    list_display = ("enrollment", "team_id", "slack_user_id", "linked_at")
    raw_id_fields = ("enrollment",)


@admin.register(WeeklyPost)
class WeeklyPostAdmin(admin.ModelAdmin):
    list_display = ("cohort", "week_number", "posted_at", "attempts")
    readonly_fields = [field.name for field in WeeklyPost._meta.fields]
