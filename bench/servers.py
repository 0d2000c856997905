"""What the benchmark scripts share about the servers they start and the pages they fetch."""

import http.client
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Browser:
    """A cookie-keeping client that does not follow redirects and records which server answered (nginx's X-Upstream)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    class _FromAddress(urllib.request.HTTPHandler):
        """Connects from a chosen loopback address (127.0.0.2, ...), so a proxy sees several clients."""

        def __init__(self, source: str):
            super().__init__()
            self.source = source

        def http_open(self, req):
            return self.do_open(http.client.HTTPConnection, req, source_address=(self.source, 0))

    def __init__(self, base_url: str, *, source: str | None = None, headers: dict | None = None):
        self.base_url = base_url
        handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect()]
        if source:
            handlers.append(self._FromAddress(source))
        self.opener = urllib.request.build_opener(*handlers)
        self.headers = headers or {}
        self.upstreams: list[str] = []

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers={"Referer": self.base_url + path, **self.headers})
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            text = response.read().decode("utf-8", "replace")
            headers = dict(response.headers)
        if "X-Upstream" in headers:
            self.upstreams.append(headers["X-Upstream"])
        return response.status, text, headers

    def form_post(self, path: str, data: dict) -> tuple[int, str, dict]:
        """GET the form, then POST it with its CSRF token."""
        _, page, _ = self.request(path)
        return self.request(path, {"csrfmiddlewaretoken": csrf_token(page), **data})

    def follow(self, response: tuple[int, str, dict]) -> str:
        status, text, headers = response
        assert status == 302, f"expected a redirect, got {status}"
        while status == 302:
            status, text, headers = self.request(headers["Location"])
        return text

    def log_in(self, email: str, password: str, *, expect: int = 302) -> None:
        status, _, _ = self.form_post("/accounts/login/", {"username": email, "password": password})
        assert status == expect, f"login as {email} answered {status}, not {expect}"


def wait_until_healthy(base_url: str, seconds: float = 30) -> None:
    """Poll /healthz until it answers; a server that never does ends the run."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base_url}/healthz", timeout=2)
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    raise SystemExit(f"{base_url}/healthz did not answer within {seconds:.0f} s")
