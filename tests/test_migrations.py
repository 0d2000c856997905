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
