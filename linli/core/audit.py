"""The audit service: one way to record who did what, when, from where, with masked before/after values."""

from typing import Any

from django.db import models

from . import clock
from .bulk import bulk_insert
from .choices import AuditAction
from .context import current_request_meta
from .models import AuditEntry


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_name": "系统"}
    return {"actor_id": actor.pk, "actor_name": actor.get_username()}


def audit_build(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: Any = "",
    target_repr: str = "",
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """An unsaved entry, for services that write many at once with bulk_create."""
    meta = current_request_meta()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_repr = target_repr or str(target)
    return AuditEntry(
        at=clock.now(),
        **_actor_fields(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id or ""),
        target_repr=str(target_repr)[:200],
        changes=changes or {},
        note=note,
        ip=meta.ip,
        user_agent=meta.user_agent,
    )


def audit_record(**kwargs: Any) -> AuditEntry:
    """Write one audit entry now (inside the caller's transaction, so it rolls back with the change)."""
    entry = audit_build(**kwargs)
    entry.save()
    return entry


def audit_bulk(entries: list[AuditEntry]) -> None:
    bulk_insert(entries, batch_size=2000)


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for fields whose value changed; values must already be masked."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


__all__ = ["AuditAction", "audit_build", "audit_bulk", "audit_record", "diff_fields"]
