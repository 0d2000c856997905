"""The product the way people meet it, in Debian's Chromium."""

import csv
import datetime as dt
import io
import re

import pytest

from common.timezones import local_today
from lessons.models import Lesson
from progress.selectors.reflection import summary_current_week
from progress.services.reflection import weekly_summary_save
from progress.services.rollups import rollups_rebuild
from tests.factories import PASSWORD, CohortFactory, EnrollmentFactory, StudyLogFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PHONE = {"width": 375, "height": 812}


def sign_up(page, email):
    page.fill("#id_full_name", "Grace Hopper")
    page.fill("#id_email", email)
    page.fill("#id_password1", "compiler-pioneer-1952")
    page.fill("#id_password2", "compiler-pioneer-1952")
    page.click("button:has-text('Create my account')")


def log_in_as(trip, user):
    """A fresh sign-in in the journey's browser (the cookies of whoever came before dropped)."""
    trip.context.clear_cookies()
    trip.go("/accounts/login/")
    trip.page.fill("#id_username", user.email)
    trip.page.fill("#id_password", PASSWORD)
    trip.page.click("button:has-text('Log in')")
    trip.page.wait_for_load_state("load")


def open_menu_if_collapsed(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.show").wait_for()


def student_journey(journey, viewport, email):
    trip = journey(viewport=viewport, timezone_id="Europe/Berlin")  # the browser's zone, for sign-up to pick up
    page = trip.page
    check = (lambda name: trip.no_horizontal_overflow(name)) if viewport == PHONE else (lambda name: None)

    trip.go("/accounts/signup/")
    assert page.input_value("#id_time_zone") == "Europe/Berlin"  # the browser's zone, preselected
    trip.step("sign-up form"); check("sign-up")
    sign_up(page, email)
    page.wait_for_url("**/dashboard/")
    trip.step("dashboard after sign-up"); check("dashboard")
    assert page.text_content("[data-testid=plan-status]") == "No plan yet"
    # Signed up in the course's third week with nothing logged: the verdict leads, with its reason.
    assert page.get_attribute("[data-testid=verdict]", "data-verdict") == "at-risk"
    assert page.text_content("[data-testid=verdict-label]") == "At risk"
    assert "no study log at all after week 1" in page.text_content("[data-testid=verdict-headline]")

    trip.go("/schedule/")
    page.fill("#id_weekday_hours", "5")
    page.fill("#id_weekend_hours", "6")
    page.click("button:has-text('Build my plan')")
    assert "Your plan ends on" in page.text_content("[data-testid=plan-ok]")  # a week early, at 5/6 h a day
    trip.step("plan built"); check("schedule")
    trip.go("/dashboard/")
    before = page.text_content("[data-testid=plan-status]")

    trip.go("/logs/new/")
    page.select_option("#id_lesson", label="Lesson 1: Welcome to the Scholarship Challenge")
    page.fill("#id_minutes", "1h30")
    assert page.text_content("#id_minutes_echo").strip() == "= 1 h 30 min"
    page.click("button:has-text('Save')")
    page.wait_for_url("**/logs/")
    trip.go("/logs/new/")
    page.click("a:has-text('Yesterday')")
    page.select_option("#id_lesson", label="Lesson 2: Introduction to Neural Networks")
    page.fill("#id_minutes", "6")
    page.fill("#id_notes", "**Perceptrons** finally make sense. [notes](https://pytorch.org)")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/logs/")
    assert page.locator(".log-notes strong", has_text="Perceptrons").count() == 1
    trip.step("two days logged"); check("logs")

    trip.go("/lessons/")
    page.click("button:has-text('Mark done: lesson 1')")
    trip.step("lesson 1 done"); check("lessons")

    trip.go("/dashboard/")
    after = page.text_content("[data-testid=plan-status]")
    assert after != before and after.startswith("Ahead by"), (before, after)
    assert page.text_content("[data-testid=total-hours]") == "7 h 30 min"
    # Ahead of the plan, yet 7 h 30 min a week leaves most of the course for after the cut-off: the one verdict
    # says so first, and no safe days show beside it.
    assert page.text_content("[data-testid=verdict-label]") == "At risk"
    headline = page.text_content("[data-testid=verdict-headline]")
    assert "forecast finish" in headline and "after the cut-off" in headline and "on track" not in headline
    assert page.text_content("[data-testid=safe-days]") == "–"
    assert page.locator("svg.chart").count() >= 2
    trip.step("dashboard after logging"); check("dashboard after")

    trip.go("/summaries/")
    page.click("a:has-text('Write this week')")
    assert "I studied **7 h 30 min** on 2 days" in page.input_value("#id_body")
    page.click("button:has-text('Preview')")
    assert page.locator("[data-testid=preview] strong").first.text_content() == "7 h 30 min"
    page.check("#id_is_shared")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/summaries/")
    assert "shared with the cohort" in page.text_content("[data-testid$=-state]")
    trip.step("summary shared"); check("summaries")

    trip.go("/project/")
    page.fill("#id_url", "https://github.com/grace/flowers")
    page.fill("#id_description", "A flower classifier")
    page.click("button:has-text('Hand in my project')")
    assert "Handed in" in page.text_content("[data-testid=project-submitted]")
    trip.step("project handed in"); check("project")

    trip.go("/profile/")
    page.uncheck("#id_wants_reminders")
    page.click("form:has(#id_wants_reminders) button:has-text('Save')")
    assert not page.is_checked("#id_wants_reminders")
    trip.step("email choices saved"); check("profile")

    open_menu_if_collapsed(page)
    page.click("button.dropdown-toggle")
    page.click("button.dropdown-item:has-text('Log out')")
    page.wait_for_url(trip.base + "/")
    trip.step("logged out"); check("home")


@pytest.fixture
def open_cohort(db):
    # In its third week wherever the journeys' students live, so yesterday and today share a course week at any hour.
    return CohortFactory(time_zone="UTC", opens_on=local_today(time_zone="Europe/Berlin") - dt.timedelta(days=17))


def test_student_journey_on_a_desktop(journey, open_cohort, browser):
    student_journey(journey, None, "grace@example.org")


def test_student_journey_on_a_phone(journey, open_cohort, browser):
    student_journey(journey, PHONE, "grace.phone@example.org")


def test_staff_journey(journey, open_cohort, browser):
    staff = UserFactory(is_staff=True, email="coach@example.org")
    lessons = list(Lesson.objects.order_by("number"))
    for index in range(6):
        enrollment = EnrollmentFactory(cohort=open_cohort, user__full_name=f"Student {index}")
        for day in range(index):
            StudyLogFactory(enrollment=enrollment, day=open_cohort.opens_on + dt.timedelta(days=day), lesson=lessons[1], minutes=60)
    rollups_rebuild(cohort_id=open_cohort.pk)
    trip = journey()
    page = trip.page
    trip.go("/accounts/login/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url("**/cohort/")
    trip.step("cohort dashboard")
    page.select_option("#f-show", "at_risk")
    page.click("button:has-text('Apply')")
    assert "show=at_risk" in page.url
    trip.step("at risk")
    page.click("a[data-sort=last_active]")
    page.click("a[data-sort=last_active]")
    assert "sort=-last_active" in page.url
    trip.step("sorted by last active")
    with page.expect_download() as download:
        page.click("a:has-text('Export these as CSV')")
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows and all((row["verdict"], row["at_risk"]) == ("at-risk", "yes") for row in rows)
    assert list(rows[0])[:2] == ["name", "email"]
    page.locator("[data-testid=student-table] tbody a").first.click()
    page.wait_for_url(re.compile(r".*/cohort/students/\d+/"))
    assert page.get_attribute("[data-testid=verdict]", "data-verdict") == "at-risk"  # as the filter said
    assert page.text_content("[data-testid=verdict-label]") == "At risk"
    trip.step("drill-down")
    trip.go("/cohort/enroll/")
    page.set_input_files("#id_file", files=[{
        "name": "students.csv", "mimeType": "text/csv",
        "buffer": b"email,full name,time zone\nann@example.org,Ann,Europe/London\nbob@example.org,Bob,Mars/Base\n",
    }])
    page.click("button:has-text('Check and enrol')")
    assert "Line 3" in page.text_content("[data-testid=line-errors]")
    trip.step("enrolment file refused")


def test_a_student_can_not_reach_another_students_pages(journey, open_cohort, browser):
    owner = EnrollmentFactory(cohort=open_cohort)
    log = StudyLogFactory(enrollment=owner, day=open_cohort.opens_on, notes="private thoughts")
    intruder = EnrollmentFactory(cohort=open_cohort)
    trip = journey()
    page = trip.page
    trip.go("/accounts/login/")
    page.fill("#id_username", intruder.user.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url("**/dashboard/")
    for path in (f"/logs/{log.pk}/edit/", f"/logs/{log.pk}/delete/", "/cohort/", f"/cohort/students/{owner.pk}/"):
        response = page.goto(trip.base + path)
        assert response.status in {403, 404}, path
        assert "private thoughts" not in page.content()
    trip.step("refused", audit=False)
    trip.problems = [p for p in trip.problems if not re.match(r"^(40[34]) ", p) and "Failed to load resource" not in p]


def test_the_xss_corpus_on_the_community_page_fires_nothing(journey, open_cohort, browser):
    from pathlib import Path


    corpus = (Path(__file__).resolve().parents[1] / "data" / "xss_payloads.txt").read_text()
    author = EnrollmentFactory(cohort=open_cohort, user__full_name='"><img src=x onerror=alert(1)>')
    weekly_summary_save(enrollment=author, week_number=summary_current_week(enrollment=author), body=corpus, is_shared=True)
    reader = EnrollmentFactory(cohort=open_cohort)
    trip = journey()
    page = trip.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    trip.go("/accounts/login/")
    page.fill("#id_username", reader.user.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url("**/dashboard/")
    trip.go("/community/summaries/")
    page.mouse.move(200, 400)
    page.wait_for_timeout(500)
    trip.step("community page with the corpus", audit=False)
    assert dialogs == []
    assert page.evaluate("typeof window.xssFired") == "undefined"
    # The payloads' broken image sources may 404 on the live server; that is the corpus, not the product.
    trip.problems = [p for p in trip.problems if "Failed to load resource" not in p and not re.match(r"^404 ", p)]


def test_study_groups_journey(journey, open_cohort, browser, monkeypatch, settings):
    """A student joins a group and sees its members; another hides their numbers; a mentor nudges an at-risk
    member and the email lands in the mail folder; staff form groups for the rest and watch the progress."""
    from pathlib import Path

    from common import health
    from groups import tasks as group_tasks
    from groups.models import Membership, Mentorship, StudyGroup
    from notifications import tasks as notification_tasks

    monkeypatch.setattr(health, "broker_ok", lambda **kwargs: True)
    monkeypatch.setattr(group_tasks.forming_run_apply, "delay", lambda run_id: group_tasks.forming_run_apply.apply(args=[run_id]))
    monkeypatch.setattr(
        notification_tasks.notifications_send_chunk, "delay", lambda *args: notification_tasks.notifications_send_chunk.apply(args=args)
    )
    group = StudyGroup.objects.create(cohort=open_cohort, name="Evening owls", utc_offset=0, weekly_goal_hours=20)
    shy = EnrollmentFactory(cohort=open_cohort, time_zone="UTC", user__full_name="Shy Sam")
    Membership.objects.create(enrollment=shy, group=group)
    StudyLogFactory(enrollment=shy, day=open_cohort.opens_on, minutes=75)  # long idle: at risk
    joiner = EnrollmentFactory(cohort=open_cohort, time_zone="UTC", user__full_name="Joining Jo")
    mentor = EnrollmentFactory(cohort=open_cohort, time_zone="UTC", user__full_name="Maya Mentor").user  # a volunteer student
    Mentorship.objects.create(group=group, mentor=mentor)
    settings.EMAIL_BACKEND = "common.mail.OneFilePerMessageBackend"  # as `make run` writes mail: one file each under var/mail
    staff = UserFactory(is_staff=True)
    for _ in range(4):
        EnrollmentFactory(cohort=open_cohort, time_zone="Europe/Berlin")
    rollups_rebuild(cohort_id=open_cohort.pk)

    trip = journey(viewport=PHONE)
    page = trip.page
    log_in_as(trip, shy.user)
    trip.go(f"/groups/{group.pk}/")
    page.check("#id_hides_numbers")
    page.click("button:has-text('Save'):below(#id_hides_numbers)")
    assert "Saved what your group sees." in page.text_content("main")
    trip.step("a member hides their numbers")

    log_in_as(trip, joiner.user)
    trip.go("/groups/")
    trip.step("browse groups")
    trip.no_horizontal_overflow("browse groups")
    page.click("button:has-text('Join Evening owls')")
    assert "You joined Evening owls." in page.text_content("main")
    row = page.locator(f"[data-testid=member-{shy.pk}]")
    assert "Shy Sam" in row.text_content() and "hidden" in row.text_content() and "1 h 15 min" not in row.text_content()
    trip.step("the group page")
    trip.no_horizontal_overflow("the group page")

    log_in_as(trip, mentor)
    trip.go("/mentor/")
    assert "Shy Sam" in page.text_content("[data-testid=at-risk-members]")
    assert shy.user.email not in page.content()
    trip.step("who needs a hand")
    page.fill(f"#nudge-{shy.pk}", "We miss you on Thursday calls. Lesson 3 is easier with company.")
    page.click("button:has-text('Nudge Shy Sam')")
    assert "Your nudge is on its way to Shy Sam." in page.text_content("main")
    trip.step("nudged")
    mail = [path.read_text() for path in Path(settings.EMAIL_FILE_PATH).glob("*")]
    assert len(mail) == 1 and "We miss you on Thursday calls." in mail[0] and f"To: {shy.user.email}" in mail[0]

    log_in_as(trip, staff)
    trip.go(f"/groups/form/?cohort={open_cohort.slug}")
    assert "5 students into" in page.text_content("[data-testid=forming-preview]").replace("\n", " ")
    trip.step("form groups preview")
    page.click("button:has-text('Place 5 students')")
    page.wait_for_url(re.compile(r".*/groups/form/\d+/"))
    page.locator("[data-testid=import-counts]:not([hidden])").wait_for()
    assert page.locator("progress").get_attribute("value") == "1"
    assert page.text_content("[data-field=placed_students]").strip() == "5"
    trip.step("groups formed")
    assert Membership.objects.filter(enrollment__cohort=open_cohort).count() == 7  # Sam, Jo, and the five formed


def test_events_journey(journey, open_cohort, browser):
    """Staff create an AMA in New York time; a student in Tokyo sees it in Tokyo time, says they will come and finds it
    in their calendar feed; after it (the clock moved on), "I attended" puts its hour on the dashboard's community time."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from events.models import Event
    from progress.services.plans import schedule_build

    staff = UserFactory(is_staff=True)
    student = EnrollmentFactory(cohort=open_cohort, time_zone="Asia/Tokyo", user__full_name="Kenji Sato")
    schedule_build(enrollment=student, starts_on=open_cohort.opens_on, target_on=open_cohort.opens_on + dt.timedelta(days=40),
                   weekday_hours=4, weekend_hours=5, days_off=[], accept_after_cutoff=True)
    trip = journey()
    page = trip.page

    log_in_as(trip, staff)
    trip.go(f"/events/staff/new/?cohort={open_cohort.slug}")
    day = (timezone.now() + dt.timedelta(days=2)).astimezone(ZoneInfo("America/New_York")).date()
    page.fill("#id_title", "AMA with the instructors")
    page.fill("#id_host", "Jane Doe")
    page.fill("#id_starts_on", day.isoformat())
    page.fill("#id_starts_time", "20:00")
    page.select_option("#id_time_zone", "America/New_York")
    page.fill("#id_duration_minutes", "60")
    page.fill("#id_join_url", "https://meet.example.org/ama")
    trip.step("new event")
    page.click("button:has-text('Save')")
    assert "Saved AMA with the instructors." in page.text_content("main")
    trip.step("staff events")
    event = Event.objects.get()
    tokyo = event.starts_at.astimezone(ZoneInfo("Asia/Tokyo"))

    log_in_as(trip, student.user)
    trip.go("/events/")
    assert f"{tokyo:%H:%M} JST" in page.text_content(f"[data-testid=event-{event.pk}]")
    trip.step("events in Tokyo time")
    page.click("button:has-text(\"I'll be there\")")
    assert "See you at AMA with the instructors." in page.text_content("main")
    token = student.calendar_token
    feed = page.request.get(f"{trip.base}/schedule.ics?token={token}").text()
    assert "SUMMARY:AMA with the instructors (Jane Doe)" in feed and f"UID:{event.ical_uid}" in feed

    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))  # the evening has passed
    trip.go("/events/")
    page.click("button:has-text('I attended')")
    assert "Added 1 h of community time for AMA with the instructors." in page.text_content("main")
    trip.step("attended")
    trip.go("/dashboard/")
    assert "1 h" in page.text_content("[data-testid=community-hours]")
    trip.step("community time on the dashboard")
