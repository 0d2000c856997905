"""Rollups move back to progress, kept on write: every service recomputes its students' stored numbers in its
own transaction, so the version that marked a stale rollup goes, and the rollup keeps only numbers that no
passing day changes. review 0003 drops the old table first; `manage.py rebuild_rollups` fills the new one
(the cohort page says how many students' numbers are still being worked out until it has run)."""

import django.db.models.deletion
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    """Permissions granted on the old rollup model follow it to progress."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="progress", model="studentrollup").exists():
        ContentType.objects.filter(app_label="review", model="studentrollup").update(app_label="progress")


def content_type_goes_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="review", model="studentrollup").exists():
        ContentType.objects.filter(app_label="progress", model="studentrollup").update(app_label="review")


class Migration(migrations.Migration):

    dependencies = [
        ('progress', '0011_community_time_alone_and_event_choices'),
        ('review', '0003_snapshot_behind_and_rollups_move_to_progress'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='enrollment',
            name='dashboard_version',
        ),
        migrations.CreateModel(
            name='RollupRebuild',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('waiting', 'Waiting for a worker'), ('applying', 'Applying'), ('done', 'Done'), ('failed', 'Failed')], default='waiting', max_length=10)),
                ('error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.CharField(max_length=200)),
                ('total_students', models.PositiveIntegerField(default=0)),
                ('done_students', models.PositiveIntegerField(default=0)),
                ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rollup_rebuilds', to='progress.cohort')),
            ],
            options={
                'ordering': ['-created_at'],
                'abstract': False,
                'constraints': [models.CheckConstraint(condition=models.Q(('done_students__lte', models.F('total_students'))), name='rebuild_progress_within_total')],
            },
        ),
        migrations.CreateModel(
            name='StudentRollup',
            fields=[
                ('enrollment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='rollup', serialize=False, to='progress.enrollment')),
                ('time_zone', models.CharField(max_length=64)),
                ('total_minutes', models.PositiveIntegerField(default=0)),
                ('community_minutes', models.PositiveIntegerField(default=0)),
                ('days_studied', models.PositiveSmallIntegerField(default=0)),
                ('first_study_day', models.DateField(blank=True, null=True)),
                ('last_study_day', models.DateField(blank=True, null=True)),
                ('recent_minutes', models.JSONField(blank=True, default=list, help_text='Minutes on the last study day and the six days before it.')),
                ('lessons_done', models.PositiveSmallIntegerField(default=0)),
                ('lesson_reached', models.PositiveSmallIntegerField(default=0, help_text='Highest lesson number marked done.')),
                ('finished_on', models.DateField(blank=True, help_text='The day the last lesson was marked done.', null=True)),
                ('remaining_minutes', models.PositiveIntegerField(default=0, help_text='Estimated minutes left on the lessons not done.')),
                ('has_plan', models.BooleanField(default=False)),
                ('plan_starts_on', models.DateField(blank=True, null=True)),
                ('plan_ends_on', models.DateField(blank=True, null=True)),
                ('plan_reached_on', models.DateField(blank=True, help_text="The last plan day the student's work has reached.", null=True)),
                ('plan_done', models.BooleanField(default=False)),
                ('plan_progress_minutes', models.PositiveIntegerField(default=0)),
                ('project_submitted', models.BooleanField(default=False)),
                ('late_from', models.DateField(blank=True, help_text='From this local day on, the forecast misses the cut-off (unless the student logs again).', null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rollups', to='progress.cohort')),
            ],
            options={
                'indexes': [models.Index(fields=['cohort', 'last_study_day'], name='rollup_cohort_last_day_idx'), models.Index(fields=['cohort', 'total_minutes'], name='rollup_cohort_total_idx'), models.Index(fields=['cohort', 'lessons_done'], name='rollup_cohort_lessons_idx'), models.Index(fields=['cohort', 'late_from'], name='rollup_cohort_late_from_idx'), models.Index(fields=['cohort', 'time_zone'], name='rollup_cohort_zone_idx')],
            },
        ),
        migrations.RunPython(content_type_follows, content_type_goes_back),
    ]
