"""Groups in staff review: the cohort table's column and filter, the CSV, the groups view, and both digests."""

import csv
import datetime as dt
import io
import re

from django.urls import reverse

from common.timezones import local_today
from groups.models import Membership, StudyGroup
from notifications.models import Notification
from notifications.selectors import contexts_for_chunk, staff_digest_context
from progress.course_days import course_week
from review.services.enrollment_import import enrollment_file_validate, enrollment_import_apply
from review.models import EnrollmentImport
from tests.factories import EnrollmentFactory, StudyGroupFactory, StudyLogFactory, UserFactory, member_of
from django.utils import timezone


def in_grace_weeks(cohort):
    """Students who have logged nothing yet are not at risk for it in the first four weeks: the steady members."""
    cohort.at_risk_silent_weeks = 4
    cohort.save()


def idle(group, days: int, **kwargs):
    student = member_of(group, **kwargs)
    StudyLogFactory(enrollment=student, day=local_today(time_zone=student.time_zone) - dt.timedelta(days=days))
    return student


def test_the_cohort_table_and_csv_show_each_students_group_and_filter_by_it(client, cohort):
    owls = StudyGroupFactory(cohort=cohort, name="Owls")
    in_owls = member_of(owls, user__full_name="Olu Owl")
    EnrollmentFactory(cohort=cohort, user__full_name="Nora Nogroup")
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("cohort:dashboard"), {"cohort": cohort.slug, "group": owls.pk}).content.decode()
    assert "Olu Owl" in page and "Nora Nogroup" not in page
    page = client.get(reverse("cohort:dashboard"), {"cohort": cohort.slug, "group": -1}).content.decode()
    assert "Nora Nogroup" in page and "Olu Owl" not in page
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(reverse("cohort:export"), {"cohort": cohort.slug}).streaming_content).decode("utf-8-sig"))))
    assert {row["name"]: row["group"] for row in rows} == {"Olu Owl": "Owls", "Nora Nogroup": ""}
    assert in_owls


def _group_options(page: str) -> list[tuple[str, bool]]:
    select = page.split('id="f-group"', 1)[1].split("</select>", 1)[0]
    return [(name, " selected" in attrs) for attrs, name in re.findall(r'<option value="\d+"([^>]*)>([^<]+)</option>', select)]


def test_the_group_filter_offers_every_group_as_it_is_now_with_the_chosen_one_selected(client, cohort):
    """Its options are read on every view: a new group, a renamed one and another choice each show."""
    owls, larks = StudyGroupFactory(cohort=cohort, name="Owls"), StudyGroupFactory(cohort=cohort, name="Larks")
    client.force_login(UserFactory(is_staff=True))

    def options(**params):
        return _group_options(client.get(reverse("cohort:dashboard"), {"cohort": cohort.slug, **params}).content.decode())

    assert options() == [("Larks", False), ("Owls", False)]
    assert options(group=owls.pk) == [("Larks", False), ("Owls", True)]
    assert options(group=larks.pk) == [("Larks", True), ("Owls", False)]
    StudyGroupFactory(cohort=cohort, name="Robins")
    owls.name = "Night owls"
    owls.save()
    assert options(group=owls.pk) == [("Larks", False), ("Night owls", True), ("Robins", False)]


def test_the_groups_view_sorts_by_the_at_risk_share_and_shows_its_chart(client, cohort):
    in_grace_weeks(cohort)
    calm, shaky = StudyGroupFactory(cohort=cohort, name="Calm"), StudyGroupFactory(cohort=cohort, name="Shaky")
    idle(shaky, 10)
    idle(shaky, 11)
    member_of(calm)
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("cohort:groups"), {"cohort": cohort.slug, "sort": "-risk"}).content.decode()
    assert page.index("Shaky") < page.index("Calm")
    assert "2 (100 %)" in page
    assert '<svg class="chart"' in page
    page = client.get(reverse("cohort:groups"), {"cohort": cohort.slug, "sort": "name"}).content.decode()
    assert page.index("Calm") < page.index("Shaky")
    assert client.get(reverse("cohort:groups"), {"sort": "evil"}).status_code == 400


def test_the_staff_digest_names_the_five_groups_with_the_highest_at_risk_share(cohort):
    in_grace_weeks(cohort)
    at_risk_in = {"G0": 0, "G1": 1, "G2": 2, "G3": 3, "G4": 0, "G5": 1, "G6": 4}
    for name, count in at_risk_in.items():
        group = StudyGroupFactory(cohort=cohort, name=name)
        for member in range(4):
            if member < count:
                idle(group, 10)
            else:
                member_of(group)
    named = [group.name for group in staff_digest_context(cohort=cohort, now=timezone.now())["groups_at_risk"]]
    assert named == ["G6", "G3", "G2", "G1", "G5"]


def test_the_student_digest_has_a_group_section_with_the_place_for_who_opted_in(cohort):
    group = StudyGroupFactory(cohort=cohort, name="Digesters")
    me, other = member_of(group), member_of(group)
    Membership.objects.filter(enrollment=me).update(shows_place=True)
    last_week = course_week(cohort=cohort, day=cohort.opens_on)
    StudyLogFactory(enrollment=me, day=last_week.starts_on, minutes=30)
    StudyLogFactory(enrollment=other, day=last_week.starts_on, minutes=90)
    contexts = {c["enrollment"].pk: c for c in contexts_for_chunk(kind="digest", cohort=cohort, number=2, ids=[me.pk, other.pk], now=timezone.now())}
    assert contexts[me.pk]["group"]["group_minutes"] == 120
    assert contexts[me.pk]["group"]["place"] == 2
    assert contexts[other.pk]["group"]["place"] is None
    from notifications.services.sending import notification_message

    body = notification_message(kind="digest", to_user=me.user, context=contexts[me.pk]).body
    assert "Your group, Digesters, studied 2 h that week; you were 2nd of its members by hours." in body


def test_the_enrollment_file_places_students_in_groups_and_names_mentors(cohort):
    StudyGroupFactory(cohort=cohort, name="Existing", capacity=2)
    text = (
        "email,full name,time zone,group,mentor of\n"
        "a@example.org,A,Europe/Berlin,Existing,\n"
        "b@example.org,B,Europe/Berlin,New one,\n"
        "c@example.org,C,Europe/Berlin,Existing,New one\n"
        "d@example.org,D,Europe/Berlin,Existing,\n"
    )
    job = EnrollmentImport.objects.create(cohort=cohort, rows=enrollment_file_validate(text=text), total_rows=4)
    job = enrollment_import_apply(import_id=job.pk)
    groups = dict(Membership.objects.values_list("enrollment__user__email", "group__name"))
    assert groups == {"a@example.org": "Existing", "b@example.org": "New one", "c@example.org": "Existing"}
    assert "line 5: Existing is full (2 members)." in job.error
    assert StudyGroup.objects.get(name="New one").mentorships.get().mentor.email == "c@example.org"
    assert job.state == EnrollmentImport.State.DONE and Notification.objects.count() == 0
