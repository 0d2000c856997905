from django.apps import AppConfig


class TimersConfig(AppConfig):
    """The study timer: start, stop, and what it adds to the study log."""

    name = "timers"
    verbose_name = "Study timers"

    def ready(self) -> None:
        from progress.panels import DASHBOARD

        from .panels import timer_card_context

        # First of the cards below the numbers: "Start studying", or the running timer with Stop and Discard.
        DASHBOARD.register("timers.card", template="timers/_dashboard_card.html", context=timer_card_context, order=1)
