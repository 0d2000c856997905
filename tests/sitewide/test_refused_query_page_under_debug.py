"""A mistyped query parameter shows our 400 page (naming the value to fix) even with DEBUG on, as in the demo
profile of `make run`; Django's technical page is kept for real errors."""

import pytest
from django.test import Client
from django.urls import path


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_a_refused_query_parameter_is_our_400_page(student_client, settings, debug):
    settings.DEBUG = debug
    response = student_client.get("/logs/new/", {"day": "31st of Smarch"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "We could not read that address" in body and "Day: Enter a valid date." in body
    assert "DEBUG = True" not in body and "Traceback" not in body


def _a_bug(request):
    return 1 / 0


urlpatterns = [path("bug/", _a_bug)]


@pytest.mark.urls(__name__)
def test_a_real_error_keeps_the_debug_page_in_development(settings):
    settings.DEBUG = True
    response = Client(raise_request_exception=False).get("/bug/")
    assert response.status_code == 500 and "ZeroDivisionError" in response.content.decode()
