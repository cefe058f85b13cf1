"""Opening depositors (开户) for residents, households and units, and revoking lost cards."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from linli.core import clock
from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.scope import scope_for
from linli.ledger.services import account_open, currency_get
from linli.orgs.choices import NodeKind
from linli.orgs.models import Household, OrgNode
from linli.people.choices import PersonStatus
from linli.people.models import Person

from ..choices import HOURS_CURRENCY, POINTS_CURRENCY, DepositorKind
from ..codes import short_code_new
from ..models import Depositor

OPEN_PERMISSIONS = ("bank.card", "bank.earn")


def community_of(node: OrgNode) -> OrgNode | None:
    """The community a grid, area, unit or community node belongs to (read from the materialised path)."""
    if node.kind == NodeKind.COMMUNITY:
        return node
    return OrgNode.objects.filter(pk__in=node.ancestor_ids, kind=NodeKind.COMMUNITY).first()


def _unique_short_code() -> str:
    while True:
        code = short_code_new()
        if not Depositor.objects.filter(short_code=code).exists():
            return code


def _require_open_right(
    actor: Any,
    node: OrgNode,
    *,
    person_id: int | None,
    household_id: int | None,
    person_household_id: int | None = None,
) -> None:
    scope = scope_for(actor)
    if any(scope.has_perm_at(p, node.path) for p in OPEN_PERMISSIONS):
        return
    if scope.self_has("bank.self") and (
        (person_id and person_id == scope.person_id)
        or (household_id and household_id == scope.household_id)
        or (person_id and scope.household_id and person_household_id == scope.household_id)
    ):
        # Oneself, one's household, or a family member (to pass them hours: 爱心接力).
        return
    raise PermissionDenied("您无权为该储户开户。")


def _owner_facts(
    person: Person | None, household: Household | None, unit: OrgNode | None
) -> tuple[str, Any, OrgNode, str]:
    if sum(x is not None for x in (person, household, unit)) != 1:
        raise ValueError("exactly one of person, household, unit")
    if person is not None:
        if person.status != PersonStatus.ACTIVE:
            raise ValidationError("该人员不是在册状态，不能开立积分账户。")
        return DepositorKind.PERSON, person, person.node, person.name
    if household is not None:
        return DepositorKind.HOUSEHOLD, household, household.grid, f"{household.label}（户）"
    if unit.kind != NodeKind.UNIT:
        raise ValidationError("只有驻区单位可以作为单位储户开户。")
    return DepositorKind.UNIT, unit, unit, unit.name


@transaction.atomic
def depositor_open(
    *,
    actor: Any,
    person: Person | None = None,
    household: Household | None = None,
    unit: OrgNode | None = None,
) -> Depositor:
    """The depositor of a resident, household or unit, opened on first use; follows the owner if it moved.

    Residents get a points account and a time-bank account; households and units a points account.
    """
    kind, owner, node, name = _owner_facts(person, household, unit)
    _require_open_right(
        actor,
        node,
        person_id=person.pk if person is not None else None,
        household_id=household.pk if household is not None else None,
        person_household_id=person.household_id if person is not None else None,
    )
    # Lock the owner row so that two first uses at the same moment open one depositor, not two.
    type(owner)._base_manager.select_for_update().get(pk=owner.pk)
    community = community_of(node)
    if community is None:
        raise ValidationError("该储户不在任何社区之下，无法开立积分账户。")
    holder = person.pk if person is not None else None
    existing = Depositor.objects.filter(**{kind: owner}).first()
    points = account_open(
        currency=currency_get(POINTS_CURRENCY),
        owner=owner,
        scope_path=node.path,
        label=name,
        holder_person_id=holder,
    )
    hours = None
    if kind == DepositorKind.PERSON:
        hours = account_open(
            currency=currency_get(HOURS_CURRENCY),
            owner=owner,
            scope_path=node.path,
            label=name,
            holder_person_id=holder,
        )
    if existing is not None:
        if (existing.node_id, existing.community_id, existing.name) != (node.pk, community.pk, name):
            before = {"node": existing.node_id, "community": existing.community_id, "name": existing.name}
            existing.node, existing.community, existing.name = node, community, name
            existing.save(update_fields=["node", "community", "name"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=existing,
                changes={
                    k: [v, getattr(existing, f"{k}_id" if k != "name" else k)] for k, v in before.items()
                },
                note="储户随本人迁移",
            )
        return existing
    depositor = Depositor.objects.create(
        kind=kind,
        **{kind: owner},
        name=name,
        node=node,
        community=community,
        points_account=points,
        hours_account=hours,
        short_code=_unique_short_code(),
        opened_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=depositor,
        note=f"积分驿站开户（{depositor.get_kind_display()}）",
    )
    return depositor


@transaction.atomic
def depositors_open_for_grid(*, actor: Any, grid: OrgNode) -> int:
    """Open depositors for every registered resident of a grid who has none yet (for printing cards)."""
    if not scope_for(actor).has_perm_at("bank.card", grid.path):
        raise PermissionDenied("您无权为该网格开户。")
    persons = Person.objects.filter(
        node__path__startswith=grid.path,
        status=PersonStatus.ACTIVE,
        is_resident=True,
        bank_depositor__isnull=True,
    ).select_related("node")
    opened = 0
    for person in persons:
        depositor_open(actor=actor, person=person)
        opened += 1
    return opened


@transaction.atomic
def depositor_card_revoke(*, actor: Any, depositor: Depositor, reason: str) -> Depositor:
    """A lost card stops working: a new short code and card version; the phone code is unaffected."""
    if not reason.strip():
        raise ValidationError({"reason": "作废储户卡必须填写原因。"})
    locked = Depositor.objects.select_for_update().select_related("node").get(pk=depositor.pk)
    if not scope_for(actor).has_perm_at("bank.card", locked.node.path):
        raise PermissionDenied("您无权作废该储户卡。")
    old_code = locked.short_code
    locked.short_code = _unique_short_code()
    locked.card_version += 1
    locked.card_revoked_at = clock.now()
    locked.save(update_fields=["short_code", "card_version", "card_revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=locked,
        changes={"short_code": [old_code[:2] + "******", locked.short_code[:2] + "******"]},
        note=f"作废储户卡：{reason.strip()}",
    )
    depositor.short_code, depositor.card_version = locked.short_code, locked.card_version
    depositor.card_revoked_at = locked.card_revoked_at
    return depositor
