from notifications.models import Notification

from ._notifications import NotificationCommand


class Command(NotificationCommand):
    help = "Send the deadline reminders due now (each student once per occasion). Safe to run again."
    kinds = (Notification.Kind.DEADLINE_REMINDER,)
