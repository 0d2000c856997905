from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The cohort's chat workspace (Slack): study time logged by slash command, and a weekly post to a channel."""

    name = "integrations"
    verbose_name = "Chat workspace"

    def ready(self) -> None:
        from progress.panels import PROFILE

        from .panels import profile_slack_context

        PROFILE.register("integrations.slack", template="integrations/_profile_slack.html", context=profile_slack_context)
