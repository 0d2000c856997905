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


# A form not yet sent is drawn once per set of values it starts from (values_key); ten minutes bounds how long a
# label drawn from data, such as a lesson's title, may lag a staff edit.
FORM_FIELDS_CACHE_SECONDS = 600


def form_fields_drawing(values, template: str) -> dict:
    """What `{% cache fields_cache_seconds <name> fields_cache_key %}` around `template` reads, for a form not yet sent."""
    return {"fields_cache_key": values_key(values, template), "fields_cache_seconds": FORM_FIELDS_CACHE_SECONDS}
