from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def migrate(targets):
    """Move the test database to `targets` and return the app registry as it stands there."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_markdown_written_before_render_on_write_is_rendered_by_the_migration():
    import datetime as dt

    apps = migrate([
        ("progress", "0004_dashboard_and_rollup_versions"), ("lessons", "0002_load_programme_lessons"),
        ("accounts", "0003_user_name_order_idx"),
    ])
    User, Cohort = apps.get_model("accounts", "User"), apps.get_model("progress", "Cohort")
    Enrollment, StudyLog = apps.get_model("progress", "Enrollment"), apps.get_model("progress", "StudyLog")
    WeeklySummary, Lesson = apps.get_model("progress", "WeeklySummary"), apps.get_model("lessons", "Lesson")
    user = User.objects.create(email="old@example.com", full_name="Old Row")
    cohort = Cohort.objects.create(
        name="c", slug="c", opens_on=dt.date(2026, 11, 9), cutoff_at=dt.datetime(2027, 1, 10, 7, 59, tzinfo=dt.UTC)
    )
    enrollment = Enrollment.objects.create(user=user, cohort=cohort, time_zone="UTC")
    StudyLog.objects.create(enrollment=enrollment, day=cohort.opens_on, lesson=Lesson.objects.get(number=2), minutes=60, notes="**kept**")
    WeeklySummary.objects.create(enrollment=enrollment, week_number=1, body="# Week one")

    apps = migrate(latest())
    assert apps.get_model("progress", "StudyLog").objects.get().notes_html == "<p><strong>kept</strong></p>\n"
    assert apps.get_model("progress", "WeeklySummary").objects.get().body_html == "<h1>Week one</h1>\n"
    assert apps.get_model("lessons", "Lesson").objects.get(number=1).summary_html.startswith("<p>How the challenge works")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_from_before_the_apps_were_split_keeps_its_rows_constraints_and_sign_ins(client):
    """Populated at eadf908's layout (every model in progress), migrated to today's: rows keep their tables and
    ids, English risk reasons and occasion keys become codes and numbers, constraints still hold, content types
    (and so permissions) follow the models, and a student signed in through the retired backend stays signed in.
    The rollups, moved to review and later dropped for the ones kept on write, are rebuilt from the rows."""
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import IntegrityError, transaction
    from django.urls import reverse

    apps = migrate([
        ("progress", "0004_dashboard_and_rollup_versions"), ("lessons", "0002_load_programme_lessons"),
        ("accounts", "0003_user_name_order_idx"), ("sessions", "0001_initial"),
    ])
    model = lambda name: apps.get_model("progress", name)  # noqa: E731
    User, ContentType = apps.get_model("accounts", "User"), apps.get_model("contenttypes", "ContentType")
    staff = User.objects.create(email="staff@example.com", full_name="Staff", is_staff=True)
    cohort = model("Cohort").objects.create(
        name="c", slug="c", opens_on=dt.date(2026, 11, 9), cutoff_at=dt.datetime(2027, 1, 10, 7, 59, tzinfo=dt.UTC)
    )
    never, idle = (
        model("Enrollment").objects.create(user=User.objects.create(email=f"{name}@example.com", full_name=name), cohort=cohort, time_zone="UTC")
        for name in ("never", "idle")
    )
    rollups = {
        never.pk: "no study log at all after week 1",
        idle.pk: "no study log in the last 5 days; forecast finish after the cut-off",
    }
    lesson = apps.get_model("lessons", "Lesson").objects.get(number=2)
    model("StudyLog").objects.create(enrollment=idle, day=cohort.opens_on, lesson=lesson, minutes=90)
    for pk, words in rollups.items():
        model("StudentRollup").objects.create(
            enrollment_id=pk, cohort=cohort, at_risk=True, at_risk_reasons=words, computed_for_day=dt.date(2026, 11, 30)
        )
    for kind, occasion in (("deadline", "deadline-7d"), ("student_digest", "digest-week-3"), ("staff_digest", "staff-digest-week-2")):
        model("Notification").objects.create(recipient_id=idle.user_id, enrollment=idle, cohort=cohort, kind=kind, occasion=occasion, state="sent")
    upload = model("EnrolmentImport").objects.create(cohort=cohort, uploaded_by=staff, rows=[{"email": "a@example.com"}], total_rows=1, state="done")
    model("PhaseTwoPick").objects.create(enrollment=idle, picked_by=staff)
    model("CohortSnapshot").objects.create(cohort=cohort, day=dt.date(2026, 11, 29), enrolled=2, active_7_days=1, on_track=0, at_risk=2, finished=0, project_submitted=0)
    rollup_type = ContentType.objects.get_or_create(app_label="progress", model="studentrollup")[0]
    ContentType.objects.filter(app_label="review", model="studentrollup").delete()
    permission = apps.get_model("auth", "Permission").objects.create(content_type=rollup_type, codename="view_studentrollup_old", name="old")

    session = SessionStore()  # signed in before the deploy, through the backend it removed
    session.update({
        SESSION_KEY: str(idle.user_id), BACKEND_SESSION_KEY: "progress.auth.CurrentEnrollmentBackend",
        HASH_SESSION_KEY: get_user_model().objects.get(pk=idle.user_id).get_session_auth_hash(),
    })
    session.create()

    # The rollups' stop in review, before review 0003 dropped the table: reasons became codes, permissions followed.
    apps = migrate([("review", "0002_risk_reasons_as_codes")])
    Rollup = apps.get_model("review", "StudentRollup")
    assert dict(Rollup.objects.values_list("enrollment_id", "risk_reasons")) == {never.pk: ["never-logged"], idle.pk: ["idle", "late"]}
    moved = apps.get_model("auth", "Permission").objects.select_related("content_type").get(pk=permission.pk)
    assert (moved.content_type.app_label, moved.content_type.model, moved.content_type_id) == ("review", "studentrollup", rollup_type.pk)

    apps = migrate(latest())
    Notification = apps.get_model("notifications", "Notification")
    assert sorted(Notification.objects.values_list("kind", "occasion", "number")) == [
        ("deadline", "deadline-7d", 7), ("staff_digest", "staff-digest-week-2", 2), ("student_digest", "digest-week-3", 3),
    ]
    assert apps.get_model("review", "EnrollmentImport").objects.get().pk == upload.pk
    assert apps.get_model("review", "PhaseTwoPick").objects.get().enrollment_id == idle.pk
    assert apps.get_model("review", "CohortSnapshot").objects.values_list("at_risk", "behind").get() == (2, 0)
    # The new rollups start empty and are rebuilt from the rows the old layout kept.
    Rollup = apps.get_model("progress", "StudentRollup")
    assert not Rollup.objects.exists()
    call_command("rebuild_rollups", stdout=StringIO())
    assert sorted(Rollup.objects.values_list("enrollment_id", "total_minutes", "last_study_day")) == [
        (never.pk, 0, None), (idle.pk, 90, cohort.opens_on),
    ]

    sent = Notification.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient_id=sent.recipient_id, cohort_id=sent.cohort_id, kind=sent.kind, occasion=sent.occasion, number=sent.number
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        apps.get_model("review", "CohortSnapshot").objects.create(
            cohort_id=cohort.pk, day=dt.date(2026, 11, 29), enrolled=0, active_7_days=0, on_track=0, at_risk=0, finished=0, project_submitted=0
        )

    client.cookies["sessionid"] = session.session_key
    assert client.get(reverse("progress:dashboard")).status_code == 200
