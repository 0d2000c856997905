from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("slack/commands", views.slack_command, name="slack_command"),
    path("slack/code/", views.slack_code_view, name="slack_code"),
    path("slack/unlink/", views.slack_unlink_view, name="slack_unlink"),
]
