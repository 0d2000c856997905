from django.contrib import admin
from django.urls import include, path

from progress import staff_views
from progress import views as progress_views
from scholarship import views as scholarship_views

urlpatterns = [
    path("", progress_views.home, name="home"),
    path("healthz", scholarship_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    path("favicon.ico", scholarship_views.favicon, name="favicon"),
    path("unsubscribe/<str:token>/", progress_views.unsubscribe, name="unsubscribe"),
    path("emails/preview/", staff_views.emails_preview, name="emails_preview"),
    path("accounts/", include("accounts.urls")),
    path("lessons/", include("lessons.urls")),
    path("cohort/", include("progress.staff_urls")),
    path("", include("progress.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "scholarship.views.bad_request"
handler500 = "scholarship.views.server_error"
