"""Template built-ins (registered in settings.TEMPLATES) shared by every app."""

from django import template

from scholarship import navigation
from scholarship.markdown import markdown_render
from scholarship.timezones import hours_display

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    return markdown_render(text)


@register.filter(name="hours")
def hours_filter(minutes: int | None) -> str:
    return hours_display(minutes or 0)


@register.simple_tag(takes_context=True)
def main_nav(context):
    """The menu's links for whoever is signed in (scholarship.navigation)."""
    from progress.selectors import enrollment_current_for_user

    user = context["user"]
    return navigation.main_nav(
        request=context["request"], user=user, is_student=enrollment_current_for_user(user=user) is not None,
        csrf_token=str(context.get("csrf_token", "")),
    )


@register.simple_tag
def home_url():
    return navigation.home_url()
