"""Staff's phase-two picks; the score itself is `review.scoring.shortlist_score_parts`."""

from django.db import transaction

from progress.models import Enrollment

from ..models import PhaseTwoPick


@transaction.atomic
def phase_two_pick_set(*, enrollment: Enrollment, picked: bool, picked_by=None) -> None:
    """Select or unselect a student for phase two; repeating either changes nothing."""
    if picked:
        PhaseTwoPick.objects.get_or_create(enrollment=enrollment, defaults={"picked_by": picked_by})
    else:
        PhaseTwoPick.objects.filter(enrollment=enrollment).delete()
