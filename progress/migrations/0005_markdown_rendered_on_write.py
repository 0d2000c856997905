"""Store each markdown field's sanitised HTML beside it, rendered on write; existing rows rendered here."""

import common.markdown
from django.db import migrations


def render_existing(apps, schema_editor):
    for app_label, model_name in (("progress", "StudyLog"), ("progress", "WeeklySummary"), ("progress", "ProjectSubmission"),):
        common.markdown.markdown_rerender(model=apps.get_model(app_label, model_name))


class Migration(migrations.Migration):

    dependencies = [
        ('progress', '0004_dashboard_and_rollup_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='projectsubmission',
            name='description_html',
            field=common.markdown.RenderedMarkdownField(blank=True, default='', editable=False, source='description'),
        ),
        migrations.AddField(
            model_name='studylog',
            name='notes_html',
            field=common.markdown.RenderedMarkdownField(blank=True, default='', editable=False, source='notes'),
        ),
        migrations.AddField(
            model_name='weeklysummary',
            name='body_html',
            field=common.markdown.RenderedMarkdownField(blank=True, default='', editable=False, source='body'),
        ),
        migrations.RunPython(render_existing, migrations.RunPython.noop),
    ]
