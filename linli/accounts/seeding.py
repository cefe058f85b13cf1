"""The demo logins, one per role, on a seeded district (the demo and every `seed --scale`).

Each login is created through `accounts.services` (password validated and hashed, role granted,
both audited). Staff logins are tied to the person who holds the post where there is one, so the
name on the top bar is the 书记's or the 网格员's own.
"""

from __future__ import annotations

import datetime

from linli.core.demo import DEMO_PASSWORD, DemoContext
from linli.core.roles import Role
from linli.core.seeding import DistrictPlan, ScaleContext, anchor_date
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode
from linli.people.choices import MemberCategory, MemberStatus, Position
from linli.people.models import CadrePosition, Member, Person

from . import services
from .models import User

ORDER = 30

# The logins other engineers and the README rely on: (username, role, where).
DEMO_USERNAMES = (
    "quwei_admin",
    "jiedao_huashan",
    "shequ_fuxing",
    "wangge_fuxing1",
    "dangyuan_demo",
    "jumin_demo",
    "danwei_demo",
    "sysadmin",
    "secadmin",
    "auditor",
)


def _login(
    ctx: DemoContext,
    username: str,
    role: str,
    *,
    scope: str,
    node: OrgNode | None = None,
    person: Person | None = None,
    display_name: str = "",
) -> User:
    user = services.user_create(
        actor=None,
        username=username,
        password=DEMO_PASSWORD,
        display_name=display_name or (person.name if person else username),
        person=person,
        must_change_password=False,
        check_actor=False,
    )
    services.role_grant(actor=None, user=user, role=role, node=node, check_actor=False)
    ctx.add_login(username, Role(role).label, scope)
    return user


def seed_logins(ctx: DemoContext, plan: DistrictPlan) -> None:
    """One login per role, found by the names the plan gives (复兴社区 is always the first community)."""
    district = OrgNode.objects.get(parent=None, kind=NodeKind.DISTRICT, name=plan.name)
    street = OrgNode.objects.get(parent=district, name=plan.streets[0].name)
    community_plan = plan.streets[0].communities[0]
    community = OrgNode.objects.get(parent=street, name=community_plan.name)
    grid = OrgNode.objects.get(
        path__startswith=community.path, kind=NodeKind.GRID, name=community_plan.grid_name(1)
    )
    today = ctx.today

    secretary = _current_holder(community, Position.SECRETARY, today)
    grid_worker = _current_holder(grid, Position.GRID_WORKER, today)
    member = (
        Member.objects.filter(
            branch__node=community,
            category=MemberCategory.RETIRED,
            status=MemberStatus.FORMAL,
            person__node=grid,
            person__household__isnull=False,
        )
        .select_related("person", "branch")
        .order_by("id")
        .first()
    )
    adult = anchor_date(today) - datetime.timedelta(days=365 * 25)
    resident = (
        Person.objects.filter(
            node=grid,
            member__isnull=True,
            positions__isnull=True,
            relation_to_head="head",
            household__isnull=False,
            birth_date__lte=adult,
        )
        .order_by("id")
        .first()
    )
    unit = (
        OrgNode.objects.filter(parent=community, kind=NodeKind.UNIT, party_orgs__isnull=False)
        .order_by("id")
        .first()
    )

    _login(
        ctx,
        "quwei_admin",
        Role.DISTRICT_ADMIN,
        scope=district.name,
        node=district,
        display_name="区委组织部管理员",
    )
    _login(
        ctx,
        "jiedao_huashan",
        Role.STREET_ADMIN,
        scope=street.name,
        node=street,
        display_name=f"{street.name}管理员",
    )
    _login(ctx, "shequ_fuxing", Role.COMMUNITY_ADMIN, scope=community.name, node=community, person=secretary)
    _login(ctx, "wangge_fuxing1", Role.GRID_WORKER, scope=grid.name, node=grid, person=grid_worker)
    _login(
        ctx,
        "dangyuan_demo",
        Role.MEMBER,
        scope=f"本人（{member.branch.name}）",
        person=member.person,
    )
    _login(
        ctx,
        "jumin_demo",
        Role.RESIDENT,
        scope=f"本人及家庭（{grid.name}）",
        person=resident,
    )
    _login(ctx, "danwei_demo", Role.UNIT_CONTACT, scope=unit.name, node=unit, display_name=unit.contact_name)
    _login(ctx, "sysadmin", Role.SYSADMIN, scope="账号与授权", display_name="系统管理员")
    _login(ctx, "secadmin", Role.SECADMIN, scope="登录安全", display_name="安全管理员")
    _login(ctx, "auditor", Role.AUDITOR, scope="审计日志", display_name="审计管理员")


def _current_holder(node: OrgNode, position: str, today: datetime.date) -> Person:
    return (
        CadrePosition.objects.filter(node=node, position=position)
        .current(today)
        .select_related("person")
        .order_by("id")
        .first()
        .person
    )


def seed_scale(ctx: ScaleContext) -> None:
    seed_logins(ctx, ctx.plan)
    ctx.count("演示账号", len(ctx.logins))
