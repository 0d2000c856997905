"""The JSON API under /api/v1/: the schema and its documentation page, the endpoints, and the token pages."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import common, logs, pages, staff, student, timer

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's files (our static files, no CDN); its script from its own address,
    # not inline, so the site's Content-Security-Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("me/", student.Me.as_view(), name="me"),
    path("lessons/", student.Lessons.as_view(), name="lessons"),
    path("logs/", logs.LogList.as_view(), name="logs"),
    path("logs/<int:pk>/", logs.LogDetail.as_view(), name="log"),
    path("plan/", student.Plan.as_view(), name="plan"),
    path("summaries/", student.Summaries.as_view(), name="summaries"),
    path("status/", student.StatusView.as_view(), name="status"),
    path("events/", student.Events.as_view(), name="events"),
    path("events/<int:pk>/rsvp/", student.Rsvp.as_view(), name="event_rsvp"),
    path("group/", student.Group.as_view(), name="group"),
    path("timer/", timer.TimerCurrent.as_view(), name="timer"),
    path("timer/start/", timer.TimerStart.as_view(), name="timer_start"),
    path("timer/stop/", timer.TimerStop.as_view(), name="timer_stop"),
    path("cohort/students/", staff.CohortStudents.as_view(), name="cohort_students"),
    # HTML pages (sessions and CSRF as every page): the tokens list, making and revoking one.
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/new/", pages.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    re_path(r"^.*$", common.NotFound.as_view(), name="not_found"),
]
