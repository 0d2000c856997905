from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Emails: the ledger, occasions, sending, unsubscribe, previews."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The staff pages belong to review, below this app: they show what this app knows through panels.
        from review.panels import COHORT_PAGE, MENTOR_PAGE, STUDENT_PAGE

        from .selectors import NUDGES_SHOWN_DAYS, notifications_expired_count, notifications_for_enrollment, nudges_for_groups

        def cohort_emails(*, request, cohort):
            return {"cohort": cohort, "given_up": notifications_expired_count(cohort=cohort), "user": request.user}

        def student_emails(*, request, enrollment):
            return {"emails": notifications_for_enrollment(enrollment=enrollment)}

        def mentor_nudges(*, request, group_ids):
            return {"nudges": nudges_for_groups(group_ids=group_ids), "days": NUDGES_SHOWN_DAYS, "user": request.user}

        COHORT_PAGE.register("notifications.cohort_emails", template="notifications/_cohort_emails.html", context=cohort_emails)
        STUDENT_PAGE.register("notifications.student_emails", template="notifications/_student_emails.html", context=student_emails)
        MENTOR_PAGE.register("notifications.mentor_nudges", template="notifications/_mentor_nudges.html", context=mentor_nudges)
