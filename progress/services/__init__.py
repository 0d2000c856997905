"""Writes for what a student owns, one module per concern. Each runs in one transaction and moves the
enrollment's version on (`versions.dashboard_version_bump`): that is all a write does for the numbers
derived from it; `review` brings its rollups up to date when staff read them."""
