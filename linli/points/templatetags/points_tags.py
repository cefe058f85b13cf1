"""Template filters for points: 2.00 → 2, signed amounts, stage badges."""

from decimal import Decimal

from django import template

from ..util import fmt

register = template.Library()


@register.filter
def pts(value):
    """Points as people write them: 2.00 → 2, 2.50 → 2.5."""
    return fmt(value) if value not in (None, "") else "—"


@register.filter
def signed(value):
    """+2 / −3 for ledger amounts."""
    if value in (None, ""):
        return "—"
    number = Decimal(value)
    return ("+" if number > 0 else "") + fmt(number)


STATUS_COLOURS = {
    "submitted": "warning",
    "approved": "success",
    "adjusted": "info",
    "rejected": "danger",
    "withdrawn": "secondary",
    "revoked": "secondary",
    "applied": "warning",
    "recommended": "info",
    "open": "warning",
    "upheld": "success",
    "dismissed": "secondary",
    "draft": "warning",
    "published": "success",
    "superseded": "secondary",
}


@register.filter
def status_colour(value):
    return STATUS_COLOURS.get(str(value), "light")
