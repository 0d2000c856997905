"""The emails' pages: one-click unsubscribe, the staff preview, and staff's own digest choice."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import staff_required
from common import health
from common.forms import form_submit, query_params, safe_next
from progress.models import Enrollment
from groups.selectors import enrollment_mentored_by
from progress.selectors.cohorts import cohort_for_staff

from . import tasks
from .forms import EmailPreviewForm, NudgeForm
from .models import Notification
from .selectors import nudge_of_day, preview_context
from .services.nudges import nudge_request
from .services.preferences import STOPS, staff_digest_preference_set
from .services.sending import notification_message
from .services.unsubscribe import unsubscribe_apply, unsubscribe_read

PREVIEW_KINDS = [
    (Notification.Kind.DEADLINE_REMINDER, "Deadline reminder"),
    (Notification.Kind.STUDENT_DIGEST, "Weekly digest (student)"),
    (Notification.Kind.STAFF_DIGEST, "Weekly cohort digest (staff)"),
]


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click unsubscribe (RFC 8058): GET asks, POST acts, with only the signed token as authority."""
    try:
        user_id, kind = unsubscribe_read(token=token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    stops = STOPS[kind]
    if request.method == "POST":
        unsubscribe_apply(user_id=user_id, kind=kind)
        return render(request, "notifications/unsubscribe.html", {"done": True, "stops": stops})
    return render(request, "notifications/unsubscribe.html", {"stops": stops, "token": token})


@staff_required
@require_http_methods(["GET", "POST"])
def emails_preview(request):
    """Each kind of email exactly as a chosen student (or, for the staff digest, you) would get it now;
    a POST sends a copy to you through the job queue."""
    params = query_params(EmailPreviewForm, request.POST if request.method == "POST" else request.GET)
    kind = params["kind"] or Notification.Kind.DEADLINE_REMINDER
    cohort = cohort_for_staff(slug=params["cohort"] or None)
    enrollments = Enrollment.objects.filter(cohort=cohort).select_related("user", "cohort").order_by("user__email")
    chosen = params["student"]
    enrollment = enrollments.filter(pk=chosen).first() if chosen else enrollments.first()
    if request.method == "POST":
        if not health.broker_ok(timeout=1.0):
            messages.error(request, health.JOBS_UNAVAILABLE)
        else:
            tasks.notification_preview_send.delay(kind, cohort.pk, enrollment.pk if enrollment else None, request.user.pk)
            messages.success(request, f"A copy is on its way to {request.user.email}.")
        query = urlencode({"cohort": cohort.slug, "kind": kind, "student": enrollment.pk if enrollment else ""})
        return redirect(f"{reverse('emails_preview')}?{query}")
    email = preview_context(kind=kind, cohort=cohort, enrollment=enrollment, staff_user=request.user, now=timezone.now())
    message = notification_message(kind=kind, to_user=email["recipient"], context=email) if email else None
    context = {
        "cohort": cohort,
        "kind": kind,
        "kinds": PREVIEW_KINDS,
        "students": enrollments[:500],
        "enrollment": enrollment,
        "message": message,
        "html": message.alternatives[0][0] if message else "",
        "given_up": Notification.objects.filter(cohort=cohort, state=Notification.State.EXPIRED).count(),
    }
    return render(request, "notifications/emails_preview.html", context)


@staff_required
@require_POST
def staff_digest_preference(request):
    staff_digest_preference_set(user=request.user, wanted=request.POST.get("wanted") == "1")
    return HttpResponseRedirect(safe_next(request, fallback=reverse("cohort:dashboard")))


@login_required
@require_POST
def mentor_nudge(request, enrollment_id: int):
    """A mentor's nudge to a member of one of their groups (404 for anyone else's): queued once, sent once."""
    enrollment = enrollment_mentored_by(user=request.user, enrollment_id=enrollment_id)
    name = enrollment.user.full_name or "them"
    form = NudgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Not sent to {name}: " + " ".join(error for errors in form.errors.values() for error in errors))
    elif not health.broker_ok(timeout=1.0):
        messages.error(request, health.JOBS_UNAVAILABLE)
    else:
        ok, queued = form_submit(
            form, nudge_request, mentor=request.user, enrollment=enrollment,
            enqueue=lambda pk: tasks.notifications_send_chunk.delay(Notification.Kind.NUDGE, enrollment.cohort_id, 0, [pk]),
        )
        if not ok:
            messages.error(request, f"Not sent to {name}: " + " ".join(error for errors in form.errors.values() for error in errors))
        elif queued:
            messages.success(request, f"Your nudge is on its way to {name}.")
        else:
            messages.info(request, _already_nudged_words(enrollment=enrollment, name=name, mentor=request.user))
    return redirect("mentor")



def _already_nudged_words(*, enrollment, name: str, mentor) -> str:
    nudge = nudge_of_day(enrollment=enrollment)
    if nudge is None or nudge.sender_id == mentor.pk:
        return f"You already nudged {name} today: one a day is plenty."
    who = nudge.sender.get_full_name() if nudge.sender else "another mentor"
    return f"{name} already had a nudge today, from {who}: one a day is plenty, whoever sends it."
