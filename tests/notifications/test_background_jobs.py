"""A real worker consumes from the configured broker: Redis in CI, in-process otherwise."""

import datetime as dt
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import sessions_clear_expired
from scholarship.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_runs_the_session_cleanup_job_sent_through_the_broker():
    now = timezone.now()
    Session.objects.create(session_key="expired" + "x" * 20, session_data="e30:", expire_date=now - dt.timedelta(days=1))
    Session.objects.create(session_key="current" + "x" * 20, session_data="e30:", expire_date=now + dt.timedelta(days=1))
    queue = f"test-{uuid.uuid4().hex}"  # never shared with a developer's running worker
    with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
        sessions_clear_expired.apply_async(queue=queue)
        deadline = timezone.now() + dt.timedelta(seconds=20)
        while Session.objects.filter(session_key__startswith="expired").exists() and timezone.now() < deadline:
            time.sleep(0.1)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current" + "x" * 20]


def test_a_fresh_worker_process_knows_every_task_the_beat_schedule_sends():
    # A new process, as a worker starts: nothing imported by this test module helps it.
    probe = (
        "import json, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'scholarship.settings'); django.setup();"
        "from scholarship.celery import app; app.loader.import_default_modules();"
        "print(json.dumps({'registered': sorted(app.tasks), 'scheduled': [e['task'] for e in app.conf.beat_schedule.values()]}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["scheduled"]
    assert set(found["scheduled"]) <= set(found["registered"])
