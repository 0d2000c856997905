"""Template built-ins (registered in settings.TEMPLATES) shared by every app."""

from django import template

from common.markdown import markdown_render
from common.timezones import hours_display

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """For previews of what a student is typing; stored markdown is rendered on write (RenderedMarkdownField)."""
    return markdown_render(text)


@register.filter(name="hours")
def hours_filter(minutes: int | None) -> str:
    return hours_display(minutes or 0)
