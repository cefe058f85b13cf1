"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def apply_validation_error(
    form: forms.Form, error: ValidationError, default_field: str | None = None
) -> None:
    """Put a service's ValidationError onto a bound form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(default_field if default_field in form.fields else None, error.messages)


class LongSelect(forms.Select):
    """A select of hundreds or thousands of options (every organisation node of a district), written in
    one pass. Django renders each option through its own template: 1,300 nodes took 150 ms a page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"],
                        mark_safe(" selected") if option["selected"] else "",
                        option["label"],
                    )
                )
        parts.append("</select>")
        return mark_safe("".join(parts))
