"""Writes on accounts: creating users, granting and revoking roles, login success/failure, unlocking."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.roles import NODE_ROLES, ROLE_NODE_KINDS, SELF_ROLES, SYSTEM_ROLES, Role
from linli.core.scope import scope_for
from linli.orgs.models import OrgNode

from .models import RoleGrant, User


def _require_manager(actor: Any) -> None:
    if not scope_for(actor).has_perm("accounts.manage"):
        raise PermissionDenied("只有系统管理员可以管理账号。")


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str = "",
    person=None,
    must_change_password: bool = True,
    check_actor: bool = True,
) -> User:
    if check_actor:
        _require_manager(actor)
    username = username.strip()
    if not username:
        raise ValidationError({"username": "请填写用户名。"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"用户名「{username}」已存在。"})
    user = User(
        username=username, display_name=display_name, person=person, must_change_password=must_change_password
    )
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=user, changes={"username": [None, username]})
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, display_name: str, person=None, is_active: bool) -> User:
    _require_manager(actor)
    if user.pk == actor.pk and not is_active:
        raise ValidationError("不能停用自己的账号。")
    before = {"display_name": user.display_name, "person": user.person_id, "is_active": user.is_active}
    user.display_name, user.person, user.is_active = display_name, person, is_active
    user.save(update_fields=["display_name", "person", "is_active"])
    after = {"display_name": user.display_name, "person": user.person_id, "is_active": user.is_active}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=user, changes=changes)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str, must_change: bool) -> None:
    """Set a password: by the user themselves, or reset by the system administrator."""
    if actor.pk != user.pk:
        _require_manager(actor)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(
        actor=actor, action=AuditAction.PASSWORD, target=user, note="重置密码" if must_change else "修改密码"
    )


@transaction.atomic
def role_grant(
    *, actor: Any, user: User, role: str, node: OrgNode | None = None, check_actor: bool = True
) -> RoleGrant:
    """Grant a role, keeping 三员分立: a system role never shares a user with any other role."""
    if check_actor:
        _require_manager(actor)
        if role == Role.SYSADMIN:
            raise PermissionDenied("系统管理员账号只能在安装时通过命令行创建。")
        if user.pk == actor.pk:
            raise PermissionDenied("不能给自己授权。")
    role = Role(role)
    existing = set(RoleGrant.objects.filter(user=user, is_active=True).values_list("role", flat=True))
    if role in SYSTEM_ROLES and existing - {role}:
        raise ValidationError("三员分立：系统管理员、安全管理员、审计管理员不能兼任其他角色。")
    if role not in SYSTEM_ROLES and existing & SYSTEM_ROLES:
        raise ValidationError("三员分立：该账号已是系统类管理员，不能再授予业务角色。")
    if role in NODE_ROLES:
        if node is None:
            raise ValidationError("请选择授权的组织节点。")
        if node.kind not in ROLE_NODE_KINDS[role]:
            raise ValidationError(
                f"「{role.label}」只能授予在{'、'.join(sorted(ROLE_NODE_KINDS[role]))}类节点上。"
            )
    elif node is not None:
        raise ValidationError(f"「{role.label}」不需要选择组织节点。")
    if role in SELF_ROLES and user.person_id is None:
        raise ValidationError(f"「{role.label}」角色须先关联人员档案。")
    if RoleGrant.objects.filter(user=user, role=role, node=node, is_active=True).exists():
        raise ValidationError("该账号已有此授权。")
    grant = RoleGrant.objects.create(
        user=user, role=role, node=node, granted_by_name=actor.get_username() if actor else "系统"
    )
    audit_record(
        actor=actor,
        action=AuditAction.GRANT,
        target=user,
        changes={"role": [None, role.label]},
        note=str(node or ""),
    )
    user.forget_scope()
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleGrant) -> None:
    _require_manager(actor)
    if grant.role == Role.SYSADMIN:
        raise PermissionDenied("系统管理员授权不能在界面中撤销。")
    RoleGrant.objects.filter(pk=grant.pk).update(is_active=False)
    audit_record(
        actor=actor,
        action=AuditAction.REVOKE,
        target=grant.user,
        changes={"role": [grant.get_role_display(), None]},
        note=str(grant.node or ""),
    )


def login_failure_record(*, username: str) -> User | None:
    """Count a failed login; lock the account after the configured number of failures."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        if user is not None:
            user.failed_login_count = F("failed_login_count") + 1
            user.save(update_fields=["failed_login_count"])
            user.refresh_from_db(fields=["failed_login_count"])
            if user.failed_login_count >= settings.LINLI_LOGIN_MAX_FAILURES:
                user.locked_until = timezone.now() + timedelta(minutes=settings.LINLI_LOGIN_LOCK_MINUTES)
                user.failed_login_count = 0
                user.save(update_fields=["locked_until", "failed_login_count"])
                audit_record(actor=None, action=AuditAction.LOCK, target=user, note="连续登录失败，自动锁定")
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            target_type="accounts.user",
            target_id=user.pk if user else "",
            target_repr=username[:150],
        )
    return user


def login_success_record(*, user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        audit_record(actor=user, action=AuditAction.LOGIN, target=user)


def logout_record(*, user: User) -> None:
    audit_record(actor=user, action=AuditAction.LOGOUT, target=user)


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> None:
    if not scope_for(actor).has_perm("accounts.security"):
        raise PermissionDenied("只有安全管理员可以解锁账号。")
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    audit_record(actor=actor, action=AuditAction.UNLOCK, target=user)
