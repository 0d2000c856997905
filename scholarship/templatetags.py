"""Template built-ins (registered in settings.TEMPLATES) shared by every app."""

from django import template

from scholarship.markdown import markdown_render
from scholarship.timezones import hours_display

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return markdown_render(text)


@register.filter(name="hours")
def hours_filter(minutes: int | None) -> str:
    return hours_display(minutes or 0)
