"""Writes for what a student owns, one module per concern. Each runs in one transaction, locks the student's
enrollment first (`rollups.enrollments_lock`) and recomputes their stored numbers last (`rollups.rollups_refresh`):
the one freshness rule."""
