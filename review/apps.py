from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Staff review: rollups, snapshots, the shortlist, cohort pages, export, bulk enrollment."""

    name = "review"
    verbose_name = "Review"
