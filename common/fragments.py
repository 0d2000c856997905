"""Keys for fragments drawn once and reused with Django's {% cache %} tag."""

import functools
import hashlib

from django.template.loader import get_template


@functools.cache
def templates_version(*names: str) -> str:
    """Changes with the named templates' source, so after a deploy no fragment drawn by the old ones is served."""
    sources = "".join(get_template(name).template.source for name in names)
    return hashlib.sha256(sources.encode()).hexdigest()[:8]


def values_key(values, *templates: str) -> str:
    """Names a fragment the named templates draw from `values` alone (a form not yet sent, say): a new name when a
    value or a template changes."""
    seen = "|".join(str(value) for value in values)
    return f"{hashlib.sha256(seen.encode()).hexdigest()[:24]}:{templates_version(*templates)}"
