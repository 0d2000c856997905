from notifications.models import Notification

from ._notifications import NotificationCommand


class Command(NotificationCommand):
    help = "Send the weekly digests due now, to students and staff (each once per week). Safe to run again."
    kinds = (Notification.Kind.STUDENT_DIGEST, Notification.Kind.STAFF_DIGEST)
