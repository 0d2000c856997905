"""Staff review of a cohort: numbers, verdicts, table state in the URL, drill-down and CSV export."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common import cache_keys
from common.timezones import local_today
from lessons.models import Lesson
from progress import planning
from progress.models import StudentRollup, StudyLog
from progress.selectors.reflection import summary_current_week
from progress.services.plans import schedule_build
from progress.services.reflection import project_submit, weekly_summary_save
from progress.services.rollups import rollups_rebuild, rollups_refresh
from progress.services.study_logs import lesson_progress_set, study_log_save
from progress.standing import Rules, StoredNumbers, Verdict, status_on
from review.columns import with_status
from review.headline import VERDICT_BUCKETS
from review.selectors.cohorts import cohort_rollups
from review.services.snapshots import cohort_snapshot_take
from tests.factories import CohortFactory, EnrollmentFactory, UserFactory
from tests.helpers import text_of
from tests.review.test_rollups_stay_in_step import admin_change

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def student(cohort, name, email=None, **kwargs):
    enrollment = EnrollmentFactory(cohort=cohort, user__full_name=name, **({"user__email": email} if email else {}), **kwargs)
    rollups_refresh(enrollment_ids=[enrollment.pk])  # what enrollment_create does; the factory writes around it
    return enrollment


def log(enrollment, days_ago, minutes=120, lesson=2):
    day = local_today(time_zone=enrollment.time_zone) - dt.timedelta(days=days_ago)
    study_log_save(enrollment=enrollment, day=day, lesson=Lesson.objects.get(number=lesson), minutes=minutes)


def all_but_the_project_done(enrollment):
    for lesson in Lesson.objects.filter(is_final_project=False):
        lesson_progress_set(enrollment=enrollment, lesson=lesson, done=True)


def with_verdicts(cohort) -> dict[str, StudentRollup]:
    """Each student's rollup by name, with `.verdict` (the database's rule) and `.status` (the pure function's)."""
    rollups = cohort_rollups(cohort=cohort).select_related("enrollment__user")
    return {rollup.enrollment.user.full_name: rollup for rollup in with_status(rollups, cohort)}


@pytest.fixture
def cohort_with_students(cohort):
    steady = student(cohort, "Steady Sam")
    for days_ago in range(0, 10):
        log(steady, days_ago, minutes=120)  # 2 h a day: 144 h left take 72 days; the cut-off is 41 away
    idle = student(cohort, "Idle Ida")
    log(idle, 9)
    never = student(cohort, "Never Ned")  # the cohort opened 20 days ago: past the first week
    done = student(cohort, "Done Dora")
    all_but_the_project_done(done)
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
    assert (text_of(page, "behind"), text_of(page, "on_track"), text_of(page, "finished")) == ("0", "0", "1")
    assert text_of(page, "project_submitted") == "1"
    assert sum(int(text_of(page, bucket)) for bucket in VERDICT_BUCKETS) == int(text_of(page, "enrolled"))
    rows = with_verdicts(cohort)
    reasons = {name: "; ".join(rollup.status.reason_words) for name, rollup in rows.items()}
    assert reasons["Idle Ida"] == "no study log in the last 9 days; no study in the last 7 days, so no finish in sight"
    assert reasons["Never Ned"] == "no study log at all after week 1"
    assert re.fullmatch(r"forecast finish \d{1,2} [A-Z][a-z]{2}, after the cut-off", reasons["Steady Sam"]), reasons["Steady Sam"]
    assert reasons["Done Dora"] == ""
    # The database's form of the verdict (what the page counts and filters by) says what the pure function says.
    assert {name: rollup.verdict for name, rollup in rows.items()} == {name: rollup.status.verdict for name, rollup in rows.items()}
    assert "no study log in the last 5 days" in text_of_rule(page)


def text_of_rule(page) -> str:
    return page.content.decode().split('data-testid="risk-rule">', 1)[1].split("</div>", 1)[0]


def test_the_risk_rule_follows_the_cohorts_own_numbers_at_once(staff_client, cohort):
    """The thresholds are read when a page is: lowering or raising them moves every verdict with no recompute."""
    idle = student(cohort, "Idle Ida")
    all_but_the_project_done(idle)
    log(idle, 6, minutes=600, lesson=10)  # 30 h of the project left at 10 h a week: done in 3 weeks, well in time
    rollup = with_verdicts(cohort)["Idle Ida"]
    assert rollup.status.reason_words == ["no study log in the last 6 days"]
    url = reverse("cohort:dashboard")
    assert table_names(staff_client.get(url, {"show": "at_risk"})) == ["Idle Ida"]
    stored = StudentRollup.objects.filter(enrollment=idle).values_list("updated_at", flat=True).get()
    cohort.at_risk_idle_days = 10
    cohort.save()
    assert with_verdicts(cohort)["Idle Ida"].status.verdict == Verdict.ON_TRACK
    assert table_names(staff_client.get(url, {"show": "at_risk"})) == []
    assert table_names(staff_client.get(url, {"show": "on_track"})) == ["Idle Ida"]
    assert text_of(staff_client.get(url), "at_risk") == "0"
    assert StudentRollup.objects.filter(enrollment=idle).values_list("updated_at", flat=True).get() == stored


TODAY = D(2018, 11, 20)
CUTOFF = D(2019, 1, 9)


def numbers(*, last=None, minutes_a_day=0, remaining=6000, finished_on=None, plan_reached_on=None) -> StoredNumbers:
    """A student's stored numbers: `minutes_a_day` on each of the 7 days up to `last`, `remaining` minutes left."""
    recent = (minutes_a_day,) * 7 if last else ()
    plan = {}
    if plan_reached_on:
        plan = {"has_plan": True, "plan_starts_on": D(2018, 11, 1), "plan_ends_on": D(2019, 1, 1), "plan_reached_on": plan_reached_on}
    return StoredNumbers(
        last_study_day=last, recent_minutes=recent, remaining_minutes=remaining, finished_on=finished_on,
        late_from=planning.late_from(remaining_minutes=remaining, recent=recent, last_study_day=last, cutoff_day=CUTOFF),
        **plan,
    )


@pytest.mark.parametrize(
    ("stored", "week", "verdict", "expected"),
    [
        (numbers(), 1, Verdict.ON_TRACK, []),
        (numbers(), 2, Verdict.AT_RISK, ["no study log at all after week 1"]),
        (numbers(last=TODAY, minutes_a_day=300, remaining=3000), 3, Verdict.ON_TRACK, []),  # done on 30 Nov
        (numbers(last=TODAY - dt.timedelta(days=5), minutes_a_day=300, remaining=3000), 3, Verdict.AT_RISK, ["no study log in the last 5 days"]),
        (numbers(last=TODAY, minutes_a_day=60, remaining=6000), 3, Verdict.AT_RISK, ["forecast finish 28 Feb, after the cut-off"]),
        (
            numbers(last=TODAY - dt.timedelta(days=7), minutes_a_day=300, remaining=3000), 3, Verdict.AT_RISK,
            ["no study log in the last 7 days", "no study in the last 7 days, so no finish in sight"],
        ),
        (numbers(last=TODAY, minutes_a_day=300, remaining=3000, plan_reached_on=D(2018, 11, 10)), 3, Verdict.BEHIND, []),
        (numbers(last=D(2018, 11, 2), minutes_a_day=60, finished_on=D(2018, 11, 2)), 3, Verdict.FINISHED, []),
        # Every estimated minute logged but not every lesson marked done: not finished (yet in time).
        (numbers(last=TODAY, minutes_a_day=300, remaining=0), 3, Verdict.ON_TRACK, []),
    ],
)
def test_the_one_verdict_and_its_reasons(stored, week, verdict, expected):
    rules = Rules(opens_on=TODAY - dt.timedelta(days=7 * (week - 1)), idle_days=5, silent_weeks=1, cutoff_day=CUTOFF)
    status = status_on(numbers=stored, rules=rules, today=TODAY)
    assert (status.verdict, status.reason_words) == (verdict, expected)


def table_names(page) -> list[str]:
    html = page.content.decode().split('data-testid="student-table"', 1)[1]
    return re.findall(r'href="/cohort/students/\d+/">([^<]+)</a>', html)


def test_filters_search_and_sort_live_in_the_url(staff_client, cohort, cohort_with_students):
    url = reverse("cohort:dashboard")
    assert table_names(staff_client.get(url, {"show": "at_risk", "sort": "name"})) == ["Idle Ida", "Never Ned", "Steady Sam"]
    assert table_names(staff_client.get(url, {"show": "not_started"})) == ["Done Dora", "Never Ned"]
    assert table_names(staff_client.get(url, {"show": "finished"})) == ["Done Dora"]
    assert table_names(staff_client.get(url, {"show": "active"})) == ["Steady Sam"]
    assert table_names(staff_client.get(url, {"q": "ida"})) == ["Idle Ida"]
    assert table_names(staff_client.get(url, {"sort": "-last_active"}))[:2] == ["Steady Sam", "Idle Ida"]
    assert table_names(staff_client.get(url, {"sort": "-total"}))[0] == "Steady Sam"
    assert table_names(staff_client.get(url, {"sort": "-lessons"}))[0] == "Done Dora"
    assert table_names(staff_client.get(url, {"lesson": "10"})) == ["Done Dora"]
    page = staff_client.get(url, {"show": "at_risk", "sort": "name"})
    # The sort links keep the filter, so the view can be bookmarked and shared.
    assert 'href="?show=at_risk&amp;sort=-name"' in page.content.decode()


def test_every_student_is_in_exactly_one_verdict_and_the_buckets_add_up(staff_client, cohort, cohort_with_students):
    on_track = student(cohort, "Otto On-Track")
    behind = student(cohort, "Bea Behind")
    for enrollment in (on_track, behind):
        all_but_the_project_done(enrollment)
        log(enrollment, 0, minutes=600, lesson=10)  # 30 h of the project left at 10 h a week: three weeks, in time
    # Bea's plan, made today, wanted the project started on the opening day: she is behind it, but finishing in time.
    schedule_build(
        enrollment=behind, starts_on=cohort.opens_on, target_on=cohort.opens_on + dt.timedelta(days=40),
        weekday_hours=Decimal("3"), weekend_hours=Decimal("3"), days_off=[],
    )
    url = reverse("cohort:dashboard")
    page = staff_client.get(url, {"sort": "status"})
    # Triage order: at risk first, finished last (in enrolment order within a verdict).
    assert table_names(page) == ["Steady Sam", "Idle Ida", "Never Ned", "Bea Behind", "Otto On-Track", "Done Dora"]
    listed = {bucket: table_names(staff_client.get(url, {"show": bucket, "sort": "name"})) for bucket in VERDICT_BUCKETS}
    assert listed == {
        "at_risk": ["Idle Ida", "Never Ned", "Steady Sam"], "behind": ["Bea Behind"], "on_track": ["Otto On-Track"], "finished": ["Done Dora"],
    }
    assert {bucket: int(text_of(page, bucket)) for bucket in VERDICT_BUCKETS} == {bucket: len(names) for bucket, names in listed.items()}
    assert sum(int(text_of(page, bucket)) for bucket in VERDICT_BUCKETS) == int(text_of(page, "enrolled")) == 6
    html = page.content.decode()
    assert re.search(r'data-verdict="behind">.*?Bea Behind', html) and re.search(r'data-verdict="on-track">.*?Otto On-Track', html)


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
    assert 'data-testid="student-risk"' in html
    assert "no study log in the last 9 days" in html
    assert 'data-verdict="at-risk"' in html
    assert 'method="post"' not in html.split('id="main"', 1)[1]  # read-only


def test_the_drill_down_shows_a_log_posted_a_moment_ago(staff_client, cohort):
    fresh = student(cohort, "Fresh Fay")
    url = reverse("cohort:student", args=[fresh.pk])
    assert "no study log at all after week 1" in staff_client.get(url).content.decode()
    log(fresh, 0, minutes=8 * 60, lesson=3)
    page = staff_client.get(url)
    assert "no study log" not in page.content.decode()
    assert text_of(page, "total-hours") == "8 h"


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_export_follows_the_filters_and_defuses_formulas(staff_client, cohort, cohort_with_students):
    student(cohort, "=HYPERLINK(\"http://evil\")", email="attacker@example.com")
    response = staff_client.get(reverse("cohort:export"), {"show": "at_risk", "sort": "name"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # so Excel reads the accents right
    response.streaming_content = iter([body])
    raw = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert raw[0][:3] == ["name", "email", "time_zone"]
    response.streaming_content = iter([body])
    rows = csv_rows(response)
    assert [row["name"] for row in rows] == ["'=HYPERLINK(\"http://evil\")", "Idle Ida", "Never Ned", "Steady Sam"]
    ida = rows[1]
    assert (ida["verdict"], ida["at_risk"]) == ("at-risk", "yes")
    assert ida["at_risk_reasons"].startswith("no study log in the last 9 days")


def test_staff_pages_and_the_export_show_a_log_posted_a_moment_ago(staff_client, cohort):
    quick = student(cohort, "Quick Quinn")
    log(quick, 0, minutes=150)
    table = staff_client.get(reverse("cohort:dashboard"), {"cohort": cohort.slug}).content.decode()
    assert "Quick Quinn" in table and "2 h 30 min" in table
    log(quick, 0, minutes=60, lesson=3)
    rows = csv_rows(staff_client.get(reverse("cohort:export"), {"cohort": cohort.slug}))
    assert (rows[0]["name"], rows[0]["total_hours"], rows[0]["hours_last_7_days"]) == ("Quick Quinn", "3.5", "3.5")


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
    at_risk = {"show": "at_risk", "sort": "status"}
    for page, params in ((url, {}), (url, filtered), (url, at_risk), (reverse("cohort:export"), at_risk), (reverse("cohort:shortlist"), {})):
        sizes = [count_queries(staff_client, page, {"cohort": c.slug, **params}) for c in (small, large)]
        assert sizes[0] == sizes[1], (page, params, sizes)
        with django_assert_max_num_queries(MAX_QUERIES):
            staff_client.get(page, {"cohort": large.slug, **params})
    # The busiest student of each: an empty log page skips its query, so compare like with like.
    busiest = [StudentRollup.objects.filter(cohort=c).order_by("-total_minutes", "pk").first().enrollment_id for c in (small, large)]
    drill = [count_queries(staff_client, reverse("cohort:student", args=[pk])) for pk in busiest]
    assert drill[0] == drill[1]
    with django_assert_max_num_queries(MAX_DRILL_DOWN_QUERIES):
        staff_client.get(reverse("cohort:student", args=[busiest[1]]))


# The cohort page, measured: session, user, cohort, groups, the zones (for the filter and for each verdict
# expression: the table and the headline), the page's count and rows, the headline aggregate, the snapshot,
# the rebuilds running, the students still being worked out, the emails given up, the staff member's enrolment
# lookup and their permissions (two). The same at 6 and 90 students.
MAX_QUERIES = 17
# The drill-down: the student's rows for their standing (as their dashboard), their logs, summaries,
# accomplishments, project and emails, with the session and the staff member's lookups (the menu's "do they mentor" too).
MAX_DRILL_DOWN_QUERIES = 18


def admin_row(html: str, email: str) -> str:
    return next(row for row in html.split("<tr")[1:] if email in row)


def test_the_admin_shows_each_enrolments_verdict_and_exports_the_selected(admin_client, cohort_with_students):
    url = reverse("admin:progress_enrollment_changelist")
    page = admin_client.get(url).content.decode()
    assert "At risk" in admin_row(page, cohort_with_students["idle"].user.email)
    assert "Finished" in admin_row(page, cohort_with_students["done"].user.email)
    chosen = [cohort_with_students["idle"].pk, cohort_with_students["done"].pk]
    response = admin_client.post(url, {"action": "export_selected", "_selected_action": chosen})
    rows = csv_rows(response)
    assert sorted((row["name"], row["verdict"]) for row in rows) == [("Done Dora", "finished"), ("Idle Ida", "at-risk")]


def test_headline_shows_the_change_since_the_snapshot_a_week_ago(staff_client, cohort, cohort_with_students):
    from django.utils import timezone

    page = staff_client.get(reverse("cohort:dashboard"))
    assert text_of(page, "enrolled-change") == "no figure from a week ago yet"
    week_ago = timezone.now() - dt.timedelta(days=7)
    cohort_snapshot_take(cohort=cohort, now=week_ago)
    cohort_snapshot_take(cohort=cohort, now=week_ago)  # a second beat: still one row for the day
    assert cohort.snapshots.count() == 1
    cohort.snapshots.update(enrolled=1, at_risk=5, finished=1, behind=2)
    page = staff_client.get(reverse("cohort:dashboard"))
    assert text_of(page, "enrolled-change") == "+3 since last week"
    assert text_of(page, "at_risk-change") == "-2 since last week"
    assert text_of(page, "behind-change") == "-2 since last week"
    assert text_of(page, "finished-change") == "unchanged since last week"


def test_a_snapshot_keeps_the_four_verdicts_adding_up_to_the_enrolled(cohort, cohort_with_students):
    snapshot = cohort_snapshot_take(cohort=cohort)
    assert (snapshot.enrolled, snapshot.at_risk, snapshot.behind, snapshot.on_track, snapshot.finished) == (4, 3, 0, 0, 1)
    assert sum(getattr(snapshot, bucket) for bucket in VERDICT_BUCKETS) == snapshot.enrolled


def test_the_cached_cohort_charts_are_plain_data_a_later_release_can_read(staff_client, cohort, cohort_with_students):
    """What the cohort page caches outlives a deploy: a pickle of one of our classes (a model, a dataclass) would
    make the next release's cohort page a 500 until it expired, had the class moved or changed."""
    from django.core.cache import cache

    first = staff_client.get(reverse("cohort:dashboard"))
    cached = cache.get(cache_keys.cohort_charts(cohort_id=cohort.pk))
    assert cached is not None

    def classes(value) -> set[type]:
        inside = value.items() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
        return {type(value)}.union(*(classes(item) for item in inside))

    assert classes(cached) <= {dict, list, tuple, str, int, type(None), dt.date, dt.datetime}
    again = staff_client.get(reverse("cohort:dashboard"))  # rendered from the cache
    assert text_of(again, "funnel-2") == text_of(first, "funnel-2") == "1"


def test_a_lesson_renamed_in_the_admin_shows_on_the_cohort_page_at_once(
    staff_client, admin_client, cohort, cohort_with_students, django_capture_on_commit_callbacks
):
    url = reverse("cohort:dashboard")
    assert "2. Introduction to Neural Networks" in staff_client.get(url).content.decode()  # the charts are cached now
    with django_capture_on_commit_callbacks(execute=True):  # as the admin's own transaction commits
        admin_change(admin_client, Lesson.objects.get(number=2), title="Neural Networks from Scratch")
    html = staff_client.get(url).content.decode()
    assert "2. Neural Networks from Scratch" in html and "Introduction to Neural Networks" not in html
