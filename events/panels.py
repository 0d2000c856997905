"""What events add to pages of the apps below: the dashboard's next two events, and the student's calendar feed."""

import datetime as dt

from icalendar import Event as CalendarEvent

from .selectors import events_for_calendar, events_next


def next_events_context(*, request, enrollment) -> dict | None:
    events = events_next(enrollment=enrollment)
    return {"events": events} if events else None


def calendar_events(*, enrollment, site_url: str, now: dt.datetime) -> list[CalendarEvent]:
    """Each event under its stable UID with its SEQUENCE, so an edit updates the subscriber's entry in place."""
    components = []
    for event in events_for_calendar(enrollment=enrollment):
        component = CalendarEvent()
        component.add("uid", event.ical_uid)
        component.add("sequence", event.sequence)
        component.add("dtstamp", now)
        component.add("last-modified", event.updated_at)
        component.add("summary", f"{event.title} ({event.host})")
        component.add("dtstart", event.starts_at)
        component.add("dtend", event.ends_at)
        component.add("url", event.join_url)
        component.add("location", event.join_url)
        component.add("description", f"{event.description}\n\nJoin: {event.join_url}\n{site_url}/events/".strip())
        component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
        components.append(component)
    return components
