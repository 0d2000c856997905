"""Writes of staff review, one module per concern: rollups and snapshots, the shortlist, bulk enrollment."""
