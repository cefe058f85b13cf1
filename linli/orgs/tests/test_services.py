"""Writes on the organisation tree: validation in Chinese, scope checks, audit in the same transaction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.choices import AuditAction
from linli.core.models import AuditEntry
from linli.orgs import services
from linli.orgs.models import Building, HouseholdTag, OrgNode, PartyOrg


def messages(error: ValidationError) -> dict:
    return {field: list(errors) for field, errors in error.message_dict.items()}


def test_a_node_cannot_take_the_name_of_a_sibling(world):
    with pytest.raises(ValidationError) as caught:
        services.node_update(actor=world.community_admin_a, node=world.grid_a2, name="复兴一网格")
    assert messages(caught.value) == {"name": ["同一上级下已有「复兴一网格」。"]}
    world.grid_a2.refresh_from_db()
    assert world.grid_a2.name == "复兴二网格"


def test_node_update_is_audited_with_before_and_after(world):
    node = services.node_update(actor=world.community_admin_a, node=world.grid_a2, name="复兴二网格（西）")
    assert node.name == "复兴二网格（西）"
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_type="orgs.orgnode").get()
    assert entry.changes == {"name": ["复兴二网格", "复兴二网格（西）"]}


def test_a_grid_worker_cannot_change_the_tree(world):
    with pytest.raises(PermissionDenied):
        services.node_update(actor=world.grid_worker_a1, node=world.grid_a1, name="改名")


def test_a_joint_branch_needs_the_units_it_covers(world):
    with pytest.raises(ValidationError) as caught:
        services.party_org_create(
            actor=world.community_admin_a,
            node=world.community_a,
            name="联合党支部",
            kind="branch",
            formation="joint",
        )
    assert messages(caught.value) == {"covered_units": ["联合组建或挂靠的党组织须选择覆盖的单位。"]}
    assert not PartyOrg.objects.filter(name="联合党支部").exists()


def test_a_party_org_cannot_cover_a_unit_of_another_community(world):
    other_unit = services.node_create(
        actor=world.district_admin,
        parent=world.community_b,
        kind="unit",
        name="金碧商场",
        unit_type="enterprise",
    )
    with pytest.raises(ValidationError) as caught:
        services.party_org_create(
            actor=world.community_admin_a,
            node=world.community_a,
            name="联合党支部",
            kind="branch",
            formation="joint",
            covered_units=[other_unit],
        )
    assert messages(caught.value) == {"covered_units": ["「金碧商场」不是本组织辖区内的单位。"]}


def test_a_party_org_cannot_be_its_own_ancestor(world):
    with pytest.raises(ValidationError) as caught:
        services.party_org_update(
            actor=world.community_admin_a,
            org=world.org_community_a,
            name="复兴社区党总支",
            kind="general_branch",
            parent=world.branch_a,
            formation="single",
        )
    assert messages(caught.value) == {"parent": ["上级党组织不能是本组织或其下级组织。"]}
    world.org_community_a.refresh_from_db()
    assert world.org_community_a.parent == world.org_street_a


def test_party_org_update_sets_covered_units_and_audits_them(world):
    joint = services.party_org_create(
        actor=world.community_admin_a,
        node=world.community_a,
        name="联合党支部",
        kind="branch",
        parent=world.org_community_a,
        formation="joint",
        covered_units=[world.unit_a],
    )
    services.party_org_update(
        actor=world.community_admin_a,
        org=joint,
        name="复兴社区联合党支部",
        kind="branch",
        parent=world.org_community_a,
        formation="joint",
        covered_units=[world.unit_a],
    )
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_type="orgs.partyorg").get()
    assert entry.changes == {"name": ["联合党支部", "复兴社区联合党支部"]}


def test_building_names_are_unique_in_a_grid(world):
    with pytest.raises(ValidationError) as caught:
        services.building_create(actor=world.community_admin_a, grid=world.grid_a1, name=" 1栋 ")
    assert messages(caught.value) == {"name": ["该网格已有楼栋「1栋」。"]}
    assert Building.objects.count() == 1


def test_household_update_changes_tags_and_audits_them(world):
    services.household_update(
        actor=world.grid_worker_a1,
        household=world.household_a1,
        building=world.building_a1,
        unit_no="1单元",
        room_no="101",
        tags=[world.tag_low_income, world.tag_elderly],
    )
    assert sorted(world.household_a1.tags.values_list("name", flat=True)) == ["低保", "独居老人"]
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_type="orgs.household").get()
    assert entry.changes == {"tags": [["低保"], ["低保", "独居老人"]]}


def test_a_household_without_a_building_needs_an_address(world):
    with pytest.raises(ValidationError) as caught:
        services.household_update(actor=world.grid_worker_a1, household=world.household_a1, building=None)
    assert messages(caught.value) == {"address": ["未选择楼栋时请填写地址。"]}


def test_a_grid_worker_cannot_edit_a_household_of_another_grid(world):
    with pytest.raises(PermissionDenied):
        services.household_update(
            actor=world.grid_worker_a1, household=world.household_b1, building=None, address="改地址"
        )


def test_tags_are_kept_by_the_district_admin_only(world):
    with pytest.raises(PermissionDenied):
        services.household_tag_create(actor=world.community_admin_a, code="left_behind", name="留守儿童")
    tag = services.household_tag_create(
        actor=world.district_admin, code="left_behind", name="留守儿童", is_care=False
    )
    assert (tag.name, tag.is_care) == ("留守儿童", False)


def test_a_tag_name_and_code_are_unique(world):
    with pytest.raises(ValidationError) as caught:
        services.household_tag_create(actor=world.district_admin, code="dibao", name="低保")
    assert messages(caught.value) == {"name": ["已有标签「低保」。"], "code": ["代码「dibao」已被使用。"]}


def test_a_tag_in_use_cannot_be_deleted(world):
    with pytest.raises(ValidationError) as caught:
        services.household_tag_delete(actor=world.district_admin, tag=world.tag_low_income)
    assert caught.value.messages == ["标签「低保」仍有1户在用，不能删除。"]
    unused = services.household_tag_create(actor=world.district_admin, code="shidu", name="失独家庭")
    services.household_tag_delete(actor=world.district_admin, tag=unused)
    assert not HouseholdTag.objects.filter(code="shidu").exists()
    assert HouseholdTag.objects.filter(code="dibao").exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, target_repr="失独家庭").count() == 1


def test_node_create_keeps_the_materialised_path(world):
    grid = services.node_create(
        actor=world.community_admin_a, parent=world.community_a, kind="grid", name="复兴三网格"
    )
    assert grid.path == f"{world.community_a.path}{grid.pk}/"
    assert OrgNode.objects.get(pk=grid.pk).depth == 3
