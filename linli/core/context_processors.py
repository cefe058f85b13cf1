"""Template context shared by every page: the menu and the user's role labels."""

from .navigation import items_for
from .roles import Role
from .scope import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    labels = dict(Role.choices)
    return {
        "nav_items": items_for(user),
        "user_roles": [
            f"{labels.get(g.role, g.role)}{'·' + g.node_name if g.node_name else ''}" for g in scope.grants
        ],
    }
