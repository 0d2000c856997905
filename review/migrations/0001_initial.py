"""The models that moved here from progress, taking their tables as they are (state only), and their
content types, so permissions and admin history follow them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = {'studentrollup': 'studentrollup', 'enrolmentimport': 'enrollmentimport', 'phasetwopick': 'phasetwopick', 'cohortsnapshot': 'cohortsnapshot'}  # model name in progress: model name here


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new in MOVED.items():
        if not ContentType.objects.filter(app_label="review", model=new).exists():
            ContentType.objects.filter(app_label="progress", model=old).update(app_label="review", model=new)


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new in MOVED.items():
        if not ContentType.objects.filter(app_label="progress", model=old).exists():
            ContentType.objects.filter(app_label="review", model=new).update(app_label="progress", model=old)


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
                name='PhaseTwoPick',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('picked_at', models.DateTimeField(auto_now_add=True)),
                    ('enrollment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='phase_two_pick', to='progress.enrollment')),
                    ('picked_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'progress_phasetwopick',
                },
            ),
            migrations.CreateModel(
                name='CohortSnapshot',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('day', models.DateField(help_text="In the programme's time zone; rewritten through the day, final at its end.")),
                    ('enrolled', models.PositiveIntegerField()),
                    ('active_7_days', models.PositiveIntegerField()),
                    ('on_track', models.PositiveIntegerField()),
                    ('at_risk', models.PositiveIntegerField()),
                    ('finished', models.PositiveIntegerField()),
                    ('project_submitted', models.PositiveIntegerField()),
                    ('taken_at', models.DateTimeField(auto_now=True)),
                    ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='snapshots', to='progress.cohort')),
                ],
                options={
                    'db_table': 'progress_cohortsnapshot',
                    'ordering': ['-day'],
                    'constraints': [models.UniqueConstraint(fields=('cohort', 'day'), name='one_snapshot_per_cohort_day')],
                },
            ),
            migrations.CreateModel(
                name='EnrollmentImport',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file_name', models.CharField(blank=True, max_length=255)),
                    ('rows', models.JSONField(help_text='The validated rows, applied in order.')),
                    ('state', models.CharField(choices=[('waiting', 'Waiting for a worker'), ('applying', 'Applying'), ('done', 'Done'), ('failed', 'Failed')], default='waiting', max_length=10)),
                    ('total_rows', models.PositiveIntegerField()),
                    ('processed_rows', models.PositiveIntegerField(default=0)),
                    ('created_accounts', models.PositiveIntegerField(default=0)),
                    ('enrolled_existing_accounts', models.PositiveIntegerField(default=0)),
                    ('already_enrolled', models.PositiveIntegerField(default=0)),
                    ('error', models.TextField(blank=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imports', to='progress.cohort')),
                    ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'progress_enrolmentimport',
                    'ordering': ['-created_at'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('processed_rows__lte', models.F('total_rows'))), name='import_progress_within_total')],
                },
            ),
            migrations.CreateModel(
                name='StudentRollup',
                fields=[
                    ('enrollment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='rollup', serialize=False, to='progress.enrollment')),
                    ('total_minutes', models.PositiveIntegerField(default=0)),
                    ('community_minutes', models.PositiveIntegerField(default=0)),
                    ('minutes_last_7_days', models.PositiveIntegerField(default=0)),
                    ('days_studied', models.PositiveSmallIntegerField(default=0)),
                    ('first_study_day', models.DateField(blank=True, null=True)),
                    ('last_study_day', models.DateField(blank=True, null=True)),
                    ('lessons_done', models.PositiveSmallIntegerField(default=0)),
                    ('lesson_reached', models.PositiveSmallIntegerField(default=0, help_text='Highest lesson number marked done.')),
                    ('finished_on', models.DateField(blank=True, help_text='The day the last lesson was marked done.', null=True)),
                    ('has_plan', models.BooleanField(default=False)),
                    ('days_ahead', models.SmallIntegerField(blank=True, null=True)),
                    ('forecast_finish_on', models.DateField(blank=True, null=True)),
                    ('project_submitted', models.BooleanField(default=False)),
                    ('on_track', models.BooleanField(default=False, help_text='Not at risk, and on or ahead of their plan (or, with no plan, forecast to finish in time).')),
                    ('at_risk', models.BooleanField(default=False)),
                    ('at_risk_reasons', models.CharField(blank=True, max_length=300)),
                    ('computed_for_day', models.DateField(help_text="The student's local day these numbers are for.")),
                    ('computed_version', models.PositiveIntegerField(default=0)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rollups', to='progress.cohort')),
                ],
                options={
                    'db_table': 'progress_studentrollup',
                    'indexes': [models.Index(fields=['cohort', 'at_risk'], name='rollup_cohort_at_risk_idx'), models.Index(fields=['cohort', 'last_study_day'], name='rollup_cohort_last_day_idx'), models.Index(fields=['cohort', 'total_minutes'], name='rollup_cohort_total_idx'), models.Index(fields=['cohort', 'lessons_done'], name='rollup_cohort_lessons_idx')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
