"""Render every stored markdown field again: run it after the markdown renderer or its allow-lists change."""

from django.apps import apps
from django.core.management.base import BaseCommand

from common.markdown import markdown_rerender, models_with_rendered_markdown


class Command(BaseCommand):
    help = "Render the stored HTML of every markdown field again (after the renderer changed)."

    def handle(self, *args, **options):
        for model in models_with_rendered_markdown(apps.get_models()):
            rows = markdown_rerender(model=model)
            self.stdout.write(f"{model._meta.label}: {rows:,} rows rendered")
