from django.apps import AppConfig


class GroupsConfig(AppConfig):
    """Study groups: small groups of a cohort who see each other's progress, and their volunteer mentors."""

    name = "groups"
    verbose_name = "Study groups"

    def ready(self) -> None:
        from progress.panels import DASHBOARD

        from .panels import group_card_context

        DASHBOARD.register("groups.card", template="groups/_dashboard_card.html", context=group_card_context, order=10)
