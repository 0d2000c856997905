from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from progress import selectors as progress_selectors
from progress import services as progress_services
from progress.decorators import enrollment_required
from scholarship.forms import safe_next

from .models import Lesson


@enrollment_required
def lesson_list(request, *, enrollment):
    lessons = progress_selectors.lessons_with_progress(enrollment=enrollment)
    done = sum(1 for lesson in lessons if lesson.completed_on)
    return render(request, "lessons/lesson_list.html", {"lessons": lessons, "done": done, "enrollment": enrollment})


@enrollment_required
def lesson_detail(request, slug: str, *, enrollment):
    lessons = progress_selectors.lessons_with_progress(enrollment=enrollment)
    lesson = next((lesson for lesson in lessons if lesson.slug == slug), None)
    if lesson is None:
        raise Http404("No such lesson.")
    units = list(lesson.units.order_by("order"))
    return render(request, "lessons/lesson_detail.html", {"lesson": lesson, "units": units})


@enrollment_required
@require_POST
def lesson_mark(request, slug: str, *, enrollment):
    lesson = get_object_or_404(Lesson, slug=slug)
    done = request.POST.get("done") == "1"
    try:
        progress_services.lesson_progress_set(enrollment=enrollment, lesson=lesson, done=done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{lesson} is marked {'done' if done else 'not done'}.")
    return HttpResponseRedirect(safe_next(request, fallback=reverse("lessons:list")))
