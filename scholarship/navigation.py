"""The main menu, drawn in Python: every page shows it, and as a template its fifteen {% url %} tags
and resolver checks were a tenth of a cached page's time. The links are reversed once per process."""

import functools

from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# (label, URL name, what marks it as the current page: view names, or "app:" for a whole app)
STUDENT_LINKS = (
    ("Dashboard", "progress:dashboard", ("progress:dashboard",)),
    ("Plan", "progress:schedule", ("progress:schedule",)),
    ("Lessons", "lessons:list", ("app:lessons",)),
    ("Study log", "progress:log_list", ("progress:log_list",)),
    ("Summaries", "progress:summary_list", ("progress:summary_list", "progress:summary_write")),
    ("Community", "progress:community_summaries", ("progress:community_summaries",)),
    ("Project", "progress:project", ("progress:project",)),
)
STAFF_LINKS = (
    ("Cohort", "cohort:dashboard", ("app:cohort",)),
    ("Admin", "admin:index", ()),
)
ACCOUNT_NAMES = ("home", "progress:profile", "accounts:password_change", "accounts:logout", "accounts:login", "accounts:signup")


@functools.cache
def _urls(script_prefix: str) -> dict[str, str]:
    """Every menu URL, reversed once for each script prefix the process serves under."""
    return {name: reverse(name) for name in (*(link[1] for link in STUDENT_LINKS + STAFF_LINKS), *ACCOUNT_NAMES)}


@functools.cache
def _links(script_prefix: str, is_student: bool, is_staff: bool) -> tuple[tuple[tuple[str, ...], SafeString, SafeString], ...]:
    """Each menu link drawn once per process: (what marks it current, drawn plain, drawn current)."""
    urls = _urls(script_prefix)
    return tuple(
        (
            marks,
            format_html('  <li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', urls[name], label),
            format_html('  <li class="nav-item"><a class="nav-link active" href="{}" aria-current="page">{}</a></li>', urls[name], label),
        )
        for label, name, marks in (STUDENT_LINKS if is_student else ()) + (STAFF_LINKS if is_staff else ())
    )


def _is_current(match, marks: tuple[str, ...]) -> bool:
    if match is None:
        return False
    return any(mark == f"app:{match.app_name}" if mark.startswith("app:") else mark == match.view_name for mark in marks)


def main_nav(*, request, user, is_student: bool, csrf_token: str) -> SafeString:
    """The menu for whoever is signed in: student pages only for someone enrolled (staff who only run the
    cohort would get a 403 on each), staff pages only for staff."""
    prefix = get_script_prefix()
    urls = _urls(prefix)
    if not user.is_authenticated:
        return format_html(
            '<ul class="navbar-nav ms-auto">\n'
            '  <li class="nav-item"><a class="nav-link" href="{}">Log in</a></li>\n'
            '  <li class="nav-item"><a class="nav-link" href="{}">Sign up</a></li>\n'
            "</ul>",
            urls["accounts:login"], urls["accounts:signup"],
        )
    match = getattr(request, "resolver_match", None)
    links = _links(prefix, is_student, user.is_staff)
    items = mark_safe("\n".join(current if _is_current(match, marks) else plain for marks, plain, current in links))
    profile = format_html('      <li><a class="dropdown-item" href="{}">Profile and email choices</a></li>\n', urls["progress:profile"]) if is_student else ""
    return format_html(
        '<ul class="navbar-nav me-auto">\n{}\n</ul>\n'
        '<ul class="navbar-nav">\n'
        '  <li class="nav-item dropdown">\n'
        '    <button class="nav-link dropdown-toggle btn btn-link" type="button" data-bs-toggle="dropdown" aria-expanded="false">{}</button>\n'
        '    <ul class="dropdown-menu dropdown-menu-end">\n'
        '{}'
        '      <li><a class="dropdown-item" href="{}">Change password</a></li>\n'
        '      <li><hr class="dropdown-divider"></li>\n'
        '      <li><form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="dropdown-item">Log out</button></form></li>\n'
        "    </ul>\n"
        "  </li>\n"
        "</ul>",
        items, user.get_short_name(), profile, urls["accounts:password_change"], urls["accounts:logout"], csrf_token,
    )


def home_url() -> str:
    return _urls(get_script_prefix())["home"]
