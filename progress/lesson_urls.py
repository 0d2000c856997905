"""The lessons as the student sees them (namespace "lessons"): the catalogue is lessons', the progress ours."""

from django.urls import path

from .views import lessons

app_name = "lessons"

urlpatterns = [
    path("", lessons.lesson_list, name="list"),
    path("<slug:slug>/", lessons.lesson_detail, name="detail"),
    path("<slug:slug>/done/", lessons.lesson_mark, name="mark"),
]
