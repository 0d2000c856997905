from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Helpers that know no app: time zones and hours, markdown, form helpers, CSP, mail, logging, health."""

    name = "common"
    verbose_name = "Common"
