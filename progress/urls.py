from django.urls import path

from .views import dashboard, logs, plans, profile, reflection

app_name = "progress"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("logs/", logs.log_list, name="log_list"),
    path("logs/new/", logs.log_create, name="log_create"),
    path("logs/<int:pk>/edit/", logs.log_edit, name="log_edit"),
    path("logs/<int:pk>/delete/", logs.log_delete, name="log_delete"),
    path("profile/", profile.profile, name="profile"),
    path("profile/accomplishments/", profile.accomplishment_add, name="accomplishment_add"),
    path("profile/accomplishments/<int:pk>/delete/", profile.accomplishment_delete, name="accomplishment_delete"),
    path("summaries/", reflection.summary_list, name="summary_list"),
    path("summaries/<int:week>/", reflection.summary_write, name="summary_write"),
    path("community/summaries/", reflection.community_summaries, name="community_summaries"),
    path("project/", reflection.project, name="project"),
    path("schedule/", plans.schedule, name="schedule"),
    path("schedule/items/<int:pk>/move/", plans.schedule_item_move, name="schedule_item_move"),
    path("schedule/calendar/reset/", plans.calendar_token_reset, name="calendar_token_reset"),
    path("schedule.ics", plans.schedule_ics, name="schedule_ics"),
]
