"""Reads for what a student owns, one module per concern: enrollments, logs, standing, plans, reflection."""
