"""Making groups, joining, leaving and moving students, a group's note, a member's privacy, and its mentors.

Every way into a group (a click, a code, staff's move, the CSV import, "form groups") goes through
`_place`, which holds the group's row while it counts, so two joins at once never pass its capacity.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.forms import nul_characters_check, single_line
from progress.models import Cohort, Enrollment

from ..models import DEFAULT_CAPACITY, Membership, Mentorship, StudyGroup, join_code_normalized

NAME_TAKEN = "A group of this cohort already has that name."
WRONG_CODE = "wrong_code"  # the code of a refused join code: the view counts it against the guesser (groups.throttling)


def _place(*, enrollment: Enrollment, group: StudyGroup, moving: bool = False) -> Membership:
    """Put the student in the group (call inside a transaction). Without `moving`, a student already in a group stays."""
    if group.cohort_id != enrollment.cohort_id:
        raise ValidationError("That group belongs to another cohort.")
    locked = StudyGroup.objects.select_for_update().get(pk=group.pk)
    current = Membership.objects.select_for_update().filter(enrollment=enrollment).first()
    if current is not None and current.group_id == group.pk:
        return current
    if current is not None and not moving:
        raise ValidationError("You are already in a group: leave it first.")
    if locked.memberships.count() >= locked.capacity:
        raise ValidationError(f"{locked.name} is full ({locked.capacity} members).")
    if current is not None:
        current.group = locked
        current.save(update_fields=["group"])
        return current
    try:
        with transaction.atomic():
            membership = Membership.objects.create(enrollment=enrollment, group=locked)
    except IntegrityError as exc:  # joined another group in a request that committed meanwhile
        raise ValidationError("You are already in a group: leave it first.") from exc
    return membership


@transaction.atomic
def group_join(*, enrollment: Enrollment, group: StudyGroup, join_code: str = "") -> Membership:
    """A student joins an open group, or a closed one with its code."""
    if not group.is_open and not secrets.compare_digest(join_code_normalized(join_code).encode(), group.join_code.encode()):
        raise ValidationError({"join_code": ValidationError("That is not this group's join code.", code=WRONG_CODE)})
    return _place(enrollment=enrollment, group=group)


@transaction.atomic
def group_join_by_code(*, enrollment: Enrollment, join_code: str) -> Membership:
    code = join_code_normalized(join_code)
    group = StudyGroup.objects.filter(cohort_id=enrollment.cohort_id, join_code=code).first() if code else None
    if group is None:
        raise ValidationError({"join_code": ValidationError(
            "No group of your cohort has that code. Check it with whoever gave it to you.", code=WRONG_CODE,
        )})
    return _place(enrollment=enrollment, group=group)


@transaction.atomic
def group_leave(*, enrollment: Enrollment) -> StudyGroup | None:
    membership = Membership.objects.select_related("group").filter(enrollment=enrollment).first()
    if membership is None:
        return None
    membership.delete()
    return membership.group


@transaction.atomic
def membership_move(*, enrollment: Enrollment, group: StudyGroup | None) -> Membership | None:
    """Staff put a student in a group (or take them out with None), wherever they were."""
    if group is None:
        Membership.objects.filter(enrollment=enrollment).delete()
        return None
    return _place(enrollment=enrollment, group=group, moving=True)


def member_add_by_email(*, group: StudyGroup, email: str) -> Membership:
    """Staff move the student of the group's cohort with this email into the group, wherever they were."""
    nul_characters_check(email=email)
    enrollment = Enrollment.objects.filter(cohort_id=group.cohort_id, user__email__iexact=email.strip()).first()
    if enrollment is None:
        raise ValidationError({"email": "No student of this cohort has that email."})
    return membership_move(enrollment=enrollment, group=group)


def member_remove(*, group: StudyGroup, enrollment_id: int) -> None:
    enrollment = Enrollment.objects.filter(pk=enrollment_id, group_membership__group=group).first()
    if enrollment is None:
        raise ValidationError("That student is not in this group.")
    membership_move(enrollment=enrollment, group=None)


@transaction.atomic
def group_create(
    *, cohort: Cohort, name: str, utc_offset: int, weekly_goal_hours: int, is_open: bool = True,
    capacity: int = DEFAULT_CAPACITY, by_staff: bool = False, owner=None, enrollment: Enrollment | None = None,
) -> StudyGroup:
    """Make a group. A student may when the cohort allows it, and joins it as its owner; staff always may."""
    nul_characters_check(name=name)
    name = single_line(name)
    if not by_staff and not cohort.students_create_groups:
        raise ValidationError("This cohort's groups are made by staff: join one of them, or ask staff for one.")
    _name_check(cohort_id=cohort.pk, name=name)
    group = StudyGroup(
        cohort=cohort, name=name, utc_offset=utc_offset, weekly_goal_hours=weekly_goal_hours, is_open=is_open,
        capacity=capacity, owner=owner,
    )
    group.full_clean()
    _save_named(group)
    if enrollment is not None:
        _place(enrollment=enrollment, group=group)
    return group


def _name_check(*, cohort_id: int, name: str, group_id: int | None = None) -> None:
    if not name:
        raise ValidationError({"name": "Give the group a name."})
    if StudyGroup.objects.filter(cohort_id=cohort_id, name__iexact=name).exclude(pk=group_id).exists():
        raise ValidationError({"name": NAME_TAKEN})


def _save_named(group: StudyGroup, **kwargs) -> None:
    """Save, in a savepoint: a group of the same name saved by another request since `_name_check` read (ten
    students making "Lagos evenings" at the same moment) is the form's error on the name, not a server error."""
    try:
        with transaction.atomic():
            group.save(**kwargs)
    except IntegrityError as exc:
        if StudyGroup.objects.filter(cohort_id=group.cohort_id, name=group.name).exclude(pk=group.pk).exists():
            raise ValidationError({"name": NAME_TAKEN}) from exc
        raise


@transaction.atomic
def group_rename(*, group: StudyGroup, name: str) -> StudyGroup:
    """A new name for the group (its owner or staff; the view checks who): one line, unique within the cohort."""
    nul_characters_check(name=name)
    name = single_line(name)
    _name_check(cohort_id=group.cohort_id, name=name, group_id=group.pk)
    try:
        group.name = StudyGroup._meta.get_field("name").clean(name, group)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from exc
    _save_named(group, update_fields=["name"])
    return group


def group_note_save(*, group: StudyGroup, note: str) -> StudyGroup:
    """The group's one-line note (its mentors or owner; the view checks who)."""
    nul_characters_check(note=note)
    note = single_line(note)  # newlines would start new markdown blocks
    try:
        group.note = StudyGroup._meta.get_field("note").clean(note, group)
    except ValidationError as exc:
        raise ValidationError({"note": exc.messages}) from exc
    group.save(update_fields=["note", "note_html"])
    return group


@transaction.atomic
def membership_privacy_save(*, membership: Membership, hides_numbers: bool, shows_place: bool) -> Membership:
    membership.hides_numbers = hides_numbers
    membership.shows_place = shows_place
    membership.save(update_fields=["hides_numbers", "shows_place"])
    return membership


@transaction.atomic
def mentor_add(*, group: StudyGroup, email: str) -> Mentorship:
    """Staff make someone a mentor of the group: a staff member, or a student of the group's cohort."""
    nul_characters_check(email=email)
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": "No active account has that email."})
    if not user.is_staff and not Enrollment.objects.filter(user=user, cohort_id=group.cohort_id).exists():
        raise ValidationError({"email": "A mentor is a staff member or a student of this cohort."})
    mentorship, _ = Mentorship.objects.get_or_create(group=group, mentor=user)
    return mentorship


def mentor_remove(*, group: StudyGroup, mentor_id: int) -> None:
    deleted, _ = Mentorship.objects.filter(group=group, mentor_id=mentor_id).delete()
    if not deleted:
        raise ValidationError("That person is not a mentor of this group.")
