"""Staff pages for reviewing a cohort, one module per page group. Every view here needs a staff account."""
