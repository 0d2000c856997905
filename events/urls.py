from django.urls import path

from .views import staff, student

app_name = "events"

urlpatterns = [
    path("", student.event_list, name="list"),
    path("<int:pk>/rsvp/", student.rsvp, name="rsvp"),
    path("<int:pk>/attended/", student.attended, name="attended"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/new/", staff.staff_create, name="staff_create"),
    path("staff/<int:pk>/", staff.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/cancel/", staff.staff_cancel, name="staff_cancel"),
]
