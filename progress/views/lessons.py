"""The course's lessons as the student sees them: each with their time and whether it is done."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common.forms import safe_next
from lessons.models import Lesson

from ..decorators import enrollment_required
from ..selectors.logs import lessons_with_progress
from ..services.study_logs import lesson_progress_set


@enrollment_required
def lesson_list(request, *, enrollment):
    lessons = lessons_with_progress(enrollment=enrollment)
    done = sum(1 for lesson in lessons if lesson.completed_on)
    return render(request, "progress/lesson_list.html", {"lessons": lessons, "done": done, "enrollment": enrollment})


@enrollment_required
def lesson_detail(request, slug: str, *, enrollment):
    lessons = lessons_with_progress(enrollment=enrollment)
    lesson = next((lesson for lesson in lessons if lesson.slug == slug), None)
    if lesson is None:
        raise Http404("No such lesson.")
    units = list(lesson.units.order_by("order"))
    return render(request, "progress/lesson_detail.html", {"lesson": lesson, "units": units})


@enrollment_required
@require_POST
def lesson_mark(request, slug: str, *, enrollment):
    lesson = get_object_or_404(Lesson, slug=slug)
    done = request.POST.get("done") == "1"
    try:
        lesson_progress_set(enrollment=enrollment, lesson=lesson, done=done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{lesson} is marked {'done' if done else 'not done'}.")
    return HttpResponseRedirect(safe_next(request, fallback=reverse("lessons:list")))
