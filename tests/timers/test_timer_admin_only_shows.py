"""Staff see the running timers in the admin, but can not add or edit one: a timer logs only through the student's
own stop, which keeps the study log's rules and the stored numbers."""

import pytest
from django.urls import reverse

from timers.models import StudyTimer
from timers.services import timer_start

pytestmark = pytest.mark.django_db


def test_staff_see_running_timers_and_can_not_add_or_edit_them(admin_client, at_noon, lesson_2):
    timer = timer_start(enrollment=at_noon, lesson=lesson_2).timer
    listing = admin_client.get(reverse("admin:timers_studytimer_changelist"), {"q": at_noon.user.email})
    assert listing.status_code == 200 and at_noon.user.email in listing.text
    assert admin_client.get(reverse("admin:timers_studytimer_add")).status_code == 403
    edit = admin_client.post(reverse("admin:timers_studytimer_change", args=[timer.pk]), {"started_at_0": "2020-01-01"})
    assert edit.status_code in (200, 403)
    assert StudyTimer.objects.get(pk=timer.pk).started_at == timer.started_at
