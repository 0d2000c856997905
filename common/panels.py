"""Parts of a page rendered by apps that sit above the app owning the page.

Dependencies run one way (common, accounts, lessons, progress, review, notifications): the dashboard in
`progress` can not import what `groups` or `events` know, nor the staff pages in `review` what
`notifications` knows. So a page declares a `Panels` and the apps above register into it from their
AppConfig.ready, as apps register models with the admin.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class _Panel:
    template: str
    context: Callable[..., dict | None]
    order: int


class Panels:
    def __init__(self, name: str):
        self.name = name
        self._panels: dict[str, _Panel] = {}

    def register(self, key: str, *, template: str, context: Callable[..., dict | None], order: int = 100) -> None:
        """`context(**what the page passes)` returns the template's context, or None to render nothing."""
        self._panels[key] = _Panel(template=template, context=context, order=order)

    def render(self, *, request=None, **kwargs) -> list[SafeString]:
        rendered = []
        for panel in sorted(self._panels.values(), key=lambda panel: panel.order):
            context = panel.context(request=request, **kwargs)
            if context is not None:
                rendered.append(render_to_string(panel.template, context, request=request))
        return rendered
