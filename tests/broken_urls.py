"""A URLconf whose only page fails, to see the 500 page a visitor would get."""

from django.urls import path


def broken(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("", broken)]
