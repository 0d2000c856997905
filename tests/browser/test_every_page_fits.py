"""Every page a person sees, at a desk (1280 px) and on a phone (375 px), as a student, a mentor, staff and a visitor:
a screenshot of each under test-artifacts/screenshots/, and a failure for anything wider than the screen, text
wider than its box, template source or Python's None among the words shown, or a duration not written as hours and
minutes (tests/browser/page_checks.py).

The pages are listed here by URL name; a test holds the list to the URL resolver, so a new page can not escape.
"""

from dataclasses import dataclass, field

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.page_checks import layout_problems, text_problems
from tests.browser.world import unsubscribe_address
from tests.sitewide.test_every_url_is_guarded import POST_ONLY, named_patterns

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"  # gitignored
WIDTHS = (1280, 375)
STUDENTS = ("student", "mentor")  # the mentor is a student too, with nothing logged yet: every page's empty state


@dataclass(frozen=True)
class Page:
    slug: str  # the screenshot's name
    url_name: str | None  # None: an address no URL matches
    people: tuple[str, ...]
    kwargs: object = field(default=lambda world, person: None)  # (world, person) -> the URL's kwargs
    status: int = 200


def _group(world, person):
    return {"pk": (world.mentored_group if person == "mentor" else world.group).pk}


PAGES = (
    Page("home", "home", ("visitor",)),
    Page("log-in", "accounts:login", ("visitor",)),
    Page("sign-up", "accounts:signup", ("visitor",)),
    Page("password-reset", "accounts:password_reset", ("visitor",)),
    Page("password-reset-sent", "accounts:password_reset_done", ("visitor",)),
    Page("password-reset-link", "accounts:password_reset_confirm", ("visitor",), lambda w, p: {"uidb64": "MQ", "token": "expired"}),
    Page("password-reset-complete", "accounts:password_reset_complete", ("visitor",)),
    Page("unsubscribe", "unsubscribe", ("visitor",), lambda w, p: unsubscribe_address(w)),
    Page("dashboard", "progress:dashboard", STUDENTS),
    Page("log-form", "progress:log_create", STUDENTS),
    Page("log-list", "progress:log_list", STUDENTS),
    Page("log-edit", "progress:log_edit", ("student",), lambda w, p: {"pk": w.log.pk}),
    Page("log-delete", "progress:log_delete", ("student",), lambda w, p: {"pk": w.log.pk}),
    Page("lessons", "lessons:list", STUDENTS),
    Page("lesson", "lessons:detail", STUDENTS, lambda w, p: {"slug": w.lesson.slug}),
    Page("schedule", "progress:schedule", STUDENTS),
    Page("summaries", "progress:summary_list", STUDENTS),
    Page("summary-write", "progress:summary_write", STUDENTS, lambda w, p: {"week": w.summary_week}),
    Page("community", "progress:community_summaries", STUDENTS),
    Page("profile", "progress:profile", STUDENTS),
    Page("project", "progress:project", STUDENTS),
    Page("groups", "groups:browse", STUDENTS),
    Page("group", "groups:detail", (*STUDENTS, "staff"), _group),
    Page("group-create", "groups:create", STUDENTS),
    Page("events", "events:list", STUDENTS),
    Page("password-change", "accounts:password_change", (*STUDENTS, "staff")),
    Page("password-changed", "accounts:password_change_done", (*STUDENTS, "staff")),
    Page("mentor", "mentor", (*STUDENTS, "staff")),
    Page("timer", "timers:page", STUDENTS),
    Page("api-tokens", "api:tokens", (*STUDENTS, "staff")),
    Page("cohort", "cohort:dashboard", ("staff",)),
    Page("cohort-groups", "cohort:groups", ("staff",)),
    Page("drill-down", "cohort:student", ("staff",), lambda w, p: {"enrollment_id": w.long_named.pk}),
    Page("shortlist", "cohort:shortlist", ("staff",)),
    Page("enroll", "cohort:enroll", ("staff",)),
    Page("enroll-status", "cohort:enroll_status", ("staff",), lambda w, p: {"import_id": w.enrollment_import.pk}),
    Page("emails-preview", "emails_preview", ("staff",)),
    Page("events-staff", "events:staff_list", ("staff",)),
    Page("event-new", "events:staff_create", ("staff",)),
    Page("event-edit", "events:staff_edit", ("staff",), lambda w, p: {"pk": w.event.pk}),
    Page("event-cancel", "events:staff_cancel", ("staff",), lambda w, p: {"pk": w.event.pk}),
    Page("form-groups", "groups:form", ("staff",)),
    Page("forming-status", "groups:forming_status", ("staff",), lambda w, p: {"run_id": w.run.pk}),
    Page("not-found", None, ("visitor", *STUDENTS, "staff"), status=404),
)
# Addresses that are not pages a person reads: files, feeds, redirects, machine endpoints.
NOT_PAGES = {
    "healthz": "a health check for the load balancer",
    "favicon": "the icon file",
    "progress:schedule_ics": "a calendar feed",
    "cohort:export": "a CSV download",
    "integrations:slack_command": "Slack's webhook",
}
PEOPLE = ("visitor", "student", "mentor", "staff")


def test_every_page_of_the_url_resolver_is_screenshotted():
    listed = {page.url_name for page in PAGES}
    # The JSON API answers in JSON, and its documentation is Swagger UI's page; its tokens page is ours.
    pages = {name for name in named_patterns() if not name.startswith("api:")} | {"api:tokens"}
    missing = pages - listed - set(NOT_PAGES) - POST_ONLY
    assert not missing, f"add these pages to PAGES (or NOT_PAGES, saying why): {sorted(missing)}"


def _address(page: Page, world, person: str) -> str:
    if page.url_name is None:
        return "/no-such-page/"
    return reverse(page.url_name, kwargs=page.kwargs(world, person))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("person", PEOPLE)
def test_every_page_fits_the_screen_and_shows_no_template_source(signed_in, world, person, width):
    page = signed_in(person, width)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    folder = SCREENSHOTS / f"{person}-{width}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    problems = []
    for number, entry in enumerate(entry for entry in PAGES if person in entry.people):
        address = _address(entry, world, person)
        response = page.goto(page.base + address)
        page.wait_for_load_state("load")
        page.screenshot(path=str(folder / f"{number:02d}-{entry.slug}.png"), full_page=True)
        if response.status != entry.status:
            problems.append(f"{address}: HTTP {response.status}, not {entry.status}")
        problems += [f"{address}: {problem}" for problem in layout_problems(page) + text_problems(page)]
        # The browser reports a page's own 404 as a console error; nothing else may fail.
        problems += [f"{address}: console: {error}" for error in errors if not (entry.status == 404 and "404" in error)]
        errors.clear()
    assert not problems, f"{person} at {width} px:\n" + "\n".join(problems)
