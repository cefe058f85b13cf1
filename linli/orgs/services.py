"""Writes on the organisation tree: nodes keep their materialised path; Party organisations, buildings, households."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.shortcuts import require_perm_at

from .choices import CHILD_KINDS, NodeKind
from .models import Building, Household, HouseholdTag, OrgNode, PartyOrg


def _check_child_kind(parent: OrgNode | None, kind: str) -> None:
    if parent is None:
        if kind != NodeKind.DISTRICT:
            raise ValidationError("只有区可以作为根节点。")
        return
    if kind not in CHILD_KINDS[parent.kind]:
        raise ValidationError(f"「{NodeKind(parent.kind).label}」下不能建立「{NodeKind(kind).label}」。")


@transaction.atomic
def node_create(
    *, actor: Any, parent: OrgNode | None, kind: str, name: str, check_actor: bool = True, **fields: Any
) -> OrgNode:
    """Create a tree node; its path is the parent's path plus its own id."""
    if check_actor:
        if parent is None:
            raise ValidationError("根节点只能在安装时创建。")
        require_perm_at(actor, "orgs.change", parent.path)
    _check_child_kind(parent, kind)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写名称。"})
    if kind != NodeKind.UNIT and fields.get("unit_type"):
        raise ValidationError({"unit_type": "只有驻区单位可以设置单位类型。"})
    if kind == NodeKind.UNIT and not fields.get("unit_type"):
        raise ValidationError({"unit_type": "请选择单位类型。"})
    if OrgNode.objects.filter(parent=parent, name=name, is_active=True).exists():
        raise ValidationError({"name": f"同一上级下已有「{name}」。"})
    node = OrgNode(parent=parent, kind=kind, name=name, depth=(parent.depth + 1) if parent else 0, **fields)
    node.path = "/pending/"
    node.save()
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    OrgNode.objects.filter(pk=node.pk).update(path=node.path)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=node,
        changes={"name": [None, name], "kind": [None, kind]},
    )
    return node


@transaction.atomic
def node_update(*, actor: Any, node: OrgNode, **fields: Any) -> OrgNode:
    require_perm_at(actor, "orgs.change", node.path)
    allowed = {"name", "code", "address", "contact_name", "sort_order", "unit_type", "is_active"}
    before = {k: getattr(node, k) for k in allowed}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"unknown node field {key}")
        setattr(node, key, value)
    node.full_clean(exclude=["parent", "path"])
    node.save()
    changes = {k: [before[k], getattr(node, k)] for k in allowed if before[k] != getattr(node, k)}
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=node, changes=changes)
    return node


@transaction.atomic
def party_org_create(
    *,
    actor: Any,
    node: OrgNode,
    name: str,
    kind: str,
    parent: PartyOrg | None = None,
    formation: str = "single",
    covered_units=(),
    check_actor: bool = True,
    **fields: Any,
) -> PartyOrg:
    if check_actor:
        require_perm_at(actor, "orgs.change", node.path)
    if parent is not None and not node.path.startswith(parent.node.path):
        raise ValidationError({"parent": "上级党组织必须位于本节点或其上级节点。"})
    org = PartyOrg.objects.create(
        node=node, name=name.strip(), kind=kind, parent=parent, formation=formation, **fields
    )
    units = list(covered_units)
    for unit in units:
        if unit.kind != NodeKind.UNIT or not unit.path.startswith(node.path):
            raise ValidationError({"covered_units": f"「{unit.name}」不是本组织辖区内的单位。"})
    if units:
        org.covered_units.set(units)
    audit_record(actor=actor, action=AuditAction.CREATE, target=org, changes={"name": [None, org.name]})
    return org


@transaction.atomic
def building_create(*, actor: Any, grid: OrgNode, name: str, **fields: Any) -> Building:
    require_perm_at(actor, "orgs.change", grid.path)
    if grid.kind != NodeKind.GRID:
        raise ValidationError({"grid": "楼栋必须属于网格。"})
    building = Building(grid=grid, name=name.strip(), **fields)
    building.full_clean()
    building.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=building)
    return building


@transaction.atomic
def household_create(
    *, actor: Any, grid: OrgNode, building: Building | None = None, tags=(), **fields: Any
) -> Household:
    require_perm_at(actor, "people.change", grid.path)
    if building is not None and building.grid_id != grid.pk:
        raise ValidationError({"building": "楼栋不在该网格内。"})
    household = Household(grid=grid, building=building, **fields)
    household.full_clean()
    household.save()
    if tags:
        household.tags.set(tags)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=household,
        changes={"tags": [None, [t.name for t in tags]]} if tags else {},
    )
    return household


@transaction.atomic
def household_set_tags(*, actor: Any, household: Household, tags: list[HouseholdTag]) -> Household:
    require_perm_at(actor, "people.change", household.grid.path)
    before = sorted(household.tags.values_list("name", flat=True))
    household.tags.set(tags)
    after = sorted(t.name for t in tags)
    if before != after:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=household, changes={"tags": [before, after]}
        )
    return household
