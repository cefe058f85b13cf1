"""REST framework helpers shared by every app's api.py: the same permission door the pages use."""

from typing import Any

from rest_framework.permissions import BasePermission

from .scope import scope_for


def has_permission(permission: str) -> type[BasePermission]:
    """A DRF permission class: signed in and holding `permission` through some role (else 403).

    Like `core.shortcuts.permission_required` for pages; single objects still go through
    `get_visible_or_404`, so out-of-scope rows are 404 exactly as missing ones.
    """

    class HasLinliPermission(BasePermission):
        message = "您的角色无权使用此功能。"

        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            return bool(user and user.is_authenticated and scope_for(user).has_perm(permission))

    HasLinliPermission.__name__ = f"Has_{permission.replace('.', '_')}"
    return HasLinliPermission
