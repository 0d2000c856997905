"""Real-browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Without Chromium the journeys skip with the reason, except under REQUIRE_SERVICES=1 (CI), where a
missing browser fails. Every journey fails on a console error or a failed request, saves a full-page
screenshot per step under test-artifacts/, and checks each page with axe-core.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = problem or "Playwright for Python is not installed"
    if problem:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {problem}")
        pytest.skip(problem)
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Journey:
    """One browser context: records console errors and failed requests, screenshots and audits each step."""

    def __init__(self, browser, live_server, name: str, viewport=None, timezone_id=None):
        self.base = live_server.url
        self.context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, timezone_id=timezone_id, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.titles: dict[str, str] = {}
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.step_number = 0
        self.page.on("console", lambda message: message.type == "error" and self.problems.append(f"console: {message.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda request: self._failed(request))
        self.page.on("response", lambda response: response.status >= 400 and self.problems.append(f"{response.status} {response.url}"))

    def _failed(self, request):
        # A navigation that a click replaced, or a download, is not a failure the user sees.
        if request.failure not in {"net::ERR_ABORTED"}:
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def go(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def step(self, name: str, *, audit: bool = True) -> None:
        self.step_number += 1
        self.page.wait_for_load_state("load")
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.step_number:02d}-{slug}.png"), full_page=True)
        if audit:
            self.audit(name)

    def audit(self, name: str) -> None:
        page = self.page
        assert page.locator("h1").count() == 1, f"{name}: {page.locator('h1').count()} <h1> on {page.url}"
        title = page.title()
        path = page.url.split("#")[0].split("?")[0]
        assert self.titles.get(title, path) == path, f"{name}: title {title!r} also on {self.titles.get(title)}"
        self.titles[title] = path
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                  .map(el => el.name || el.id)"""
        )
        assert unlabelled == [], f"{name}: fields without a label {unlabelled}"
        page.evaluate(AXE)
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                  .filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"""
        )
        assert violations == [], f"{name}: accessibility {violations}"

    def no_horizontal_overflow(self, name: str) -> None:
        assert not self.page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"), f"{name}: overflows sideways"

    def close(self) -> None:
        self.context.close()
        assert self.problems == [], self.problems


@pytest.fixture
def journey(browser, live_server, request):
    started = []

    def start(viewport=None, name=None, timezone_id=None):
        item = Journey(browser, live_server, name or request.node.name, viewport, timezone_id)
        started.append(item)
        return item

    yield start
    for item in started:
        item.close()


@pytest.fixture
def world(transactional_db, live_server):
    """The demo cohort with long values on top (tests/browser/world.py), for pages seen by everyone in it."""
    from tests.browser.world import world_build

    return world_build()


@pytest.fixture
def signed_in(browser, live_server):
    """signed_in(who, width) -> a Playwright page at that width, signed in as `who`: "student", "mentor" or "staff"
    of the world (tests/browser/world.py), a user made by the factories, or nobody ("visitor"). Phones are
    375 x 812, desks 1280 x 900. The page's `base` is the live server's address."""
    from tests.browser.world import PASSWORDS
    from tests.factories import PASSWORD

    contexts = []

    def start(who, width: int):
        context = browser.new_context(viewport={"width": width, "height": 812 if width < 576 else 900})
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        if who != "visitor":
            email, password = PASSWORDS[who] if isinstance(who, str) else (who.email, PASSWORD)
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", email)
            page.fill("#id_password", password)
            page.click("button:has-text('Log in')")
            page.wait_for_load_state("load")
            assert "/accounts/login/" not in page.url, f"{email} could not log in"
        return page

    yield start
    for context in contexts:
        context.close()


@pytest.fixture
def studious(transactional_db, live_server):
    """A student three weeks into a course with three-digit hours: 113 h 45 min studied in all (6 h a day), 7 h 30 min
    of community time; the numbers whose units used to wrap."""
    import datetime as dt

    from tests.factories import CohortFactory, EnrollmentFactory, StudyLogFactory

    enrollment = EnrollmentFactory(cohort=CohortFactory(), user__full_name="Ada Lovelace")
    opens = enrollment.cohort.opens_on
    for day in range(19):
        StudyLogFactory(
            enrollment=enrollment, day=opens + dt.timedelta(days=day), minutes=345 if day == 18 else 360,
            community_minutes=450 if day == 3 else 0,
        )
    return enrollment
