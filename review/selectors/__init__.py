"""Reads for staff: a cohort's headline, funnel, charts and student table (cohorts), and the shortlist."""
