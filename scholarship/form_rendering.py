"""Form HTML built in Python for the widgets and field layout every page uses.

Django renders each widget, and each <option> of a select, through the template engine; with
crispy's field template on top, the five fields of the study log form cost about half of that
page's time. The evening before the cut-off is mostly such pages, so the standard widgets and a
Bootstrap 5 field group are written here directly, with the markup the templates give.
A widget or layout this module does not know still goes through its template.
"""

from django.forms import CheckboxInput, Select
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

# The name BoundField.as_field_group renders; it has no file, only `_field_group` below.
BOOTSTRAP_FIELD = "scholarship/bootstrap_field.html"

_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel", "color", "checkbox")
}
_SELECT_OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: True gives a bare name, False leaves the attribute out."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != _SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n'
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _widget_html(template_name: str, widget: dict) -> str | None:
    if template_name in _INPUT_TEMPLATES:
        return _input(widget)
    if template_name == "django/forms/widgets/textarea.html":
        return _textarea(widget)
    if template_name == "django/forms/widgets/select.html":
        return _select(widget)
    return None


def _widget_classes(field, widget) -> str:
    """The classes crispy's Bootstrap 5 pack gives: the widget's name, then Bootstrap's own."""
    if isinstance(widget, CheckboxInput):
        bootstrap = "form-check-input"
    elif isinstance(widget, Select) and not widget.allow_multiple_selected:
        bootstrap = "form-select"
    else:
        bootstrap = "form-control"
    own = widget.attrs.get("class", "")
    invalid = " is-invalid" if field.errors else ""
    return f"{own} {type(widget).__name__.lower()} {bootstrap}{invalid}".strip()


def _errors(field) -> str:
    if not field.errors:
        return ""
    lines = "".join(
        format_html('<p id="error_{}_{}"><strong>{}</strong></p>', number, field.auto_id, error)
        for number, error in enumerate(field.errors, start=1)
    )
    return format_html('<div id="{}_error" class="invalid-feedback">', field.auto_id) + lines + "</div>"


def _help(field) -> str:
    if not field.help_text:
        return ""
    # Help text is trusted markup, as in Django's own templates.
    return format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, mark_safe(field.help_text))


def _field_group(field) -> str:
    """A Bootstrap 5 field: label, widget, errors, help, as crispy's field template lays it out."""
    widget = field.field.widget
    control = field.as_widget(attrs={"class": _widget_classes(field, widget)})
    if isinstance(widget, CheckboxInput):
        label = format_html('<label for="{}" class="form-check-label">{}</label>', field.id_for_label, field.label)
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}{}{}{}</div></div>',
            field.auto_id, control, label, mark_safe(_errors(field)), mark_safe(_help(field)),
        )
    label = ""
    if field.label:
        required = field.field.required
        label = format_html(
            '<label for="{}" class="form-label{}">{}{}</label>',
            field.id_for_label, " requiredField" if required else "", field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>', field.auto_id, label, control, mark_safe(_errors(field)), mark_safe(_help(field))
    )


class BootstrapFormRenderer(DjangoTemplates):
    """Django's template renderer with the common widgets and `as_field_group` done in Python."""

    field_template_name = BOOTSTRAP_FIELD

    def render(self, template_name, context, request=None):
        if template_name == BOOTSTRAP_FIELD:
            return _field_group(context["field"])
        if (widget := context.get("widget")) is not None and (html := _widget_html(template_name, widget)) is not None:
            return html
        return super().render(template_name, context, request)
