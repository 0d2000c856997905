"""Sessions signed in through the retired progress.auth.CurrentEnrollmentBackend name Django's ModelBackend
instead, so nobody is signed out by the deploy that removed it (Django drops a session whose backend is no
longer listed in AUTHENTICATION_BACKENDS)."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

RETIRED = "progress.auth.CurrentEnrollmentBackend"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def name_the_model_backend(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    codec = SessionStore()
    renamed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        data = codec.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == RETIRED:
            data[BACKEND_SESSION_KEY] = MODEL_BACKEND
            session.session_data = codec.encode(data)
            renamed.append(session)
    Session.objects.bulk_update(renamed, ["session_data"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_user_name_order_idx"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(name_the_model_backend, migrations.RunPython.noop, elidable=True)]
