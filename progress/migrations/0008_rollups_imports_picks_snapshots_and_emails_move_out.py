"""StudentRollup, EnrolmentImport (now EnrollmentImport), PhaseTwoPick and CohortSnapshot move to review, and
Notification to notifications. Only Django's idea of the models moves: the tables stay as they are, with
their rows, constraints and indexes (the new apps declare the same db_table)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("progress", "0007_notification_expiry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name=name)
                for name in ("StudentRollup", "EnrolmentImport", "PhaseTwoPick", "CohortSnapshot", "Notification")
            ],
            database_operations=[],
        ),
    ]
