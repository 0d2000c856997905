"""The models that moved here from progress, taking their tables as they are (state only), and their
content types, so permissions and admin history follow them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MOVED = {'notification': 'notification'}  # model name in progress: model name here


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new in MOVED.items():
        if not ContentType.objects.filter(app_label="notifications", model=new).exists():
            ContentType.objects.filter(app_label="progress", model=old).update(app_label="notifications", model=new)


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new in MOVED.items():
        if not ContentType.objects.filter(app_label="progress", model=old).exists():
            ContentType.objects.filter(app_label="notifications", model=new).update(app_label="progress", model=old)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('progress', '0008_rollups_imports_picks_snapshots_and_emails_move_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('deadline', 'Deadline reminder'), ('digest', 'Weekly digest'), ('staff-digest', 'Weekly cohort digest (staff)')], max_length=20)),
                    ('occasion', models.CharField(help_text='Such as deadline-7d or digest-week-3, within the cohort.', max_length=40)),
                    ('state', models.CharField(choices=[('claimed', 'Claimed, being sent'), ('sent', 'Sent'), ('expired', 'Given up: not sent within a day of its time')], default='claimed', max_length=10)),
                    ('claim_token', models.CharField(blank=True, max_length=32)),
                    ('claimed_until', models.DateTimeField(blank=True, null=True)),
                    ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ('subject', models.CharField(blank=True, max_length=200)),
                    ('sent_at', models.DateTimeField(blank=True, null=True)),
                    ('error', models.TextField(blank=True)),
                    ('dispatched_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='progress.cohort')),
                    ('enrollment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='progress.enrollment')),
                    ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'progress_notification',
                    'ordering': ['-created_at'],
                    'indexes': [models.Index(fields=['state', 'claimed_until'], name='notification_lease_idx')],
                    'constraints': [models.UniqueConstraint(fields=('recipient', 'cohort', 'kind', 'occasion'), name='one_email_per_recipient_kind_occasion')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
