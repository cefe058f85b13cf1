"""The menu: each app registers its entries in nav.py; a user sees the entries their roles allow."""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from .scope import scope_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    icon: str = "circle"
    group: str = ""
    order: int = 100


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)


def items_for(user: Any) -> list[dict[str, Any]]:
    scope = scope_for(user)
    allowed = [item for item in _items if scope.has_perm(item.permission)]
    # A group sits where its first entry sits, and its entries stay together under one heading.
    group_rank: dict[str, int] = {}
    for item in allowed:
        group_rank[item.group] = min(item.order, group_rank.get(item.group, item.order))
    visible = []
    for item in sorted(allowed, key=lambda i: (group_rank[i.group], i.group, i.order, i.label)):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "icon": item.icon, "group": item.group})
    return visible
