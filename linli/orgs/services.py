"""Writes on the organisation tree: nodes keep their materialised path; Party organisations, buildings, households."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.scope import scope_for
from linli.core.shortcuts import require_perm_at

from .choices import CHILD_KINDS, Formation, NodeKind
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
    """Change a node's own fields (never its place in the tree); returns the updated row."""
    node = OrgNode.objects.select_for_update().get(pk=node.pk)
    require_perm_at(actor, "orgs.change", node.path)
    allowed = {"name", "code", "address", "contact_name", "sort_order", "unit_type", "is_active"}
    before = {k: getattr(node, k) for k in allowed}
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"unknown node field {key}")
        setattr(node, key, value)
    node.name = (node.name or "").strip()
    if not node.name:
        raise ValidationError({"name": "请填写名称。"})
    if (
        node.is_active
        and OrgNode.objects.filter(parent_id=node.parent_id, name=node.name, is_active=True)
        .exclude(pk=node.pk)
        .exists()
    ):
        raise ValidationError({"name": f"同一上级下已有「{node.name}」。"})
    if node.kind == NodeKind.UNIT and not node.unit_type:
        raise ValidationError({"unit_type": "请选择单位类型。"})
    if node.kind != NodeKind.UNIT and node.unit_type:
        raise ValidationError({"unit_type": "只有驻区单位可以设置单位类型。"})
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
    units = list(covered_units)
    _check_party_org_fields(node=node, name=name, parent=parent, formation=formation, units=units)
    org = PartyOrg.objects.create(
        node=node, name=name.strip(), kind=kind, parent=parent, formation=formation, **fields
    )
    if units:
        org.covered_units.set(units)
    audit_record(actor=actor, action=AuditAction.CREATE, target=org, changes={"name": [None, org.name]})
    return org


@transaction.atomic
def building_create(*, actor: Any, grid: OrgNode, name: str, **fields: Any) -> Building:
    require_perm_at(actor, "orgs.change", grid.path)
    if grid.kind != NodeKind.GRID:
        raise ValidationError({"grid": "楼栋必须属于网格。"})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写楼栋名称。"})
    if Building.objects.filter(grid=grid, name=name).exists():
        raise ValidationError({"name": f"该网格已有楼栋「{name}」。"})
    building = Building(grid=grid, name=name, **fields)
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
    if not (building is not None or household.address.strip()):
        raise ValidationError({"address": "未选择楼栋时请填写地址。"})
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


def _check_party_org_fields(
    *, node: OrgNode, name: str, parent: PartyOrg | None, formation: str, units: list[OrgNode], org=None
) -> None:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写党组织名称。"
    if parent is not None:
        if not node.path.startswith(parent.node.path):
            errors["parent"] = "上级党组织必须位于本节点或其上级节点。"
        elif org is not None and (parent.pk == org.pk or _is_descendant_org(parent, org)):
            errors["parent"] = "上级党组织不能是本组织或其下级组织。"
    for unit in units:
        if unit.kind != NodeKind.UNIT or not unit.path.startswith(node.path):
            errors["covered_units"] = f"「{unit.name}」不是本组织辖区内的单位。"
            break
    if formation in (Formation.JOINT, Formation.ATTACHED) and not units and "covered_units" not in errors:
        errors["covered_units"] = "联合组建或挂靠的党组织须选择覆盖的单位。"
    if formation == Formation.SINGLE and units:
        errors["covered_units"] = "单独组建的党组织不覆盖其他单位；请改为联合组建或挂靠。"
    if errors:
        raise ValidationError(errors)


def _is_descendant_org(candidate: PartyOrg, org: PartyOrg) -> bool:
    """True when `candidate` sits below `org` in the Party organisation chain (walks up, bounded by depth)."""
    seen: set[int] = set()
    current = candidate.parent
    while current is not None and current.pk not in seen:
        if current.pk == org.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


def _party_org_snapshot(org: PartyOrg) -> dict[str, Any]:
    return {
        "name": org.name,
        "kind": org.kind,
        "formation": org.formation,
        "parent": org.parent_id,
        "established_on": org.established_on.isoformat() if org.established_on else None,
        "is_active": org.is_active,
        "covered_units": sorted(u.pk for u in org.covered_units.all()),
    }


@transaction.atomic
def party_org_update(
    *,
    actor: Any,
    org: PartyOrg,
    name: str,
    kind: str,
    parent: PartyOrg | None,
    formation: str,
    covered_units=(),
    established_on=None,
    is_active: bool = True,
) -> PartyOrg:
    """Change a Party organisation: name, kind, parent, how it is formed and which units it covers."""
    org = PartyOrg.objects.select_for_update(of=("self",)).select_related("node").get(pk=org.pk)
    require_perm_at(actor, "orgs.change", org.node.path)
    units = list(covered_units)
    _check_party_org_fields(
        node=org.node, name=name, parent=parent, formation=formation, units=units, org=org
    )
    before = _party_org_snapshot(org)
    org.name, org.kind, org.parent, org.formation = name.strip(), kind, parent, formation
    org.established_on, org.is_active = established_on, is_active
    org.full_clean(exclude=["node", "parent"])
    org.save()
    org.covered_units.set(units)
    after = _party_org_snapshot(org)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=org, changes=changes)
    return org


@transaction.atomic
def building_update(*, actor: Any, building: Building, name: str, address: str = "", floors=None) -> Building:
    building = Building.objects.select_for_update(of=("self",)).select_related("grid").get(pk=building.pk)
    require_perm_at(actor, "orgs.change", building.grid.path)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写楼栋名称。"})
    if Building.objects.filter(grid=building.grid, name=name).exclude(pk=building.pk).exists():
        raise ValidationError({"name": f"该网格已有楼栋「{name}」。"})
    before = {"name": building.name, "address": building.address, "floors": building.floors}
    building.name, building.address, building.floors = name, address, floors
    building.full_clean()
    building.save()
    after = {"name": building.name, "address": building.address, "floors": building.floors}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=building, changes=changes)
    return building


HOUSEHOLD_FIELDS = ("unit_no", "room_no", "address", "note")


@transaction.atomic
def household_update(
    *, actor: Any, household: Household, building: Building | None, tags=None, **fields: Any
) -> Household:
    """Change a household's place in its grid, its note and (when given) its tags."""
    household = (
        Household.objects.select_for_update(of=("self",))
        .select_related("grid", "building")
        .get(pk=household.pk)
    )
    require_perm_at(actor, "people.change", household.grid.path)
    if building is not None and building.grid_id != household.grid_id:
        raise ValidationError({"building": "楼栋不在该网格内。"})
    before = {k: getattr(household, k) for k in HOUSEHOLD_FIELDS}
    before["building"] = household.building.name if household.building_id else ""
    before_tags = sorted(household.tags.values_list("name", flat=True))
    for key, value in fields.items():
        if key not in HOUSEHOLD_FIELDS:
            raise TypeError(f"unknown household field {key}")
        setattr(household, key, value)
    household.building = building
    if not (household.building_id or household.address.strip()):
        raise ValidationError({"address": "未选择楼栋时请填写地址。"})
    household.full_clean()
    household.save()
    after = {k: getattr(household, k) for k in HOUSEHOLD_FIELDS}
    after["building"] = building.name if building else ""
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if tags is not None:
        household.tags.set(tags)
        after_tags = sorted(t.name for t in tags)
        if after_tags != before_tags:
            changes["tags"] = [before_tags, after_tags]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=household, changes=changes)
    return household


def _require_tag_admin(actor: Any) -> None:
    if not scope_for(actor).has_perm("orgs.manage_tags"):
        raise PermissionDenied("只有区管理员可以维护户标签。")


def _check_tag(*, code: str, name: str, tag: HouseholdTag | None = None) -> None:
    errors: dict[str, str] = {}
    others = HouseholdTag.objects.exclude(pk=tag.pk) if tag else HouseholdTag.objects.all()
    if not name.strip():
        errors["name"] = "请填写标签名称。"
    elif others.filter(name=name.strip()).exists():
        errors["name"] = f"已有标签「{name.strip()}」。"
    if not code.strip():
        errors["code"] = "请填写代码。"
    elif others.filter(code=code.strip()).exists():
        errors["code"] = f"代码「{code.strip()}」已被使用。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def household_tag_create(
    *, actor: Any, code: str, name: str, is_care: bool = True, sort_order: int = 0
) -> HouseholdTag:
    """A new household tag (tags are data, kept by the district admin)."""
    _require_tag_admin(actor)
    _check_tag(code=code, name=name)
    tag = HouseholdTag(code=code.strip(), name=name.strip(), is_care=is_care, sort_order=sort_order)
    tag.full_clean()
    tag.save()
    audit_record(actor=actor, action=AuditAction.CREATE, target=tag, changes={"name": [None, tag.name]})
    return tag


@transaction.atomic
def household_tag_update(
    *, actor: Any, tag: HouseholdTag, code: str, name: str, is_care: bool, sort_order: int
) -> HouseholdTag:
    _require_tag_admin(actor)
    _check_tag(code=code, name=name, tag=tag)
    before = {"code": tag.code, "name": tag.name, "is_care": tag.is_care, "sort_order": tag.sort_order}
    tag.code, tag.name, tag.is_care, tag.sort_order = code.strip(), name.strip(), is_care, sort_order
    tag.full_clean()
    tag.save()
    after = {"code": tag.code, "name": tag.name, "is_care": tag.is_care, "sort_order": tag.sort_order}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=tag, changes=changes)
    return tag


@transaction.atomic
def household_tag_delete(*, actor: Any, tag: HouseholdTag) -> None:
    """Delete a tag no household carries; a tag in use must first be taken off its households."""
    _require_tag_admin(actor)
    in_use = tag.households.count()
    if in_use:
        raise ValidationError(f"标签「{tag.name}」仍有{in_use}户在用，不能删除。")
    audit_record(actor=actor, action=AuditAction.DELETE, target=tag, changes={"name": [tag.name, None]})
    tag.delete()
