from django.urls import path

from . import views

app_name = "timers"

urlpatterns = [
    path("", views.timer_page, name="page"),
    path("start/", views.timer_start_view, name="start"),
    path("<int:pk>/stop/", views.timer_stop_view, name="stop"),
    path("<int:pk>/confirm/", views.timer_confirm_view, name="confirm"),
    path("<int:pk>/keep/", views.timer_keep_view, name="keep"),
    path("<int:pk>/discard/", views.timer_discard_view, name="discard"),
]
