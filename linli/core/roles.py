"""Roles a user can hold and the permissions each role carries; apps register their permissions here."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import models


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区管理员"
    STREET_ADMIN = "street_admin", "街道管理员"
    COMMUNITY_ADMIN = "community_admin", "社区管理员/书记"
    GRID_WORKER = "grid_worker", "网格员"
    UNIT_CONTACT = "unit_contact", "驻区单位联系人"
    MEMBER = "member", "党员"
    RESIDENT = "resident", "居民"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


# Roles granted on a tree node: they apply to the node's whole subtree.
NODE_ROLES = frozenset(
    {Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_ADMIN, Role.GRID_WORKER, Role.UNIT_CONTACT}
)
# Self-service roles: they apply to the user's own person (and, for residents, household).
SELF_ROLES = frozenset({Role.MEMBER, Role.RESIDENT})
# 三员分立: three system roles kept apart from each other and from business roles.
SYSTEM_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})

# Which node kinds a node role may be granted on.
ROLE_NODE_KINDS = {
    Role.DISTRICT_ADMIN: {"district"},
    Role.STREET_ADMIN: {"street"},
    Role.COMMUNITY_ADMIN: {"community"},
    Role.GRID_WORKER: {"grid", "area"},
    Role.UNIT_CONTACT: {"unit"},
}

STAFF = frozenset({Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_ADMIN, Role.GRID_WORKER})
MANAGERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_ADMIN, Role.COMMUNITY_ADMIN})

_labels: dict[str, str] = {}
_role_permissions: dict[str, set[str]] = defaultdict(set)


def register_permissions(permissions: dict[str, tuple[str, Iterable[str]]]) -> None:
    """Declare permissions as {code: (中文说明, roles that hold it)}; called from each app's access.py."""
    for code, (label, roles) in permissions.items():
        _labels[code] = label
        for role in roles:
            _role_permissions[str(role)].add(code)


def role_has_permission(role: str, permission: str) -> bool:
    return permission in _role_permissions.get(str(role), ())


def permission_label(permission: str) -> str:
    return _labels.get(permission, permission)


def all_permissions() -> dict[str, str]:
    return dict(_labels)


def permissions_of(role: str) -> frozenset[str]:
    return frozenset(_role_permissions.get(str(role), ()))
