"""Staff review of a cohort: numbers, at-risk list, table state in the URL, drill-down and CSV export."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.timezones import local_today
from lessons.models import Lesson
from progress.models import StudyLog
from progress.selectors.reflection import summary_current_week
from progress.services.reflection import project_submit, weekly_summary_save
from progress.services.study_logs import lesson_progress_set, study_log_save
from progress.standing import risk_reason_words, risk_reasons
from review.columns import risk_words
from review.models import StudentRollup
from review.services.rollups import cohort_snapshot_take, rollups_rebuild, rollups_refresh_many, rollups_up_to_date
from tests.factories import CohortFactory, EnrollmentFactory, UserFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def student(cohort, name, email=None, **kwargs):
    enrollment = EnrollmentFactory(cohort=cohort, user__full_name=name, **({"user__email": email} if email else {}), **kwargs)
    rollups_refresh_many(enrollment_ids=[enrollment.pk])
    return enrollment


def log(enrollment, days_ago, minutes=120, lesson=2):
    day = local_today(time_zone=enrollment.time_zone) - dt.timedelta(days=days_ago)
    study_log_save(enrollment=enrollment, day=day, lesson=Lesson.objects.get(number=lesson), minutes=minutes)


@pytest.fixture
def cohort_with_students(cohort):
    steady = student(cohort, "Steady Sam")
    for days_ago in range(0, 10):
        log(steady, days_ago, minutes=120)  # 2 h a day: 144 h left take 72 days; the cut-off is 41 away
    idle = student(cohort, "Idle Ida")
    log(idle, 9)
    never = student(cohort, "Never Ned")  # the cohort opened 20 days ago: past the first week
    done = student(cohort, "Done Dora")
    for lesson in Lesson.objects.filter(is_final_project=False):
        lesson_progress_set(enrollment=done, lesson=lesson, done=True)
    # The challenge project is finished by handing it in.
    project_submit(enrollment=done, url="https://github.com/dora/flowers", description="", score=None)
    return {"steady": steady, "idle": idle, "never": never, "done": done}


@pytest.mark.parametrize("name", ["cohort:dashboard", "cohort:export"])
def test_cohort_pages_send_anonymous_to_login_and_refuse_students(client, cohort, name):
    url = reverse(name)
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(EnrollmentFactory(cohort=cohort).user)
    assert client.get(url).status_code == 403


def test_drill_down_refuses_students(client, cohort):
    other = EnrollmentFactory(cohort=cohort)
    client.force_login(EnrollmentFactory(cohort=cohort).user)
    assert client.get(reverse("cohort:student", args=[other.pk])).status_code == 403


def test_headline_numbers_and_risk_reasons(staff_client, cohort, cohort_with_students):
    page = staff_client.get(reverse("cohort:dashboard"))
    assert text_of(page, "enrolled") == "4"
    assert text_of(page, "active_7_days") == "1"
    assert text_of(page, "at_risk") == "3"  # idle, never and steady-but-late; done is finished
    assert text_of(page, "finished") == "1"
    reasons = {r.enrollment.user.full_name: "; ".join(risk_words(r, cohort)) for r in StudentRollup.objects.select_related("enrollment__user")}
    assert reasons["Idle Ida"].startswith("no study log in the last 9 days")
    assert reasons["Never Ned"] == "no study log at all after week 1"
    assert reasons["Steady Sam"] == "forecast finish after the cut-off"
    assert reasons["Done Dora"] == ""
    assert "no study log in the last 5 days" in text_of_rule(page)


def text_of_rule(page) -> str:
    return page.content.decode().split('data-testid="risk-rule">', 1)[1].split("</div>", 1)[0]


def test_the_risk_rule_follows_the_cohorts_own_numbers(cohort):
    idle = student(cohort, "Idle Ida")
    log(idle, 6)
    assert rollups_up_to_date(cohort_id=cohort.pk) == 1  # as the staff pages do before reading
    assert "; ".join(risk_words(StudentRollup.objects.get(enrollment=idle), cohort)).startswith("no study log in the last 6 days")
    cohort.at_risk_idle_days = 10
    cohort.save()
    idle.refresh_from_db()
    rollups_refresh_many(enrollment_ids=[idle.pk])
    assert "no study log" not in "; ".join(risk_words(StudentRollup.objects.get(enrollment=idle), cohort))


@pytest.mark.parametrize(
    ("last", "forecast", "week", "expected"),
    [
        (None, None, 1, []),
        (None, None, 2, ["no study log at all after week 1"]),
        (D(2018, 11, 20), D(2019, 1, 1), 3, []),
        (D(2018, 11, 15), D(2019, 1, 1), 3, ["no study log in the last 5 days"]),
        (D(2018, 11, 20), D(2019, 1, 20), 3, ["forecast finish after the cut-off"]),
        (D(2018, 11, 20), None, 3, ["forecast finish after the cut-off"]),
    ],
)
def test_at_risk_rule(last, forecast, week, expected):
    today = D(2018, 11, 20)
    reasons = risk_reasons(
        today=today, week_number=week, last_study_day=last, forecast_finish=forecast, is_finished=False,
        cutoff=D(2019, 1, 9), idle_days=5, silent_weeks=1,
    )
    idle = (today - last).days if last else None
    assert [risk_reason_words(reason, idle_days=idle, silent_weeks=1) for reason in reasons] == expected


def table_names(page) -> list[str]:
    html = page.content.decode().split('data-testid="student-table"', 1)[1]
    return re.findall(r'href="/cohort/students/\d+/">([^<]+)</a>', html)


def test_filters_search_and_sort_live_in_the_url(staff_client, cohort, cohort_with_students):
    url = reverse("cohort:dashboard")
    assert table_names(staff_client.get(url, {"show": "at_risk", "sort": "name"})) == ["Idle Ida", "Never Ned", "Steady Sam"]
    assert table_names(staff_client.get(url, {"show": "not_started"})) == ["Done Dora", "Never Ned"]
    assert table_names(staff_client.get(url, {"show": "finished"})) == ["Done Dora"]
    assert table_names(staff_client.get(url, {"q": "ida"})) == ["Idle Ida"]
    assert table_names(staff_client.get(url, {"sort": "-last_active"}))[:2] == ["Steady Sam", "Idle Ida"]
    assert table_names(staff_client.get(url, {"sort": "-total"}))[0] == "Steady Sam"
    assert table_names(staff_client.get(url, {"lesson": "10"})) == ["Done Dora"]
    page = staff_client.get(url, {"show": "at_risk", "sort": "name"})
    # The sort links keep the filter, so the view can be bookmarked and shared.
    assert 'href="?show=at_risk&amp;sort=-name"' in page.content.decode()


def test_table_pages_by_fifty(staff_client, cohort):
    for index in range(55):
        student(cohort, f"Student {index:02d}")
    first = staff_client.get(reverse("cohort:dashboard"))
    assert len(table_names(first)) == 50
    assert len(table_names(staff_client.get(reverse("cohort:dashboard"), {"page": 2}))) == 5


def test_drill_down_shows_what_the_student_sees_plus_private_summaries(staff_client, cohort_with_students):
    idle = cohort_with_students["idle"]
    week = summary_current_week(enrollment=idle)
    weekly_summary_save(enrollment=idle, week_number=week, body="only for me", is_shared=False)
    page = staff_client.get(reverse("cohort:student", args=[idle.pk]))
    html = page.content.decode()
    assert "only for me" in html and "private" in html
    assert text_of(page, "total-hours") == "2 h"
    assert "no study log in the last 9 days" in html
    assert 'method="post"' not in html.split('id="main"', 1)[1]  # read-only


def test_csv_export_follows_the_filters_and_defuses_formulas(staff_client, cohort, cohort_with_students):
    student(cohort, "=HYPERLINK(\"http://evil\")", email="attacker@example.com")
    response = staff_client.get(reverse("cohort:export"), {"show": "at_risk", "sort": "name"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # so Excel reads the accents right
    response.streaming_content = iter([body])
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["name", "email", "time_zone"]
    names = [row[0] for row in rows[1:]]
    assert names == ["'=HYPERLINK(\"http://evil\")", "Idle Ida", "Never Ned", "Steady Sam"]
    ida = rows[2]
    assert ida[9] == "yes" and ida[10].startswith("no study log in the last 9 days")


def build_students(cohort, count):
    lessons = list(Lesson.objects.order_by("number"))
    for index in range(count):
        enrollment = EnrollmentFactory(cohort=cohort)
        StudyLog.objects.bulk_create(
            StudyLog(enrollment=enrollment, day=cohort.opens_on + dt.timedelta(days=d), lesson=lessons[d % 3], minutes=60)
            for d in range(index % 5)
        )
    rollups_rebuild(cohort_id=cohort.pk)


def count_queries(client, url, params=None) -> int:
    client.get(url, params or {})  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_cohort_pages_run_the_same_queries_at_two_sizes(staff_client, django_assert_max_num_queries):
    small, large = CohortFactory(), CohortFactory()
    build_students(small, 6)
    build_students(large, 90)
    url = reverse("cohort:dashboard")
    filtered = {"show": "not_started", "sort": "-total"}
    for page, params in ((url, {}), (url, filtered), (reverse("cohort:shortlist"), {})):
        sizes = [count_queries(staff_client, page, {"cohort": c.slug, **params}) for c in (small, large)]
        assert sizes[0] == sizes[1], (page, params, sizes)
        assert sizes[1] <= 14
    # The busiest student of each: an empty log page skips its query, so compare like with like.
    busiest = [StudentRollup.objects.filter(cohort=c).order_by("-total_minutes", "pk").first().enrollment_id for c in (small, large)]
    drill = [count_queries(staff_client, reverse("cohort:student", args=[pk])) for pk in busiest]
    # 16, the session read from the cache: the standing reads lessons and completions apart (less CPU), and a
    # staff member without an enrolment is read after the enrolment lookup that saves every student a query.
    assert drill[0] == drill[1] and drill[1] <= 16


def test_admin_filters_enrolments_at_risk_and_exports_the_selected(admin_client, cohort_with_students):
    url = reverse("admin:progress_enrollment_changelist")
    page = admin_client.get(url, {"rollup__at_risk__exact": "1"}).content.decode()
    assert "Idle Ida" in page or cohort_with_students["idle"].user.email in page
    assert cohort_with_students["done"].user.email not in page
    chosen = [cohort_with_students["idle"].pk, cohort_with_students["done"].pk]
    response = admin_client.post(url, {"action": "export_selected", "_selected_action": chosen})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == ["Done Dora", "Idle Ida"]


def test_headline_shows_the_change_since_the_snapshot_a_week_ago(staff_client, cohort, cohort_with_students):
    from django.utils import timezone

    page = staff_client.get(reverse("cohort:dashboard"))
    assert text_of(page, "enrolled-change") == "no figure from a week ago yet"
    week_ago = timezone.now() - dt.timedelta(days=7)
    cohort_snapshot_take(cohort=cohort, now=week_ago)
    cohort_snapshot_take(cohort=cohort, now=week_ago)  # a second beat: still one row for the day
    assert cohort.snapshots.count() == 1
    cohort.snapshots.update(enrolled=1, at_risk=5, finished=1)
    page = staff_client.get(reverse("cohort:dashboard"))
    assert text_of(page, "enrolled-change") == "+3 since last week"
    assert text_of(page, "at_risk-change") == "-2 since last week"
    assert text_of(page, "finished-change") == "unchanged since last week"


def test_the_cached_cohort_charts_are_plain_data_a_later_release_can_read(staff_client, cohort, cohort_with_students):
    """What the cohort page caches outlives a deploy: a pickle of one of our classes (a model, a dataclass) would
    make the next release's cohort page a 500 until it expired, had the class moved or changed."""
    from django.core.cache import cache

    from review.selectors.cohorts import CHARTS_CACHE_SHAPE

    first = staff_client.get(reverse("cohort:dashboard"))
    cached = cache.get(f"cohort-charts:{CHARTS_CACHE_SHAPE}:{cohort.pk}:{cohort.opens_on.isoformat()}")
    assert cached is not None

    def classes(value) -> set[type]:
        inside = value.items() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
        return {type(value)}.union(*(classes(item) for item in inside))

    assert classes(cached) <= {dict, list, tuple, str, int, type(None), dt.date, dt.datetime}
    again = staff_client.get(reverse("cohort:dashboard"))  # drawn from the cache
    assert text_of(again, "funnel-2") == text_of(first, "funnel-2") == "1"
