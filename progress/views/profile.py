"""The student's profile: name, zone, daily goals, email choices, accomplishments, and their calendar's address."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import form_submit

from ..calendar_feed import calendar_address
from ..decorators import enrollment_required
from ..forms import AccomplishmentForm, ProfileForm
from ..panels import PROFILE
from ..selectors.enrollments import enrollment_today
from ..selectors.reflection import accomplishment_get_for_user, accomplishments_for_enrollment
from ..services.enrollments import enrollment_preferences_update
from ..services import reflection as reflection_services


def _profile_page(request, *, enrollment, form=None, accomplishment_form=None, status=200):
    initial = {
        "full_name": request.user.full_name,
        "time_zone": enrollment.time_zone,
        "weekday_goal_hours": enrollment.weekday_goal_hours,
        "weekend_goal_hours": enrollment.weekend_goal_hours,
        "wants_reminders": enrollment.wants_reminders,
        "wants_digests": enrollment.wants_digests,
        "wants_nudges": enrollment.wants_nudges,
        "calendar_all_events": enrollment.calendar_all_events,
        "wants_event_reminders": enrollment.wants_event_reminders,
    }
    context = {
        "form": form or ProfileForm(initial=initial),
        "accomplishment_form": accomplishment_form or AccomplishmentForm(
            initial={"achieved_on": enrollment_today(enrollment=enrollment)}
        ),
        "accomplishments": accomplishments_for_enrollment(enrollment=enrollment),
        "enrollment": enrollment,
        "panels": PROFILE.render(request=request, enrollment=enrollment),
        "calendar_url": calendar_address(request=request, enrollment=enrollment),
    }
    return render(request, "progress/profile.html", context, status=status)


@enrollment_required
@require_http_methods(["GET", "POST"])
def profile(request, *, enrollment):
    if request.method != "POST":
        return _profile_page(request, enrollment=enrollment)
    form = ProfileForm(request.POST)
    if form.is_valid() and form_submit(form, enrollment_preferences_update, enrollment=enrollment)[0]:
        messages.success(request, "Your profile is saved.")
        return redirect("progress:profile")
    return _profile_page(request, enrollment=enrollment, form=form)


@enrollment_required
@require_POST
def accomplishment_add(request, *, enrollment):
    form = AccomplishmentForm(request.POST)
    if form.is_valid() and form_submit(form, reflection_services.accomplishment_add, enrollment=enrollment)[0]:
        messages.success(request, f"Added “{form.cleaned_data['title']}” to your accomplishments.")
        return redirect("progress:profile")
    return _profile_page(request, enrollment=enrollment, accomplishment_form=form)


@enrollment_required
@require_POST
def accomplishment_delete(request, pk: int, *, enrollment):
    accomplishment = accomplishment_get_for_user(user=request.user, accomplishment_id=pk)
    reflection_services.accomplishment_delete(accomplishment=accomplishment)
    messages.success(request, f"Removed “{accomplishment.title}”.")
    return redirect("progress:profile")
