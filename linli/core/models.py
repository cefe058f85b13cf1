"""Core records shared by every app: the audit log, state-machine transitions and the working-day calendar."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .choices import AuditAction


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} 只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} 只能追加，不能删除。")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} 只能追加，不能修改。")


class AppendOnlyModel(models.Model):
    """A row that is written once and never updated or deleted through the application."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} 只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} 只能追加，不能删除。")


class AuditEntry(AppendOnlyModel):
    """One audited act: who, when, what, from where, with before/after values (personal data masked).

    The actor is kept as an id and a name snapshot, not a foreign key, so that the log outlives
    accounts and cannot be rewritten through a cascade.
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, db_index=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices, db_index=True)
    target_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    target_id = models.CharField("对象ID", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    ip = models.GenericIPAddressField("来源IP", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.target_repr}"


class TransitionRecord(AppendOnlyModel):
    """One step of an explicit state machine (points year, service order, case…): who moved what, when, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField(db_index=True)
    machine = models.CharField("流程", max_length=60)
    transition = models.CharField("操作", max_length=60)
    transition_label = models.CharField("操作名称", max_length=60, blank=True)
    from_state = models.CharField("原状态", max_length=40)
    to_state = models.CharField("新状态", max_length=40)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="core_transition_obj_idx")]

    def __str__(self) -> str:
        return f"{self.machine}: {self.from_state} → {self.to_state}"

    def _label(self, state: str) -> str:
        from .statemachine import MACHINES  # the machines import this module

        machine = MACHINES.get(self.machine)
        return machine.state_label(state) if machine else state

    @property
    def from_label(self) -> str:
        return self._label(self.from_state)

    @property
    def to_label(self) -> str:
        return self._label(self.to_state)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday, or a weekend made a working day (调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=60, blank=True)

    class Meta:
        verbose_name = "工作日历"
        verbose_name_plural = "工作日历"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.note}"
