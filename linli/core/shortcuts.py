"""The one door from a view to a scoped object: the same 404 for 'does not exist' and 'not yours'."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from .scope import scope_for


def get_visible_or_404(
    source: type[models.Model] | models.QuerySet, user: Any, permission: str | None = None, **lookup: Any
) -> Any:
    """Fetch one row through the model's scope door; missing and out-of-scope both raise Http404."""
    queryset = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    try:
        return queryset.visible_to(user, permission).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该记录，或您无权查看。") from None


def permission_required(permission: str) -> Callable:
    """Require login and a role carrying `permission` somewhere; otherwise 403 with a Chinese message."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not scope_for(request.user).has_perm(permission):
                raise PermissionDenied("您的角色无权使用此功能。")
            return view(request, *args, **kwargs)

        wrapped.linli_permission = permission  # type: ignore[attr-defined]
        return login_required(wrapped)

    return decorator


def require_perm_at(user: Any, permission: str, path: str) -> None:
    """Raise PermissionDenied unless a node role with `permission` covers `path` (used by services)."""
    if not scope_for(user).has_perm_at(permission, path):
        raise PermissionDenied("您无权对该范围执行此操作。")
