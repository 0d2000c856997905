"""Link codes were 8 hex characters (32 bits) with no expiry: those still unused are removed, and a student who
has not linked yet is shown a new 16-character code (80 bits, an hour) the next time they ask for one."""

from django.db import migrations


def old_codes_removed(apps, schema_editor):
    apps.get_model("integrations", "SlackLinkCode").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("integrations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(old_codes_removed, migrations.RunPython.noop),
    ]
