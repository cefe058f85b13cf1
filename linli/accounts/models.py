"""Users and their role grants; a grant on a tree node covers that node's subtree."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from linli.core.roles import SELF_ROLES, Role
from linli.core.scope import Grant, Scope
from linli.orgs.models import OrgNode


class User(AbstractUser):
    """A login. Staff act through role grants; members and residents are linked to their person."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name="对应人员",
    )
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def get_scope(self) -> Scope:
        """Grants and own rows, loaded once per request (two small queries at most)."""
        cached = getattr(self, "_linli_scope", None)
        if cached is not None:
            return cached
        grants = tuple(
            Grant(
                role=g.role,
                node_id=g.node_id,
                path=g.node.path if g.node_id else "",
                node_name=g.node.name if g.node_id else "",
                node_kind=g.node.kind if g.node_id else "",
            )
            for g in self.grants.filter(is_active=True).select_related("node").order_by("id")
        )
        household_id = member_id = None
        if self.person_id and any(g.role in SELF_ROLES for g in grants):
            from linli.people.models import Person

            row = Person.objects.filter(pk=self.person_id).values_list("household_id", "member__id").first()
            if row:
                household_id, member_id = row
        scope = Scope(
            user_id=self.pk,
            grants=grants,
            person_id=self.person_id,
            household_id=household_id,
            member_id=member_id,
        )
        self._linli_scope = scope
        return scope

    def forget_scope(self) -> None:
        self.__dict__.pop("_linli_scope", None)


class RoleGrant(models.Model):
    """A role held by a user on a tree node (node roles), on themselves (党员/居民) or system-wide (三员)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants", verbose_name="用户")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    node = models.ForeignKey(
        OrgNode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name="授权节点",
    )
    is_active = models.BooleanField("有效", default=True)
    granted_at = models.DateTimeField("授予时间", default=timezone.now)
    granted_by_name = models.CharField("授予人", max_length=150, blank=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        ordering = ["user_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "node"],
                condition=Q(is_active=True),
                name="accounts_grant_unique_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.node or ''}".strip()
