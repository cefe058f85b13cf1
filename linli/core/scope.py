"""Scope: who may see what. A role granted on a tree node covers its subtree; self roles cover oneself.

Every model that holds scoped rows exposes `Model.objects.visible_to(user, permission)` built on
`ScopedQuerySet`; views and API endpoints never filter by organisation by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Q

from .roles import NODE_ROLES, SELF_ROLES, SYSTEM_ROLES, role_has_permission


@dataclass(frozen=True)
class Grant:
    role: str
    node_id: int | None = None
    path: str = ""
    node_name: str = ""
    node_kind: str = ""


@dataclass(frozen=True)
class Scope:
    """What one user may reach: their role grants plus their own person and household."""

    user_id: int | None = None
    grants: tuple[Grant, ...] = ()
    person_id: int | None = None
    household_id: int | None = None
    member_id: int | None = None
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    @property
    def is_system(self) -> bool:
        return bool(self.roles & SYSTEM_ROLES)

    def has_perm(self, permission: str) -> bool:
        return any(role_has_permission(g.role, permission) for g in self.grants)

    def paths_for(self, permission: str) -> list[str]:
        """Tree paths where the user holds `permission`, without paths already covered by a shorter one."""
        key = f"paths:{permission}"
        if key not in self._cache:
            paths = sorted(
                {
                    g.path
                    for g in self.grants
                    if g.role in NODE_ROLES and g.path and role_has_permission(g.role, permission)
                }
            )
            collapsed: list[str] = []
            for path in paths:
                if not any(path.startswith(kept) for kept in collapsed):
                    collapsed.append(path)
            self._cache[key] = collapsed
        return self._cache[key]

    def has_perm_at(self, permission: str, path: str) -> bool:
        """True when a node role carrying `permission` covers the node at `path`."""
        return any(path.startswith(p) for p in self.paths_for(permission))

    def self_has(self, permission: str) -> bool:
        """True when a self-service role (党员/居民) carries `permission` for the user's own rows."""
        return any(g.role in SELF_ROLES and role_has_permission(g.role, permission) for g in self.grants)

    def grants_with(self, permission: str) -> list[Grant]:
        return [g for g in self.grants if role_has_permission(g.role, permission)]


EMPTY_SCOPE = Scope()


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    return user.get_scope()


def path_q(paths: list[str], path_field: str) -> Q | None:
    if not paths:
        return None
    return reduce(or_, (Q(**{f"{path_field}__startswith": p}) for p in paths))


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to tree nodes; subclasses say where the node path is.

    `scope_path_field` names the path of the row's node (e.g. "node__path"); `scope_self_q`
    returns the rows a self-service user owns (or None); `default_permission` is the view
    permission used when the caller does not name one.
    """

    scope_path_field: str = "node__path"
    default_permission: str = ""

    def scope_self_q(self, scope: Scope) -> Q | None:
        return None

    def scope_path_q(self, paths: list[str], field: str = "") -> Q | None:
        """Rows whose node lies under one of `paths`, as nested id lists along the foreign keys.

        `branch_year__branch__node__path` becomes "branch_year_id in (years whose branch_id in
        (organisations whose node_id in (nodes under the paths)))": every step is answered from a
        foreign-key index, so a community's rows are found without joining every row of the district
        to its node to test the path. A chain through anything but forward foreign keys keeps the join.
        `field` names another path than `scope_path_field` (a second way into scope).
        """
        if not paths:
            return None
        field = field or self.scope_path_field
        *hops, column = field.split("__")
        if not hops:
            return path_q(paths, column)
        fields, model = [], self.model
        for hop in hops:
            f = model._meta.get_field(hop)
            if not (f.many_to_one or (f.one_to_one and f.concrete)):
                return path_q(paths, field)
            fields.append(f)
            model = f.related_model
        inner = model._base_manager.filter(path_q(paths, column)).values("pk")
        for f in reversed(fields[1:]):
            inner = f.model._base_manager.filter(**{f"{f.attname}__in": inner}).values("pk")
        return Q(**{f"{fields[0].attname}__in": inner})

    def scope_q(self, scope: Scope, permission: str) -> Q | None:
        """The condition for rows `scope` may reach with `permission`; None means nothing."""
        parts = []
        node_q = self.scope_path_q(scope.paths_for(permission))
        if node_q is not None:
            parts.append(node_q)
        if scope.self_has(permission):
            own = self.scope_self_q(scope)
            if own is not None:
                parts.append(own)
        return reduce(or_, parts) if parts else None

    def visible_to(self, user: Any, permission: str | None = None) -> ScopedQuerySet:
        """Deny by default: rows in the user's subtrees for `permission`, plus their own rows."""
        q = self.scope_q(scope_for(user), permission or self.default_permission)
        return self.filter(q) if q is not None else self.none()
