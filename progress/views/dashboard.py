"""The start page and the student's dashboard."""

from django.shortcuts import redirect, render

from ..dashboard import dashboard_context
from ..decorators import enrollment_required
from ..panels import DASHBOARD
from ..selectors.enrollments import cohort_open_for_signup, enrollment_for_request


def home(request):
    if request.user.is_authenticated:
        if request.user.is_staff and enrollment_for_request(request) is None:
            return redirect("cohort:dashboard")
        return redirect("progress:dashboard")
    return render(request, "home.html", {"cohort": cohort_open_for_signup()})


@enrollment_required
def dashboard(request, *, enrollment):
    context = {
        **dashboard_context(enrollment=enrollment),
        "enrollment": enrollment,
        "panels": DASHBOARD.render(request=request, enrollment=enrollment),
    }
    return render(request, "progress/dashboard.html", context)
