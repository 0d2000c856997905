"""Students' group pages: browse and join, make a group, the group page, its note and name, and one's own privacy."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import form_submit, query_params
from progress.decorators import enrollment_required

from ..forms import BrowseForm, GroupCreateForm, GroupNoteForm, GroupRenameForm, JoinCodeForm, MentorForm, MoveForm, PrivacyForm
from ..models import StudyGroup
from ..selectors import (
    BROWSE_PAGE_SIZE,
    GroupPeople,
    group_and_people_for_user,
    group_table,
    groups_for_browse,
    groups_mentored,
    membership_for_enrollment,
)
from ..services.membership import (
    WRONG_CODE,
    group_create,
    group_join,
    group_join_by_code,
    group_leave,
    group_note_save,
    group_rename,
    membership_privacy_save,
)
from ..throttling import join_code_refusal, join_code_wrong


def _browse_page(request, *, enrollment, code_form=None, status=200):
    params = query_params(BrowseForm, request.GET)
    groups = groups_for_browse(cohort=enrollment.cohort, q=params["q"].strip(), utc_offset=params["band"], pace=params["pace"])
    context = {
        "page": Paginator(groups, BROWSE_PAGE_SIZE).get_page(params["page"]),
        "filters": BrowseForm(request.GET or None), "code_form": code_form or JoinCodeForm(),
        "params": urlencode({key: params[key] for key in ("q", "band", "pace") if params[key] not in ("", None)}),
        "membership": membership_for_enrollment(enrollment=enrollment), "enrollment": enrollment,
        "mentored": groups_mentored(user=request.user), "can_create": enrollment.cohort.students_create_groups or request.user.is_staff,
    }
    return render(request, "groups/browse.html", context, status=status)


@enrollment_required
def browse(request, *, enrollment):
    return _browse_page(request, enrollment=enrollment)


@enrollment_required
@require_POST
def join(request, pk: int, *, enrollment):
    group = get_object_or_404(StudyGroup, pk=pk, cohort=enrollment.cohort)
    form = JoinCodeForm(request.POST)
    if not group.is_open and (refusal := join_code_refusal(request=request)):
        messages.error(request, f"Could not join {group.name}: {refusal}")
        return redirect("groups:browse")
    try:
        group_join(enrollment=enrollment, group=group, join_code=form.cleaned_data["join_code"] if form.is_valid() else "")
    except ValidationError as exc:
        if _wrong_code(exc):
            join_code_wrong(request=request)
        messages.error(request, f"Could not join {group.name}: {' '.join(exc.messages)}")
        return redirect("groups:browse")
    messages.success(request, f"You joined {group.name}.")
    return redirect(group)


@enrollment_required
@require_POST
def join_code(request, *, enrollment):
    form = JoinCodeForm(request.POST)
    if refusal := join_code_refusal(request=request):
        form.is_valid()
        form.add_error(None, refusal)
        return _browse_page(request, enrollment=enrollment, code_form=form, status=429)
    if form.is_valid():
        ok, membership = form_submit(form, group_join_by_code, enrollment=enrollment)
        if ok:
            messages.success(request, f"You joined {membership.group.name}.")
            return redirect(membership.group)
        if form.has_error("join_code", WRONG_CODE):
            join_code_wrong(request=request)
    return _browse_page(request, enrollment=enrollment, code_form=form, status=400)


def _wrong_code(exc: ValidationError) -> bool:
    return any(error.code == WRONG_CODE for error in getattr(exc, "error_dict", {}).get("join_code", []))


@enrollment_required
@require_POST
def leave(request, *, enrollment):
    group = group_leave(enrollment=enrollment)
    if group is not None:
        messages.success(request, f"You left {group.name}.")
    return redirect("groups:browse")


@enrollment_required
@require_http_methods(["GET", "POST"])
def create(request, *, enrollment):
    form = GroupCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, group = form_submit(
            form, group_create, cohort=enrollment.cohort, by_staff=request.user.is_staff, owner=request.user, enrollment=enrollment
        )
        if ok:
            messages.success(request, f"{group.name} is ready. Share the join code on its page with the people you study with.")
            return redirect(group)
    return render(request, "groups/create.html", {"form": form, "enrollment": enrollment})


def _detail(request, group: StudyGroup, *, people: GroupPeople, note_form=None, rename_form=None, status=200):
    context = {
        "people": people, "group": group,
        "table": group_table(group=group, memberships=people.memberships, user=request.user),
        "note_form": note_form or (GroupNoteForm(initial={"note": group.note}) if people.can_edit_note else None),
        "rename_form": rename_form or (GroupRenameForm(initial={"name": group.name}) if people.can_rename else None),
        "privacy_form": PrivacyForm(instance=people.your_membership) if people.your_membership else None,
        "move_form": MoveForm() if request.user.is_staff else None,
        "mentor_form": MentorForm() if request.user.is_staff else None,
    }
    return render(request, "groups/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    """Members, mentors and staff only (404 for anyone else)."""
    group, people = group_and_people_for_user(user=request.user, group_id=pk)
    return _detail(request, group, people=people)


@login_required
@require_POST
def note(request, pk: int):
    group, people = group_and_people_for_user(user=request.user, group_id=pk)
    if not people.can_edit_note:
        messages.error(request, "Only the group's mentors and the member who made it can change its note.")
        return redirect(group)
    form = GroupNoteForm(request.POST)
    if form.is_valid() and form_submit(form, group_note_save, group=group)[0]:
        messages.success(request, "Saved the group's note.")
        return redirect(group)
    return _detail(request, group, people=people, note_form=form, status=400)


@login_required
@require_POST
def rename(request, pk: int):
    group, people = group_and_people_for_user(user=request.user, group_id=pk)
    if not people.can_rename:
        messages.error(request, "Only the member who made the group, or staff, can rename it.")
        return redirect(group)
    form = GroupRenameForm(request.POST)
    if form.is_valid() and form_submit(form, group_rename, group=group)[0]:
        messages.success(request, f"Renamed the group {group.name}.")
        return redirect(group)
    group.refresh_from_db(fields=["name"])  # the page shows the name it has, not the one refused
    return _detail(request, group, people=people, rename_form=form, status=400)


@enrollment_required
@require_POST
def privacy(request, *, enrollment):
    membership = membership_for_enrollment(enrollment=enrollment)
    if membership is None:
        messages.error(request, "You are not in a group.")
        return redirect("groups:browse")
    form = PrivacyForm(request.POST, instance=membership)
    if form.is_valid():
        membership_privacy_save(membership=membership, **form.cleaned_data)
        messages.success(request, "Saved what your group sees.")
    return redirect(membership.group)
