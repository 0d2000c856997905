"""Students' group pages: browse and join, make a group, the group page, its note, and one's own privacy."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import form_submit, query_params
from common.fragments import templates_version, values_key
from progress.decorators import enrollment_required

from ..forms import BrowseForm, GroupCreateForm, GroupNoteForm, JoinCodeForm, MentorForm, MoveForm, PrivacyForm
from ..models import StudyGroup
from ..selectors import (
    BROWSE_PAGE_SIZE,
    NUMBERS_CACHE_SECONDS,
    GroupPeople,
    GroupTable,
    group_and_people_for_user,
    group_table,
    group_table_key,
    groups_for_browse,
    groups_mentored,
    membership_for_enrollment,
)
from ..services.membership import group_create, group_join, group_join_by_code, group_leave, group_note_save, membership_privacy_save


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
    try:
        group_join(enrollment=enrollment, group=group, join_code=form.cleaned_data["join_code"] if form.is_valid() else "")
    except ValidationError as exc:
        messages.error(request, f"Could not join {group.name}: {' '.join(exc.messages)}")
        return redirect("groups:browse")
    messages.success(request, f"You joined {group.name}.")
    return redirect(group)


@enrollment_required
@require_POST
def join_code(request, *, enrollment):
    form = JoinCodeForm(request.POST)
    if form.is_valid():
        ok, membership = form_submit(form, group_join_by_code, enrollment=enrollment)
        if ok:
            messages.success(request, f"You joined {membership.group.name}.")
            return redirect(membership.group)
    return _browse_page(request, enrollment=enrollment, code_form=form, status=400)


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


GROUP_TABLE_TEMPLATES = ("groups/_table.html", "groups/_summaries.html")
PRIVACY_FIELDS = "groups/_privacy_fields.html"


class GroupDetailPage:
    """What the group page's template reads, each part on first use: a drawing of the table and summaries the
    cache already holds needs only the members and mentors, not the members' numbers or the summaries."""

    cache_seconds = NUMBERS_CACHE_SECONDS

    def __init__(self, *, group: StudyGroup, people: GroupPeople, user, now: dt.datetime | None = None):
        self.group, self.people, self.user = group, people, user
        self.now = now or timezone.now()

    @cached_property
    def cache_key(self) -> str:
        key = group_table_key(group=self.group, memberships=self.people.memberships, user=self.user, now=self.now)
        return f"{key}:{templates_version(*GROUP_TABLE_TEMPLATES)}"

    @cached_property
    def privacy_cache_key(self) -> str:
        """The privacy form's fields differ only by the member's two choices (the form never comes back with errors)."""
        mine = self.people.your_membership
        return values_key([mine.hides_numbers, mine.shows_place], PRIVACY_FIELDS) if mine else ""

    @cached_property
    def table(self) -> GroupTable:
        return group_table(group=self.group, memberships=self.people.memberships, user=self.user, now=self.now)


def _detail(request, group: StudyGroup, *, people: GroupPeople, note_form=None, status=200):
    page = GroupDetailPage(group=group, people=people, user=request.user)
    context = {
        "page": page, "group": group,
        "note_form": note_form or (GroupNoteForm(initial={"note": group.note}) if people.can_edit_note else None),
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
