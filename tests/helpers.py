import re


def form_errors(response) -> list[str]:
    """The error messages a student sees on a re-shown form (field and form-wide)."""
    html = response.content.decode()
    field = re.findall(r'<p id="error_\d+_id_\w+"><strong>(.*?)</strong></p>', html, flags=re.S)
    general = re.findall(r'<div class="alert alert-danger">(.*?)</div>\s*(?:<div|\{|<input|$)', html, flags=re.S)
    general = [re.sub(r"<[^>]+>", " ", block).strip() for block in general]
    return field + general


def text_of(response, name: str) -> str:
    """The text of the element marked data-testid=name."""
    match = re.search(rf'data-testid="{name}">([^<]*)<', response.content.decode())
    assert match, f"no element with data-testid={name!r} on the page"
    return match.group(1).strip()
