"""Every user-written field, filled with the XSS corpus, on every page that shows it."""

from pathlib import Path

import pytest
from django.urls import reverse

from common.timezones import local_today
from progress.models import Accomplishment
from progress.selectors.reflection import summary_current_week
from progress.services.reflection import accomplishment_add, project_submit, weekly_summary_save
from progress.services.rollups import rollups_refresh
from tests.factories import EnrollmentFactory, StudyLogFactory, UserFactory
from tests.helpers import audit

PAYLOADS = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt").read_text().splitlines() if line.strip()]


def test_the_corpus_has_at_least_sixty_payloads():
    assert len(PAYLOADS) >= 60


@pytest.fixture
def author(db):
    corpus = "\n".join(PAYLOADS)
    enrollment = EnrollmentFactory(user__full_name='"><script>alert(1)</script><img src=x onerror=alert(1)>')
    today = local_today(time_zone=enrollment.time_zone)
    StudyLogFactory(enrollment=enrollment, day=today, notes=corpus[:10_000])
    week = summary_current_week(enrollment=enrollment)
    weekly_summary_save(enrollment=enrollment, week_number=week, body=corpus, is_shared=True)
    project_submit(enrollment=enrollment, url='https://github.com/x/"onmouseover="alert(1)', description=corpus, score=None)
    for payload in PAYLOADS:
        Accomplishment.objects.create(enrollment=enrollment, title=payload[:200], achieved_on=today, kind="other",
                                      link='https://example.com/"onmouseover="alert(1)')
    rollups_refresh(enrollment_ids=[enrollment.pk])
    return enrollment


@pytest.mark.django_db
def test_links_with_unsafe_schemes_are_refused_where_they_are_entered(author):
    from django.core.exceptions import ValidationError

    for link in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"):
        with pytest.raises(ValidationError):
            accomplishment_add(enrollment=author, title="x", achieved_on=author.cohort.opens_on, link=link, kind="other")
        with pytest.raises(ValidationError):
            project_submit(enrollment=author, url=link, description="", score=None)


@pytest.mark.django_db
def test_the_authors_own_pages_run_nothing_from_the_corpus(client, author):
    client.force_login(author.user)
    log = author.study_logs.first()
    week = summary_current_week(enrollment=author)
    for url in (
        reverse("progress:dashboard"), reverse("progress:log_list"), reverse("progress:log_edit", args=[log.pk]),
        reverse("progress:profile"), reverse("progress:summary_list"), reverse("progress:summary_write", args=[week]),
        reverse("progress:community_summaries"), reverse("progress:project"), reverse("lessons:list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert audit(response.content.decode()) == [], url


@pytest.mark.django_db
def test_a_preview_of_the_corpus_runs_nothing(client, author):
    client.force_login(author.user)
    week = summary_current_week(enrollment=author)
    response = client.post(reverse("progress:summary_write", args=[week]), {"body": "\n".join(PAYLOADS), "action": "preview"})
    assert audit(response.content.decode()) == []


@pytest.mark.django_db
def test_other_students_and_staff_see_the_corpus_inert(client, author):
    client.force_login(EnrollmentFactory(cohort=author.cohort).user)
    assert audit(client.get(reverse("progress:community_summaries")).content.decode()) == []
    client.force_login(UserFactory(is_staff=True))
    for url in (
        reverse("cohort:dashboard") + f"?cohort={author.cohort.slug}",
        reverse("cohort:student", args=[author.pk]),
        reverse("cohort:shortlist") + f"?cohort={author.cohort.slug}",
        reverse("emails_preview") + f"?cohort={author.cohort.slug}&kind=deadline&student={author.pk}",
        reverse("emails_preview") + f"?cohort={author.cohort.slug}&kind=digest&student={author.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert audit(response.content.decode()) == [], url


@pytest.mark.django_db
def test_group_names_notes_and_members_from_the_corpus_run_nothing_on_any_group_page(client, author):
    from groups.models import Membership, Mentorship, StudyGroup
    from groups.services.membership import group_note_save

    mentor = UserFactory(full_name='<svg/onload=alert(1)>')
    for index, payload in enumerate(PAYLOADS):
        group = StudyGroup.objects.create(cohort=author.cohort, name=f"{index} {payload}"[:100], utc_offset=0, weekly_goal_hours=10)
        group_note_save(group=group, note=payload)
        Mentorship.objects.create(group=group, mentor=mentor)
    Membership.objects.create(enrollment=author, group=group)
    Membership.objects.filter(enrollment=author).update(shows_place=True)
    rollups_refresh(enrollment_ids=[author.pk])
    pages = {
        author.user: [reverse("groups:browse"), reverse("groups:detail", args=[group.pk]), reverse("progress:dashboard")],
        mentor: [reverse("mentor"), reverse("groups:detail", args=[group.pk])],
        UserFactory(is_staff=True): [
            reverse("cohort:groups") + f"?cohort={author.cohort.slug}", reverse("cohort:dashboard") + f"?cohort={author.cohort.slug}",
            reverse("groups:form") + f"?cohort={author.cohort.slug}", reverse("groups:detail", args=[group.pk]),
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert audit(response.content.decode()) == [], url


@pytest.mark.django_db
def test_events_from_the_corpus_run_nothing_for_students_or_staff(client, author):
    import datetime as dt

    from django.utils import timezone

    from events.models import Event, Rsvp

    for index, payload in enumerate(PAYLOADS):
        event = Event.objects.create(
            cohort=author.cohort, title=payload[:200], host=payload[:200], description="\n".join(PAYLOADS)[:5000],
            starts_at=timezone.now() + dt.timedelta(hours=index - 30), join_url='https://meet.example.org/"onmouseover="alert(1)',
            recording_url='https://rec.example.org/"onmouseover="alert(1)',
        )
        Rsvp.objects.create(event=event, enrollment=author)
    client.force_login(author.user)
    for url in (reverse("events:list"), reverse("progress:dashboard")):
        response = client.get(url)
        assert response.status_code == 200 and audit(response.content.decode()) == [], url
    client.force_login(UserFactory(is_staff=True))
    for url in (reverse("events:staff_list") + f"?cohort={author.cohort.slug}", reverse("events:staff_edit", args=[event.pk])):
        response = client.get(url)
        assert response.status_code == 200 and audit(response.content.decode()) == [], url
