from django.urls import path
from django.views.generic import RedirectView

from .views import cohort, enrollment, groups, shortlist, students

app_name = "cohort"

urlpatterns = [
    path("", cohort.cohort_dashboard, name="dashboard"),
    path("students/<int:enrollment_id>/", students.cohort_student, name="student"),
    path("groups/", groups.cohort_groups, name="groups"),
    path("export.csv", cohort.cohort_export, name="export"),
    path("shortlist/", shortlist.cohort_shortlist, name="shortlist"),
    path("shortlist/<int:enrollment_id>/pick/", shortlist.cohort_shortlist_pick, name="shortlist_pick"),
    path("enroll/", enrollment.cohort_enroll, name="enroll"),
    path("enroll/<int:import_id>/", enrollment.cohort_enroll_status, name="enroll_status"),
    # The page's address before enrollment had one spelling in the code: bookmarks still arrive.
    path("enrol/", RedirectView.as_view(pattern_name="cohort:enroll", permanent=True, query_string=True)),
]
