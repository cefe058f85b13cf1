"""Explicit state machines: one table of allowed transitions, the permission each needs, a record per step.

Used by the points year, service orders, cases, rectifications and ratings. A transition is applied
under a row lock, refuses a wrong source state or a user without the permission at the object's node,
and writes a TransitionRecord (and an audit entry) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from . import clock
from .audit import audit_record
from .choices import AuditAction
from .models import TransitionRecord
from .scope import scope_for

# Every declared machine by name, so a stored TransitionRecord can show its states in Chinese.
MACHINES: dict[str, StateMachine] = {}


class TransitionError(Exception):
    """A transition that the current state does not allow; the message is shown to the user."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str
    requires_note: bool = False
    is_undo: bool = False
    # A self-service permission checked by the object itself (`self_may(scope, transition_name)`), for rows
    # more than one person may move: a household's order, a service an elder's family member confirms.
    self_permission: str = ""


@dataclass
class StateMachine:
    """Declare once: `StateMachine(name="points_year", state_field="stage", states=Stage, transitions=[...])`."""

    name: str
    state_field: str
    states: type[models.TextChoices]
    transitions: Iterable[Transition]
    _by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        MACHINES[self.name] = self
        self.transitions = tuple(self.transitions)
        self._by_name = {t.name: t for t in self.transitions}
        valid = set(self.states.values)
        for t in self.transitions:
            unknown = (set(t.sources) | {t.target}) - valid
            if unknown:
                raise ValueError(f"{self.name}.{t.name}: unknown states {unknown}")

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise TransitionError(f"未知的操作：{name}") from None

    def state_label(self, state: str) -> str:
        return dict(self.states.choices).get(state, state)

    def available(self, obj: Any, user: Any) -> list[Transition]:
        """Transitions the user could apply to the object now (for buttons on a page)."""
        state = getattr(obj, self.state_field)
        scope = scope_for(user)
        return [t for t in self.transitions if state in t.sources and _may(scope, t, obj)]

    def apply(
        self,
        obj: models.Model,
        name: str,
        *,
        actor: Any,
        note: str = "",
        data: dict[str, Any] | None = None,
        before_save: Callable[[models.Model], None] | None = None,
        extra_update_fields: Iterable[str] = (),
    ) -> TransitionRecord:
        """Move `obj` along transition `name`. Raises TransitionError or PermissionDenied and changes nothing."""
        transition = self.get(name)
        with transaction.atomic():
            locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
            state = getattr(locked, self.state_field)
            if state not in transition.sources:
                raise TransitionError(
                    f"当前状态为「{self.state_label(state)}」，不能执行「{transition.label}」。"
                )
            if not _may(scope_for(actor), transition, locked):
                raise PermissionDenied(f"您没有执行「{transition.label}」的权限。")
            if (transition.requires_note or transition.is_undo) and not note.strip():
                raise TransitionError(f"执行「{transition.label}」必须填写原因。")
            setattr(locked, self.state_field, transition.target)
            if before_save is not None:
                before_save(locked)
            locked.save(update_fields=[self.state_field, *extra_update_fields])
            record = TransitionRecord.objects.create(
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=obj.pk,
                machine=self.name,
                transition=transition.name,
                transition_label=transition.label,
                from_state=state,
                to_state=transition.target,
                actor_id=actor.pk if actor is not None else None,
                actor_name=actor.get_username() if actor is not None else "系统",
                at=clock.now(),
                note=note,
                data=data or {},
            )
            audit_record(
                actor=actor,
                action=AuditAction.TRANSITION,
                target=locked,
                changes={self.state_field: [state, transition.target]},
                note=f"{transition.label}{'：' + note if note else ''}",
            )
        # Let the caller's object reflect the new state.
        for f in [self.state_field, *extra_update_fields]:
            setattr(obj, f, getattr(locked, f))
        return record

    def history(self, obj: models.Model) -> models.QuerySet[TransitionRecord]:
        return TransitionRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, machine=self.name
        ).order_by("at", "id")


def _may(scope: Any, transition: Transition, obj: Any) -> bool:
    """A node role with the permission over the object, or a self role acting on a row that is theirs.

    Self-service users (党员/居民) may apply a transition only when it names a `self_permission` they
    hold and the object agrees with `self_may(scope, transition_name)`: a member withdrawing their own
    claim, anyone of a household cancelling its order, a family member confirming a service for an elder.
    """
    if scope.has_perm_at(transition.permission, obj.get_scope_path()):
        return True
    if transition.self_permission and scope.self_has(transition.self_permission):
        self_may = getattr(obj, "self_may", None)
        return bool(self_may is not None and self_may(scope, transition.name))
    return False


def transition(
    name: str,
    label: str,
    sources: str | Iterable[str],
    target: str,
    permission: str,
    *,
    requires_note: bool = False,
    is_undo: bool = False,
    self_permission: str = "",
) -> Transition:
    srcs = frozenset([sources] if isinstance(sources, str) else sources)
    return Transition(name, label, srcs, target, permission, requires_note, is_undo, self_permission)
