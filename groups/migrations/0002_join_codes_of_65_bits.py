"""Every group gets a new join code of 65 bits: the old ones were 8 hex characters (32 bits), few enough to find by
trying. The old codes stop working; members see the new one on the group's page."""

import secrets

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # as groups.models.JOIN_CODE_ALPHABET when this was written
LENGTH = 13


def new_codes(apps, schema_editor):
    StudyGroup = apps.get_model("groups", "StudyGroup")
    groups = list(StudyGroup.objects.only("pk", "join_code"))
    for group in groups:
        group.join_code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    StudyGroup.objects.bulk_update(groups, ["join_code"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(new_codes, migrations.RunPython.noop)]
