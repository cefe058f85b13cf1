"""Registry records added on top of the standard world, through the services, for tests and scope cases.

Each function adds one kind of record and returns it; none changes what the world already holds.
"""

import datetime

from linli.orgs import services as org_services
from linli.orgs.choices import NodeKind, UnitType
from linli.people import services
from linli.people.choices import ContactMethod, FloatingDirection, Position, PostKind

ID_EXTRA = "530102198807070010"


def add_floating(world):
    """李建国 (member_a) flowed out to 深圳 in 2024, with one phone contact that was a thought report."""
    record = services.floating_record_create(
        actor=world.district_admin,
        member=world.member_a,
        direction=FloatingDirection.OUTFLOW,
        place="广东省深圳市南山区",
        place_party_org="南山区流动党员服务站",
        reason="务工",
        since=datetime.date(2024, 3, 1),
        contact_phone="13912345678",
    )
    services.floating_contact_add(
        actor=world.district_admin,
        record=record,
        contacted_on=datetime.date(2024, 6, 1),
        method=ContactMethod.PHONE,
        content="电话联系，汇报近期思想和工作情况。",
        is_thought_report=True,
    )
    record.refresh_from_db()
    return record


def add_inservice(world):
    """王秀英 (member_b, 金碧社区第一党支部) registered at 复兴社区 as an in-service member."""
    return services.inservice_register(
        actor=world.district_admin,
        member=world.member_b,
        community=world.community_a,
        registered_on=datetime.date(2025, 3, 5),
        skills="水电维修",
        hobbies="书法",
        service_wishes="认领便民维修岗",
        availability="周末",
    )


def add_zone(world):
    """李建国's responsibility zone: building 1栋 and the 低保 household 1栋1单元101 in 复兴一网格."""
    return services.zone_create(
        actor=world.district_admin,
        node=world.grid_a1,
        member=world.member_a,
        name="1栋责任区",
        duties="邻里纠纷调解、环境美化监督",
        buildings=[world.building_a1],
        key_households=[world.household_a1],
    )


def add_post(world):
    """李建国 holds a 设岗定责 post at 复兴社区."""
    return services.member_post_create(
        actor=world.district_admin,
        node=world.community_a,
        member=world.member_a,
        kind=PostKind.DUTY,
        title="楼院卫生监督岗",
        duties="每周巡查楼院卫生",
        start_date=datetime.date(2025, 1, 1),
    )


def add_cadres(world):
    """复兴社区: 张三 is 书记 and 居委会主任 (一肩挑), 单田芳 is 网格员 of 复兴一网格 and a 后备干部."""
    admin = world.district_admin
    appoint = services.cadre_position_create
    start = datetime.date(2021, 10, 1)
    return {
        "secretary": appoint(
            actor=admin,
            person=world.person_a1,
            node=world.community_a,
            position=Position.SECRETARY,
            start_date=start,
            term_label="第十一届",
            monthly_subsidy=1100,
        ),
        "director": appoint(
            actor=admin,
            person=world.person_a1,
            node=world.community_a,
            position=Position.DIRECTOR,
            start_date=start,
            term_label="第十一届",
        ),
        "grid_worker": appoint(
            actor=admin,
            person=world.person_a2,
            node=world.grid_a1,
            position=Position.GRID_WORKER,
            start_date=datetime.date(2022, 1, 1),
            monthly_subsidy=900,
            qualification_allowance=200,
        ),
        "reserve": appoint(
            actor=admin,
            person=world.person_a2,
            node=world.community_a,
            position=Position.RESERVE,
            start_date=datetime.date(2023, 1, 1),
        ),
    }


def add_unit_members(world, count: int = 3, unit=None):
    """`count` formal members of 复兴社区第一党支部 who work at 玉带物业公司 (or `unit`)."""
    unit = unit or world.unit_a
    members = []
    for index in range(count):
        person = services.person_create(
            actor=world.district_admin, node=world.grid_a2, name=f"物业党员{'甲乙丙丁戊'[index]}"
        )
        members.append(
            services.member_create(
                actor=world.district_admin,
                person=person,
                branch=world.branch_a,
                join_date=datetime.date(2010, 7, 1),
                formal_date=datetime.date(2011, 7, 1),
                category="new_economy",
                work_unit=unit,
            )
        )
    return members


def add_unit(world, name: str = "翠湖科技公司", community=None):
    return org_services.node_create(
        actor=world.district_admin,
        parent=community or world.community_a2,
        kind=NodeKind.UNIT,
        name=name,
        unit_type=UnitType.ENTERPRISE,
    )


def add_person(world, name: str = "误登记人员", node=None, **fields):
    return services.person_create(actor=world.district_admin, node=node or world.grid_a1, name=name, **fields)


SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"


def add_many(world, count: int = 12):
    """`count` more of everything in 复兴一网格: households, residents who are members, floating records,
    in-service registrations, zones, posts and 楼栋长 positions — to show lists cost the same with more rows."""
    admin = world.district_admin
    for index in range(count):
        household = org_services.household_create(
            actor=admin,
            grid=world.grid_a1,
            building=world.building_a1,
            unit_no="2单元",
            room_no=f"{201 + index}",
            tags=[world.tag_low_income],
        )
        person = services.person_create(
            actor=admin,
            node=world.grid_a1,
            name=f"{SURNAMES[index % len(SURNAMES)]}测{index}",
            household=household,
            phone=f"1370000{1000 + index}",
        )
        member = services.member_create(
            actor=admin,
            person=person,
            branch=world.branch_a,
            join_date=datetime.date(2000, 7, 1),
            category="employed",
            work_unit=world.unit_a,
        )
        record = services.floating_record_create(
            actor=admin,
            member=member,
            direction=FloatingDirection.OUTFLOW,
            place="北京市",
            since=datetime.date(2024, 1, 1),
        )
        services.floating_contact_add(
            actor=admin, record=record, contacted_on=datetime.date(2024, 2, 1), method="phone", content="联系"
        )
        services.inservice_register(
            actor=admin, member=member, community=world.community_a, registered_on=datetime.date(2025, 1, 1)
        )
        services.zone_create(
            actor=admin,
            node=world.grid_a1,
            member=member,
            name=f"责任区{index}",
            buildings=[world.building_a1],
            key_households=[household],
        )
        services.member_post_create(
            actor=admin,
            node=world.community_a,
            member=member,
            kind=PostKind.MODEL,
            title=f"示范岗{index}",
            start_date=datetime.date(2025, 1, 1),
        )
        services.cadre_position_create(
            actor=admin,
            person=person,
            node=world.grid_a1,
            position=Position.BUILDING_HEAD,
            start_date=datetime.date(2025, 1, 1),
        )
