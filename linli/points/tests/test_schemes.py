"""Scoring schemes (PTS-1): drafts are edited, published versions are copied and superseded, never changed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.models import TransitionRecord
from linli.people.choices import PointsClass
from linli.points import services
from linli.points.choices import CapPeriod, Category, SchemeStatus
from linli.points.models import Scheme, SchemeItem

from .builders import YEAR


@pytest.fixture
def draft(world):
    return services.scheme_create(
        actor=world.district_admin,
        district=world.district,
        year=YEAR,
        member_class=PointsClass.COMMUNITY,
        title="社区党员积分细则",
    )


def item(world, scheme, **fields):
    base = {"category": Category.ACTIVITY, "name": "参加志愿服务", "default_points": 2}
    return services.scheme_item_save(actor=world.district_admin, scheme=scheme, **{**base, **fields})


def test_district_admin_creates_a_draft_with_default_thresholds(world, draft):
    assert (draft.status, draft.version, draft.excellent_min, draft.publicity_days) == (
        SchemeStatus.DRAFT,
        1,
        Decimal("90"),
        5,
    )


def test_only_the_district_admin_may_create_schemes(world):
    for persona in ("street_admin", "community_admin_a", "member_user_a"):
        with pytest.raises(PermissionDenied):
            services.scheme_create(
                actor=getattr(world, persona),
                district=world.district,
                year=YEAR,
                member_class=PointsClass.COMMUNITY,
                title="x",
            )
    assert Scheme.objects.count() == 0


def test_a_second_scheme_for_the_same_year_and_class_is_refused(world, draft):
    with pytest.raises(ValidationError, match="已存在，请在原细则上新建版本"):
        services.scheme_create(
            actor=world.district_admin,
            district=world.district,
            year=YEAR,
            member_class="community",
            title="y",
        )


def test_thresholds_must_be_ordered(world, draft):
    with pytest.raises(ValidationError, match="优秀 ≥ 合格 ≥ 基本合格"):
        services.scheme_update(actor=world.district_admin, scheme=draft, qualified_min=Decimal("95"))
    draft.refresh_from_db()
    assert draft.qualified_min == Decimal("60")


def test_item_reads_its_rule_like_the_seed(world, draft):
    saved = item(world, draft, cap_points=12, cap_period=CapPeriod.YEAR)
    assert saved.rule_text == "每次加2分，全年累计不超过12分"


def test_item_needs_a_value_or_a_range_but_not_both(world, draft):
    with pytest.raises(ValidationError, match="二者选一"):
        item(world, draft, min_points=1, max_points=3)
    with pytest.raises(ValidationError, match="0 < 最低 ≤ 最高"):
        item(world, draft, default_points=None, min_points=5, max_points=3)
    assert SchemeItem.objects.count() == 0


def test_cap_needs_its_period(world, draft):
    with pytest.raises(ValidationError, match="上限分值和上限周期须同时填写"):
        item(world, draft, cap_points=6)


def test_auto_code_is_unique_in_a_scheme_and_needs_a_fixed_value(world, draft):
    item(world, draft, auto_code="volunteering")
    with pytest.raises(ValidationError, match="每个自动记分代码只能对应一个项目"):
        item(world, draft, name="再次志愿", auto_code="volunteering")
    with pytest.raises(ValidationError, match="须使用固定分值"):
        item(
            world, draft, name="范围", default_points=None, min_points=1, max_points=2, auto_code="party_day"
        )


def test_publishing_needs_items_and_is_recorded(world, draft):
    with pytest.raises(ValidationError, match="还没有积分项目"):
        services.scheme_publish(actor=world.district_admin, scheme=draft)
    item(world, draft)
    services.scheme_publish(actor=world.district_admin, scheme=draft, note="经区委组织部研究")
    draft.refresh_from_db()
    record = TransitionRecord.objects.get(machine="points_scheme", object_id=draft.pk)
    assert (draft.status, draft.published_by_name, record.transition, record.note) == (
        SchemeStatus.PUBLISHED,
        "district_admin",
        "publish",
        "经区委组织部研究",
    )


def test_a_published_scheme_is_never_changed(world, draft):
    saved = item(world, draft)
    services.scheme_publish(actor=world.district_admin, scheme=draft)
    with pytest.raises(ValidationError, match="不能直接修改；请新建版本"):
        services.scheme_update(actor=world.district_admin, scheme=draft, title="改名")
    with pytest.raises(ValidationError, match="不能直接修改"):
        services.scheme_item_save(actor=world.district_admin, scheme=draft, item=saved, default_points=5)
    with pytest.raises(ValidationError, match="不能直接修改"):
        services.scheme_item_delete(actor=world.district_admin, item=saved)
    saved.refresh_from_db()
    assert saved.default_points == Decimal("2.00")


def test_new_version_copies_items_with_their_lineage_and_supersedes_on_publish(world, draft):
    saved = item(world, draft)
    services.scheme_publish(actor=world.district_admin, scheme=draft)
    second = services.scheme_new_version(actor=world.district_admin, scheme=draft)
    copy = second.items.get()
    assert (second.version, second.status, second.copied_from_id) == (2, SchemeStatus.DRAFT, draft.pk)
    assert (copy.lineage, copy.pk != saved.pk) == (saved.lineage, True)
    with pytest.raises(ValidationError, match="已有待发布的第2版草稿"):
        services.scheme_new_version(actor=world.district_admin, scheme=draft)
    services.scheme_item_save(actor=world.district_admin, scheme=second, item=copy, default_points=3)
    services.scheme_publish(actor=world.district_admin, scheme=second)
    draft.refresh_from_db()
    saved.refresh_from_db()
    assert (draft.status, saved.default_points) == (SchemeStatus.SUPERSEDED, Decimal("2.00"))
    assert Scheme.objects.get(status=SchemeStatus.PUBLISHED).pk == second.pk


def test_copy_forward_makes_drafts_for_the_new_year_and_skips_classes_begun(world, draft):
    item(world, draft, cap_points=12, cap_period=CapPeriod.YEAR)
    services.scheme_publish(actor=world.district_admin, scheme=draft)
    created = services.scheme_copy_forward(
        actor=world.district_admin, district=world.district, from_year=YEAR, to_year=YEAR + 1
    )
    assert [(s.year, s.member_class, s.status, s.items.get().cap_points) for s in created] == [
        (YEAR + 1, "community", SchemeStatus.DRAFT, Decimal("12.00"))
    ]
    with pytest.raises(ValidationError, match="都已建立，无需复制"):
        services.scheme_copy_forward(
            actor=world.district_admin, district=world.district, from_year=YEAR, to_year=YEAR + 1
        )


def test_schemes_are_visible_to_managers_of_the_district_only(world, draft):
    assert list(Scheme.objects.visible_to(world.community_admin_b)) == [draft]
    assert list(Scheme.objects.visible_to(world.member_user_a)) == []
    assert list(Scheme.objects.visible_to(world.sysadmin)) == []
