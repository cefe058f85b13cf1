"""Builders for points tests and scope cases: published schemes, a fuller branch, driving a year forward.

Tests run on last year (`YEAR`) so that every date used is in the past whatever day the suite runs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from linli.accounts.models import User
from linli.core.roles import Role
from linli.people import services as people_services
from linli.people.choices import PointsClass
from linli.people.models import Member
from linli.points import services
from linli.points.choices import AutoCode, AwardLevel, CapPeriod, Category, Direction, Stage
from linli.points.models import BranchYear, Scheme, SchemeItem
from linli.testing.world import World, _user

YEAR = timezone.localdate().year - 1

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"

# The community scheme used by the tests: small numbers so that caps and grades are easy to read.
ITEMS: dict[str, dict[str, Any]] = {
    "essay": {
        "category": Category.IDEOLOGY,
        "name": "撰写学习心得",
        "default_points": 2,
        "cap_points": 6,
        "cap_period": CapPeriod.YEAR,
        "evidence_required": True,
    },
    "meeting": {
        "category": Category.ACTIVITY,
        "name": "参加三会一课",
        "default_points": 1,
        "cap_points": 3,
        "cap_period": CapPeriod.YEAR,
        "auto_code": AutoCode.MEETING_ATTENDANCE,
    },
    "volunteer": {
        "category": Category.ACTIVITY,
        "name": "参加志愿服务",
        "default_points": 2,
        "cap_points": 3,
        "cap_period": CapPeriod.MONTH,
        "auto_code": AutoCode.VOLUNTEERING,
    },
    "help": {
        "category": Category.EXEMPLARY,
        "name": "帮扶困难群众",
        "min_points": 1,
        "max_points": 5,
        "cap_points": 8,
        "cap_period": CapPeriod.QUARTER,
    },
    "speech": {
        "category": Category.IDEOLOGY,
        "name": "参加宣讲",
        "default_points": 3,
        "cap_points": 4,
        "cap_period": CapPeriod.OCCURRENCE,
    },
    "absence": {
        "category": Category.DISCIPLINE,
        "name": "无故缺席组织生活",
        "direction": Direction.DEDUCT,
        "default_points": 2,
        "auto_code": AutoCode.MEETING_ABSENCE,
    },
    "award": {
        "category": Category.EXEMPLARY,
        "name": "获得区级以下表彰",
        "min_points": 1,
        "max_points": 3,
        "award_level": AwardLevel.BELOW_DISTRICT,
    },
}


@dataclass
class PointsWorld:
    world: World
    year: int
    schemes: dict[str, Scheme]
    items: dict[str, SchemeItem]
    members: list[Member]
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["world"], name)

    @property
    def branch_year(self) -> BranchYear:
        return BranchYear.objects.get(branch=self.world.branch_a, year=self.year)


def evidence(name: str = "心得.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def publish_schemes(world: World, year: int) -> tuple[dict[str, Scheme], dict[str, SchemeItem]]:
    admin = world.district_admin
    schemes: dict[str, Scheme] = {}
    items: dict[str, SchemeItem] = {}
    for member_class in PointsClass.values:
        scheme = services.scheme_create(
            actor=admin,
            district=world.district,
            year=year,
            member_class=member_class,
            title=f"{year}年{PointsClass(member_class).label}党员积分细则",
            excellent_min=Decimal("6"),
            qualified_min=Decimal("3"),
            basic_min=Decimal("1"),
            excellent_quota_percent=50,
        )
        # The other classes get one item each: enough to publish, and cheaper to build for every test.
        keys = list(ITEMS) if member_class == PointsClass.COMMUNITY else ["essay"]
        for key in keys:
            item = services.scheme_item_save(actor=admin, scheme=scheme, **ITEMS[key])
            if member_class == PointsClass.COMMUNITY:
                items[key] = item
        services.scheme_publish(actor=admin, scheme=scheme)
        schemes[member_class] = scheme
    return schemes, items


def add_member(
    world: World, name: str, *, branch=None, category: str = "retired", join: tuple = (2000, 7, 1)
):
    admin = world.district_admin
    person = people_services.person_create(actor=admin, node=world.grid_a1, name=name)
    return people_services.member_create(
        actor=admin,
        person=person,
        branch=branch or world.branch_a,
        join_date=datetime.date(*join),
        category=category,
    )


def build_points_world(world: World, year: int = YEAR) -> PointsWorld:
    schemes, items = publish_schemes(world, year)
    members = [
        world.member_a,
        add_member(world, "赵红梅", join=(1988, 7, 1)),
        add_member(world, "钱志强", join=(2005, 7, 1)),
        add_member(world, "孙丽", join=(2010, 7, 1)),
    ]
    users = {"street_admin_b": _user("street_admin_b", Role.STREET_ADMIN, world.street_b)}
    return PointsWorld(world=world, year=year, schemes=schemes, items=items, members=members, users=users)


def open_year(pw: PointsWorld) -> BranchYear:
    return services.branch_year_open(actor=pw.community_admin_a, branch=pw.branch_a, year=pw.year)


def day(month: int, dom: int) -> datetime.date:
    return datetime.date(YEAR, month, dom)


def submit(pw: PointsWorld, key: str = "essay", *, on=None, points=None, files=None, quantity: int = 1):
    return services.claim_submit(
        actor=pw.member_user_a,
        member=pw.member_a,
        item=pw.items[key],
        occurred_on=on or day(3, 15),
        description="学习党的二十大报告，撰写心得一篇",
        points=points,
        quantity=quantity,
        files=[evidence()] if files is None else files,
    )


def advance(pw: PointsWorld, stage: str) -> BranchYear:
    """Drive branch_a's year forward through the steps until it reaches `stage` (no self-reports pending)."""
    branch_year = BranchYear.objects.filter(branch=pw.branch_a, year=pw.year).first() or open_year(pw)
    community, street = pw.community_admin_a, pw.street_admin
    steps = [
        (Stage.SELF_ASSESSMENT, "close_self_assessment", community, {}),
        (Stage.PRELIMINARY_REVIEW, "finish_preliminary_review", community, {}),
        (
            Stage.ASSEMBLY,
            "confirm_assembly",
            community,
            {"meeting_date": day(12, 1), "expected": 4, "attended": 3, "publicity_start": day(12, 2)},
        ),
        (Stage.PUBLICITY, "close_publicity", community, {}),
        (Stage.REGISTRATION, "register", community, {}),
        (Stage.REPORTING, "report", community, {}),
        (Stage.FILING, "file", street, {}),
        (Stage.YEAR_END_REVIEW, "year_end_review", community, {"review_date": day(12, 20)}),
        (Stage.GRADING, "propose_grades", community, {}),
        (Stage.GRADE_CONFIRMATION, "confirm_grades", street, {}),
        (Stage.VERIFICATION, "verify", street, {}),
    ]
    order = [current for current, *_ in steps]
    for current, name, actor, params in steps[order.index(branch_year.stage) :]:
        branch_year.refresh_from_db()
        if branch_year.stage == stage:
            return branch_year
        assert branch_year.stage == current, f"expected {current}, found {branch_year.stage}"
        services.branch_year_step(actor=actor, branch_year=branch_year, name=name, **params)
    branch_year.refresh_from_db()
    return branch_year
