from django.urls import path

from . import staff_views

app_name = "cohort"

urlpatterns = [
    path("", staff_views.cohort_dashboard, name="dashboard"),
    path("students/<int:enrollment_id>/", staff_views.cohort_student, name="student"),
    path("export.csv", staff_views.cohort_export, name="export"),
    path("shortlist/", staff_views.cohort_shortlist, name="shortlist"),
    path("shortlist/<int:enrollment_id>/pick/", staff_views.cohort_shortlist_pick, name="shortlist_pick"),
    path("digest-preference/", staff_views.cohort_digest_preference, name="digest_preference"),
    path("enrol/", staff_views.cohort_enrol, name="enrol"),
    path("enrol/<int:import_id>/", staff_views.cohort_enrol_status, name="enrol_status"),
]
