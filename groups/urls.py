from django.urls import path

from .views import staff, student

app_name = "groups"

urlpatterns = [
    path("", student.browse, name="browse"),
    path("new/", student.create, name="create"),
    path("join/", student.join_code, name="join_code"),
    path("leave/", student.leave, name="leave"),
    path("privacy/", student.privacy, name="privacy"),
    path("<int:pk>/", student.detail, name="detail"),
    path("<int:pk>/join/", student.join, name="join"),
    path("<int:pk>/note/", student.note, name="note"),
    path("<int:pk>/name/", student.rename, name="rename"),
    path("<int:pk>/members/add/", staff.member_add, name="member_add"),
    path("<int:pk>/members/remove/", staff.member_remove, name="member_remove"),
    path("<int:pk>/mentors/add/", staff.mentor_set, name="mentor_add"),
    path("<int:pk>/mentors/remove/", staff.mentor_unset, name="mentor_remove"),
    path("form/", staff.form_groups, name="form"),
    path("form/<int:run_id>/", staff.forming_status, name="forming_status"),
]
