"""Reads for the progress app: a student's own data (students) and a cohort as staff see it (cohorts)."""

from .students import *  # noqa: F403
from .cohorts import *  # noqa: F403
from .notifications import *  # noqa: F403
