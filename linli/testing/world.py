"""The standard small world for tests: one district, two streets, three communities, personas per role.

Personas follow the three-persona rule: someone who may, a colleague with less right, an outsider.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from linli.accounts import services as account_services
from linli.accounts.models import User
from linli.core.roles import Role
from linli.orgs import services as org_services
from linli.orgs.choices import NodeKind, PartyOrgKind, UnitType
from linli.orgs.models import Building, Household, HouseholdTag, OrgNode, PartyOrg
from linli.people import services as people_services
from linli.people.models import Member, Person

PASSWORD = "Linli-test-2026"

# Valid 18-digit ID numbers (GB 11643 check digits; region 530102 = 昆明市五华区).
ID_A1 = "530102198503150018"
ID_A2 = "530102199011220029"
ID_B1 = "53010219760708003X"
ID_MEMBER_A = "530102196802140013"
ID_MEMBER_B = "530102197201010023"


@dataclass
class World:
    district: OrgNode
    street_a: OrgNode
    street_b: OrgNode
    community_a: OrgNode
    community_a2: OrgNode
    community_b: OrgNode
    grid_a1: OrgNode
    grid_a2: OrgNode
    grid_b1: OrgNode
    unit_a: OrgNode
    org_district: PartyOrg
    org_street_a: PartyOrg
    org_community_a: PartyOrg
    org_community_b: PartyOrg
    branch_a: PartyOrg
    branch_b: PartyOrg
    building_a1: Building
    household_a1: Household
    household_b1: Household
    tag_low_income: HouseholdTag
    tag_elderly: HouseholdTag
    person_a1: Person
    person_a2: Person
    person_b1: Person
    member_a: Member
    member_b: Member
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        """Personas by name: world.community_admin_a, world.member_user_a …"""
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def __post_init__(self) -> None:
        clashes = set(self.users) & set(self.__dataclass_fields__)
        if clashes:
            raise ValueError(f"persona names clash with world fields: {clashes}")


def _user(
    username: str, role: str | None = None, node: OrgNode | None = None, person: Person | None = None
) -> User:
    user = account_services.user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        display_name=username,
        person=person,
        must_change_password=False,
        check_actor=False,
    )
    if role:
        account_services.role_grant(actor=None, user=user, role=role, node=node, check_actor=False)
    return user


def build_world() -> World:
    node = org_services.node_create
    district = node(actor=None, parent=None, kind=NodeKind.DISTRICT, name="五华区", check_actor=False)
    street_a = node(actor=None, parent=district, kind=NodeKind.STREET, name="华山街道", check_actor=False)
    street_b = node(actor=None, parent=district, kind=NodeKind.STREET, name="护国街道", check_actor=False)
    community_a = node(
        actor=None, parent=street_a, kind=NodeKind.COMMUNITY, name="复兴社区", check_actor=False
    )
    community_a2 = node(
        actor=None, parent=street_a, kind=NodeKind.COMMUNITY, name="翠湖社区", check_actor=False
    )
    community_b = node(
        actor=None, parent=street_b, kind=NodeKind.COMMUNITY, name="金碧社区", check_actor=False
    )
    grid_a1 = node(actor=None, parent=community_a, kind=NodeKind.GRID, name="复兴一网格", check_actor=False)
    grid_a2 = node(actor=None, parent=community_a, kind=NodeKind.GRID, name="复兴二网格", check_actor=False)
    grid_b1 = node(actor=None, parent=community_b, kind=NodeKind.GRID, name="金碧一网格", check_actor=False)
    unit_a = node(
        actor=None,
        parent=community_a,
        kind=NodeKind.UNIT,
        name="玉带物业公司",
        unit_type=UnitType.ENTERPRISE,
        check_actor=False,
    )
    porg = org_services.party_org_create
    org_district = porg(
        actor=None,
        node=district,
        name="中共五华区委",
        kind=PartyOrgKind.DISTRICT_COMMITTEE,
        check_actor=False,
    )
    org_street_a = porg(
        actor=None,
        node=street_a,
        name="华山街道党工委",
        kind=PartyOrgKind.STREET_WORKING,
        parent=org_district,
        check_actor=False,
    )
    org_street_b = porg(
        actor=None,
        node=street_b,
        name="护国街道党工委",
        kind=PartyOrgKind.STREET_WORKING,
        parent=org_district,
        check_actor=False,
    )
    org_community_a = porg(
        actor=None,
        node=community_a,
        name="复兴社区党总支",
        kind=PartyOrgKind.GENERAL_BRANCH,
        parent=org_street_a,
        check_actor=False,
    )
    org_community_b = porg(
        actor=None,
        node=community_b,
        name="金碧社区党委",
        kind=PartyOrgKind.COMMUNITY_COMMITTEE,
        parent=org_street_b,
        check_actor=False,
    )
    branch_a = porg(
        actor=None,
        node=community_a,
        name="复兴社区第一党支部",
        kind=PartyOrgKind.BRANCH,
        parent=org_community_a,
        check_actor=False,
    )
    branch_b = porg(
        actor=None,
        node=community_b,
        name="金碧社区第一党支部",
        kind=PartyOrgKind.BRANCH,
        parent=org_community_b,
        check_actor=False,
    )
    tag_low_income, _ = HouseholdTag.objects.get_or_create(
        code="dibao", defaults={"name": "低保", "sort_order": 1}
    )
    tag_elderly, _ = HouseholdTag.objects.get_or_create(
        code="elderly_alone", defaults={"name": "独居老人", "sort_order": 3}
    )

    users: dict[str, User] = {}
    users["district_admin"] = _user("district_admin", Role.DISTRICT_ADMIN, district)
    admin = users["district_admin"]
    building_a1 = org_services.building_create(actor=admin, grid=grid_a1, name="1栋")
    household_a1 = org_services.household_create(
        actor=admin, grid=grid_a1, building=building_a1, unit_no="1单元", room_no="101", tags=[tag_low_income]
    )
    household_b1 = org_services.household_create(
        actor=admin, grid=grid_b1, address="金碧路8号", tags=[tag_elderly]
    )
    create_person = people_services.person_create
    person_a1 = create_person(
        actor=admin,
        node=grid_a1,
        name="张三",
        id_number=ID_A1,
        phone="13800138000",
        household=household_a1,
        relation_to_head="head",
    )
    person_a2 = create_person(actor=admin, node=grid_a2, name="单田芳", id_number=ID_A2, phone="13900139000")
    person_b1 = create_person(
        actor=admin, node=grid_b1, name="曾小红", id_number=ID_B1, phone="13700137000", household=household_b1
    )
    person_member_a = create_person(
        actor=admin, node=grid_a1, name="李建国", id_number=ID_MEMBER_A, phone="13600136000"
    )
    person_member_b = create_person(
        actor=admin, node=grid_b1, name="王秀英", id_number=ID_MEMBER_B, phone="13500135000"
    )
    member_a = people_services.member_create(
        actor=admin,
        person=person_member_a,
        branch=branch_a,
        join_date=datetime.date(1995, 7, 1),
        formal_date=datetime.date(1996, 7, 1),
        category="retired",
    )
    member_b = people_services.member_create(
        actor=admin,
        person=person_member_b,
        branch=branch_b,
        join_date=datetime.date(2001, 7, 1),
        category="unemployed",
    )
    users["street_admin"] = _user("street_admin", Role.STREET_ADMIN, street_a)
    users["community_admin_a"] = _user("community_admin_a", Role.COMMUNITY_ADMIN, community_a)
    users["community_admin_a2"] = _user("community_admin_a2", Role.COMMUNITY_ADMIN, community_a2)
    users["community_admin_b"] = _user("community_admin_b", Role.COMMUNITY_ADMIN, community_b)
    users["grid_worker_a1"] = _user("grid_worker_a1", Role.GRID_WORKER, grid_a1)
    users["grid_worker_a2"] = _user("grid_worker_a2", Role.GRID_WORKER, grid_a2)
    users["member_user_a"] = _user("member_user_a", Role.MEMBER, person=person_member_a)
    users["member_user_b"] = _user("member_user_b", Role.MEMBER, person=person_member_b)
    users["resident_a1"] = _user("resident_a1", Role.RESIDENT, person=person_a1)
    users["unit_contact_a"] = _user("unit_contact_a", Role.UNIT_CONTACT, unit_a)
    users["sysadmin"] = _user("sysadmin", Role.SYSADMIN)
    users["secadmin"] = _user("secadmin", Role.SECADMIN)
    users["auditor"] = _user("auditor", Role.AUDITOR)
    users["nobody"] = _user("nobody")
    return World(
        district=district,
        street_a=street_a,
        street_b=street_b,
        community_a=community_a,
        community_a2=community_a2,
        community_b=community_b,
        grid_a1=grid_a1,
        grid_a2=grid_a2,
        grid_b1=grid_b1,
        unit_a=unit_a,
        org_district=org_district,
        org_street_a=org_street_a,
        org_community_a=org_community_a,
        org_community_b=org_community_b,
        branch_a=branch_a,
        branch_b=branch_b,
        building_a1=building_a1,
        household_a1=household_a1,
        household_b1=household_b1,
        tag_low_income=tag_low_income,
        tag_elderly=tag_elderly,
        person_a1=person_a1,
        person_a2=person_a2,
        person_b1=person_b1,
        member_a=member_a,
        member_b=member_b,
        users=users,
    )
