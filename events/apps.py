from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Events: AMAs and webinars on every student's calendar, RSVPs and attendance."""

    name = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from progress.panels import CALENDAR, DASHBOARD

        from .panels import calendar_events, next_events_context

        DASHBOARD.register("events.next", template="events/_dashboard_next.html", context=next_events_context, order=20)
        CALENDAR.register("events", calendar_events)
