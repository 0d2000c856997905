"""What the two email commands share: --now, --dry-run and the same services as the beat.

A run sends what is due at `--now` and then, at the real time, takes over every row of its kinds that
was dispatched but not sent: rows whose lease ran out, and rows no sender has claimed (a chunk lost
with the broker's queue), without waiting for their lease. Every run says where the emails' links point
(a command started outside `make run` has no request to read the site's address from) and how many
emails were due, none included.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications.selectors import contexts_for_chunk
from notifications.services.dispatch import notifications_catch_up, notifications_dispatch
from notifications.services.sending import notification_message, notifications_send_chunk


class NotificationCommand(BaseCommand):
    kinds: tuple[str, ...] = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Act as if it were this instant (ISO 8601, e.g. 2027-01-02T17:00:00Z).")
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; send nothing.")

    def handle(self, *args, now: str | None, dry_run: bool, **options) -> None:
        instant = timezone.now()
        if now:
            instant = parse_datetime(now)
            if instant is None:
                raise CommandError(f"--now {now!r} is not an ISO 8601 date and time.")
            if timezone.is_naive(instant):
                instant = timezone.make_aware(instant, timezone.utc)
        self.stdout.write(f"Links in these emails point at {settings.SITE_URL} ({settings.SITE_URL_ORIGIN}).")
        sent = {"count": 0}

        def send(occasion, ids):
            if occasion.kind not in self.kinds:
                return
            if dry_run:
                for context in contexts_for_chunk(kind=occasion.kind, cohort=occasion.cohort, number=occasion.number, ids=ids, now=instant):
                    message = notification_message(kind=occasion.kind, to_user=context["recipient"], context=context)
                    self.stdout.write(f"would send to {message.to[0]}: {message.subject}")
                return
            sent["count"] += notifications_send_chunk(
                kind=occasion.kind, cohort_id=occasion.cohort.pk, number=occasion.number, ids=ids, now=instant
            )

        report = [(occasion, count) for occasion, count in notifications_dispatch(now=instant, send=send, dry_run=dry_run)
                  if occasion.kind in self.kinds]
        for occasion, count in report:
            self.stdout.write(f"{occasion.cohort.slug} {occasion.key}: {count} due")
        if dry_run:
            due = sum(count for _, count in report)
            self.stdout.write(f"Dry run at {instant.isoformat()}: {due} due; nothing was sent or recorded.")
        else:
            def resend(kind, cohort_id, number, ids):
                sent["count"] += notifications_send_chunk(kind=kind, cohort_id=cohort_id, number=number, ids=ids)

            caught = notifications_catch_up(send=resend, unclaimed_at_once=True, kinds=self.kinds)
            if caught.rows or caught.expired:
                self.stdout.write(f"Took over {caught.rows} unsent email(s) dispatched earlier; gave up {caught.expired} a day old.")
            self.stdout.write(self.style.SUCCESS(f"Sent {sent['count']} email(s) at {instant.isoformat()}."))
