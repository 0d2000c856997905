from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("logs/", views.log_list, name="log_list"),
    path("logs/new/", views.log_create, name="log_create"),
    path("logs/<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("logs/<int:pk>/delete/", views.log_delete, name="log_delete"),
    path("profile/", views.profile, name="profile"),
    path("profile/accomplishments/", views.accomplishment_add, name="accomplishment_add"),
    path("profile/accomplishments/<int:pk>/delete/", views.accomplishment_delete, name="accomplishment_delete"),
    path("summaries/", views.summary_list, name="summary_list"),
    path("summaries/<int:week>/", views.summary_write, name="summary_write"),
    path("community/summaries/", views.community_summaries, name="community_summaries"),
    path("project/", views.project, name="project"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/items/<int:pk>/move/", views.schedule_item_move, name="schedule_item_move"),
    path("schedule/calendar/reset/", views.calendar_token_reset, name="calendar_token_reset"),
    path("schedule.ics", views.schedule_ics, name="schedule_ics"),
]
