"""The study timer's page and the small forms that start, stop, confirm, keep and discard it (from the header,
the dashboard, a lesson's row and the log form)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from common.forms import safe_next
from common.timezones import hours_display
from progress.decorators import enrollment_required

from .forms import TimerConfirmForm, TimerStartForm, TimerStopForm
from .selectors import lessons_to_start, timer_for_request, timer_get_for_user
from .services import (
    TimerNeedsConfirmation,
    timer_discard,
    timer_keep,
    timer_logged_words,
    timer_start,
    timer_stop,
    timer_trim,
)


def _page(request, *, enrollment, confirm_form=None, status=200):
    shown = timer_for_request(request)
    context = {"shown": shown, "enrollment": enrollment}
    if shown is None:
        context["lessons"], context["suggested"] = lessons_to_start(enrollment=enrollment)
    else:
        context["confirm_form"] = confirm_form or TimerConfirmForm(
            initial={"minutes": shown.reading.elapsed_minutes}, auto_id="id_confirm_%s"
        )
        context["elapsed_words"] = hours_display(shown.reading.elapsed_minutes)
    return render(request, "timers/timer.html", context, status=status)


def _timer_or_gone(request, pk: int):
    """The student's timer `pk`; None (with a message) once it is no longer running; 404 for someone else's."""
    timer = timer_get_for_user(user=request.user, timer_id=pk)
    if timer is None:
        messages.info(request, "That timer is no longer running: it was stopped or discarded, perhaps on another device.")
    return timer


@enrollment_required
@require_GET
def timer_page(request, *, enrollment):
    return _page(request, enrollment=enrollment)


@enrollment_required
@require_POST
def timer_start_view(request, *, enrollment):
    back = safe_next(request, fallback=reverse("timers:page"))
    form = TimerStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a lesson to time.")
        return HttpResponseRedirect(back)
    try:
        started = timer_start(enrollment=enrollment, lesson=form.cleaned_data["lesson"])
    except TimerNeedsConfirmation as exc:
        messages.warning(request, " ".join(exc.messages))
        return redirect("timers:page")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(back)
    lesson = started.timer.lesson
    if not started.created:
        messages.info(request, f"Your timer on {lesson} is already running.")
    elif started.stopped is not None:
        messages.success(request, f"{timer_logged_words(logged=started.stopped)} Now timing {lesson}.")
    else:
        messages.success(request, f"Timing {lesson}. Stop the timer when you are done: it adds the time to your log.")
    return HttpResponseRedirect(back)


@enrollment_required
@require_POST
def timer_stop_view(request, pk: int, *, enrollment):
    timer = _timer_or_gone(request, pk)
    if timer is None:
        return redirect("timers:page")
    form = TimerStopForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", ["That note can not be saved."])))
        return redirect("timers:page")
    try:
        logged = timer_stop(enrollment=timer.enrollment, note=form.cleaned_data["note"], timer_id=timer.pk)
    except TimerNeedsConfirmation:
        return redirect("timers:page")  # the page asks to confirm or trim, with the elapsed time
    except ValidationError as exc:
        # The 24-hour rule, a day outside the course: the timer runs on, and its page offers to trim it.
        messages.error(request, " ".join(exc.messages))
        return redirect("timers:page")
    messages.success(request, timer_logged_words(logged=logged))
    return HttpResponseRedirect(safe_next(request, fallback=reverse("progress:log_list")))


@enrollment_required
@require_POST
def timer_confirm_view(request, pk: int, *, enrollment):
    timer = _timer_or_gone(request, pk)
    if timer is None:
        return redirect("timers:page")
    form = TimerConfirmForm(request.POST, auto_id="id_confirm_%s")
    if form.is_valid():
        try:
            logged = timer_trim(
                enrollment=timer.enrollment, minutes=form.cleaned_data["minutes"], note=form.cleaned_data["note"],
                timer_id=timer.pk,
            )
        except ValidationError as exc:
            form.add_error("minutes" if "minutes" in getattr(exc, "error_dict", {}) else None, exc.messages)
        else:
            messages.success(request, timer_logged_words(logged=logged))
            return redirect("progress:log_list")
    return _page(request, enrollment=enrollment, confirm_form=form)


@enrollment_required
@require_POST
def timer_keep_view(request, pk: int, *, enrollment):
    timer = _timer_or_gone(request, pk)
    if timer is not None:
        try:
            timer_keep(enrollment=timer.enrollment, timer_id=timer.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("timers:page")
        messages.success(request, "Your timer runs on. It asks again in 4 hours.")
    return HttpResponseRedirect(safe_next(request, fallback=reverse("timers:page")))


@enrollment_required
@require_POST
def timer_discard_view(request, pk: int, *, enrollment):
    timer = _timer_or_gone(request, pk)
    if timer is not None:
        try:
            discarded = timer_discard(enrollment=timer.enrollment, timer_id=timer.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Discarded the timer on {discarded.lesson}: nothing was logged.")
    return HttpResponseRedirect(safe_next(request, fallback=reverse("timers:page")))
