"""The site's URLs: each app's pages, composed here, the one place that knows them all."""

from django.contrib import admin
from django.urls import include, path

from accounts import urls as accounts_urls
from notifications import views as notification_views
from progress.views import accounts as signup_views
from progress.views import dashboard as dashboard_views
from review.views import groups as review_group_views
from scholarship import views as site_views

# Sign-up enrolls the new student (progress), so it joins the accounts namespace here.
accounts_patterns = [*accounts_urls.urlpatterns, path("signup/", signup_views.sign_up, name="signup")]

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    path("favicon.ico", site_views.favicon, name="favicon"),
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
    path("emails/preview/", notification_views.emails_preview, name="emails_preview"),
    path("emails/digest-preference/", notification_views.staff_digest_preference, name="staff_digest_preference"),
    path("accounts/", include((accounts_patterns, "accounts"))),
    path("timer/", include("timers.urls")),
    path("groups/", include("groups.urls")),
    path("events/", include("events.urls")),
    path("integrations/", include("integrations.urls")),
    # A mentor's list reads the rollups (review); the nudge is an email (notifications).
    path("mentor/", review_group_views.mentor, name="mentor"),
    path("mentor/nudge/<int:enrollment_id>/", notification_views.mentor_nudge, name="mentor_nudge"),
    path("lessons/", include("progress.lesson_urls")),
    path("cohort/", include("review.urls")),
    path("", include("progress.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "scholarship.views.bad_request"
handler500 = "scholarship.views.server_error"
