"""What staff choose to receive."""


def staff_digest_preference_set(*, user, wanted: bool) -> None:
    user.wants_cohort_digest = wanted
    user.save(update_fields=["wants_cohort_digest"])
