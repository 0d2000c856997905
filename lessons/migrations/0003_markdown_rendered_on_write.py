"""Store each markdown field's sanitised HTML beside it, rendered on write; existing rows rendered here."""

import common.markdown
from django.db import migrations


def render_existing(apps, schema_editor):
    for app_label, model_name in (("lessons", "Lesson"),):
        common.markdown.markdown_rerender(model=apps.get_model(app_label, model_name))


class Migration(migrations.Migration):

    dependencies = [
        ('lessons', '0002_load_programme_lessons'),
    ]

    operations = [
        migrations.AddField(
            model_name='lesson',
            name='summary_html',
            field=common.markdown.RenderedMarkdownField(blank=True, default='', editable=False, source='summary'),
        ),
        migrations.RunPython(render_existing, migrations.RunPython.noop),
    ]
