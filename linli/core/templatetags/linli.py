"""Template helpers: Bootstrap form fields, query-string paging links, Chinese dates."""

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def bs_field(field, col: str = ""):
    """Render one bound field with Bootstrap classes, its errors and help text."""
    widget = field.field.widget
    css = "form-control"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    if isinstance(widget, forms.CheckboxInput):
        html = field.as_widget(attrs={"class": "form-check-input" + (" is-invalid" if field.errors else "")})
        out = format_html(
            '<div class="form-check mb-3 {}">{}<label class="form-check-label" for="{}">{}</label>',
            col,
            html,
            field.id_for_label,
            field.label,
        )
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        out = format_html(
            '<div class="mb-3 {}"><label class="form-label">{}</label><div>{}</div>',
            col,
            field.label,
            field.as_widget(),
        )
    else:
        attrs = {"class": css + (" is-invalid" if field.errors else "")}
        required = mark_safe('<span class="text-danger">*</span>') if field.field.required else ""
        out = format_html(
            '<div class="mb-3 {}"><label class="form-label" for="{}">{}{}</label>{}',
            col,
            field.id_for_label,
            field.label,
            required,
            field.as_widget(attrs=attrs),
        )
    for error in field.errors:
        out += format_html('<div class="invalid-feedback d-block">{}</div>', error)
    if field.help_text:
        out += format_html('<div class="form-text">{}</div>', field.help_text)
    return out + mark_safe("</div>")


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for paging and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def cn_date(value):
    """2024-07-01 → 2024年7月1日."""
    if not value:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
