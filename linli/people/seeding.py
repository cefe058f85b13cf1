"""Writes the people of a planned district in bulk: households filled with persons, members and their records.

Shared by the demo (`people/demo.py`, one audit entry per row) and `linli seed --scale …`
(`seed_scale`, one audit entry per table and community). Personal data is derived exactly as
`people.services` derives it (`person_apply_name`, `person_apply_phone`, and the same encryption,
keyed hash and mask for ID numbers) but without the per-row duplicate query: the generator never
repeats a number and the unique index on `id_number_hash` would refuse one anyway.

Per community: households get 1–6 people of coherent ages (couples, children, grandparents, old
people living alone); household tags follow from who lives there (独居老人, 空巢) or are drawn
(低保, 困难户, 残疾, 退役军人). Party members are chosen among the residents by category (many
离退休, some 下岗失业, 在职, 流动; 两新组织/机关/在职 in the units), and get in-service
registrations, floating records with contact logs, responsibility zones, posts and cadre positions.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from linli.core import pii
from linli.core.audit import audit_build, audit_bulk, diff_fields
from linli.core.choices import AuditAction
from linli.core.pinyin import name_pinyin
from linli.core.seeding import (
    CommunityPlan,
    DemoContext,
    DistrictPlan,
    IdNumberGenerator,
    NameGenerator,
    PhoneGenerator,
    ScaleContext,
    anchor_date,
    birth_date_for_age,
    bulk_create_audited,
    chinese_number,
    days_before,
    surname_of,
)
from linli.core.validators import parse_id_number
from linli.orgs.models import Building, Household, HouseholdTag, OrgNode
from linli.orgs.seeding import (
    SeededTree,
    grid_branch_name,
    grid_persons,
    joint_branch_name,
    load_tree,
    unit_branch_name,
)

from .choices import (
    ContactMethod,
    Education,
    FloatingDirection,
    Gender,
    HouseholdRelation,
    MemberCategory,
    MemberStatus,
    Position,
    PostKind,
)
from .models import (
    CadrePosition,
    FloatingContact,
    FloatingRecord,
    InServiceRegistration,
    Member,
    MemberPost,
    Person,
    ResponsibilityZone,
)
from .services import _member_snapshot, _person_snapshot, id_number_hash, person_apply_phone

ORDER = 20

# Seed 003: 正职 1100, 副职 1000, other community workers 900 元 a month; seed 004: qualification 200–250.
SUBSIDY_CHIEF = Decimal("1100")
SUBSIDY_DEPUTY = Decimal("1000")
SUBSIDY_WORKER = Decimal("900")

_ETHNICITIES = (
    ("汉族", 86),
    ("彝族", 5),
    ("白族", 3),
    ("回族", 3),
    ("哈尼族", 1),
    ("纳西族", 1),
    ("傣族", 1),
)
_HOUSEHOLD_SIZES = ((1, 16), (2, 30), (3, 28), (4, 17), (5, 7), (6, 2))
_EMPLOYERS = (
    "云南电网有限责任公司昆明供电局", "昆明市第一人民医院", "云南师范大学", "昆明市第十中学",
    "中国移动云南有限公司", "昆明地铁运营有限公司", "云南省农业科学院", "昆明市自来水集团",
    "云南省烟草公司昆明市公司", "昆明理工大学", "五华区人民法院", "云南白药集团",
)  # fmt: skip
_FORMER_EMPLOYERS = (
    "原昆明机床厂", "原昆明纺织厂", "原云南省建筑工程公司", "原昆明钢铁公司", "原五华区供销社",
    "原昆明市百货公司", "原昆明电缆厂", "原云南省运输公司", "原昆明市第三中学", "原五华区粮食局",
)  # fmt: skip
_JOB_TITLES = ("工程师", "教师", "医生", "职员", "部门经理", "会计", "护士", "技术员", "科员", "销售主管")
_SKILLS = (
    "水电维修", "法律咨询", "医疗保健", "心理疏导", "电脑维修", "文艺演出", "书法绘画", "家电维修",
    "理发", "作业辅导", "政策宣讲", "摄影", "烹饪", "财务咨询", "急救培训",
)  # fmt: skip
_HOBBIES = ("书法", "摄影", "太极拳", "广场舞", "乒乓球", "象棋", "合唱", "读书", "园艺", "跑步", "篮球")
_WISHES = (
    "参加社区志愿服务", "为老年人义诊", "辅导中小学生作业", "参与矛盾纠纷调解", "垃圾分类宣传",
    "法律知识讲座", "关爱独居老人", "文明交通劝导", "社区环境整治", "助残帮困",
)  # fmt: skip
_AVAILABILITY = ("周末", "工作日晚上", "每月第一个周六", "节假日", "周六上午")
_OUTFLOW_PLACES = (
    "上海市浦东新区", "广东省深圳市南山区", "广东省广州市天河区", "北京市朝阳区", "浙江省杭州市西湖区",
    "四川省成都市武侯区", "江苏省苏州市工业园区", "云南省西双版纳州景洪市", "云南省大理州大理市",
)  # fmt: skip
_INFLOW_PLACES = ("曲靖市麒麟区", "昭通市昭阳区", "红河州蒙自市", "玉溪市红塔区", "楚雄州楚雄市")
_FLOAT_REASONS = ("务工", "经商", "求学", "随迁", "援建")
_CONTACT_TEXTS = (
    "电话联系，了解在外工作生活情况，提醒按时交纳党费。",
    "通过微信群传达支部学习内容，本人已按要求学习。",
    "返乡期间参加支部主题党日活动。",
    "书面联系，寄送学习资料。",
    "视频联系，了解近期思想动态。",
)
_THOUGHT_REPORT = "收到思想汇报，汇报近期学习体会和工作情况。"
_POSTS = (
    ("政策宣传岗", "宣传党的方针政策和社区通知，每月入户不少于一次。"),
    ("环境卫生监督岗", "督促楼道和院落保洁，及时报告乱堆乱放。"),
    ("邻里调解岗", "及时发现并协助调解邻里纠纷。"),
    ("治安巡逻岗", "参加夜间巡逻，发现隐患及时报告网格员。"),
    ("关爱帮扶岗", "结对联系独居老人和困难家庭，每周探望一次。"),
    ("文明劝导岗", "劝导不文明行为，维护公共秩序。"),
    ("垃圾分类督导岗", "在投放点指导居民分类投放。"),
    ("楼道管理岗", "负责楼道安全和公共设施报修。"),
)
_MODEL_POSTS = ("党员示范岗（窗口服务）", "党员示范岗（技术攻关）", "党员先锋岗", "党员责任岗")
_ZONE_DUTIES = "联系责任楼栋住户，宣传政策，收集社情民意，帮扶重点联系户，协助网格员开展工作。"


@lru_cache(maxsize=200_000)
def _pinyin(name: str) -> tuple[str, str]:
    return name_pinyin(name)


def person_fill_name(person: Person, name: str) -> None:
    """What `people.services.person_apply_name` does, with the pinyin of repeated names computed once."""
    person.name = name
    person.name_pinyin, person.name_initials = _pinyin(name)


def person_fill_id_number(person: Person, number: str) -> None:
    """What `people.services.person_apply_id_number` stores, without its duplicate query (see module doc)."""
    parsed = parse_id_number(number)
    person.id_number_encrypted = pii.encrypt(parsed.number)
    person.id_number_hash = id_number_hash(parsed.number)
    person.id_number_masked = pii.mask_id_number(parsed.number)
    person.birth_date = parsed.birth_date
    person.gender = parsed.gender


def _weighted(rng: random.Random, table: tuple[tuple, ...]):
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights=weights)[0]


def _education(rng: random.Random, age: int) -> str:
    if age < 7:
        return ""
    if age < 13:
        return Education.PRIMARY
    if age < 16:
        return Education.JUNIOR
    if age < 19:
        return Education.SENIOR
    if age >= 70:
        table = (
            (Education.PRIMARY, 35),
            (Education.JUNIOR, 35),
            (Education.SENIOR, 22),
            (Education.COLLEGE, 8),
        )
    elif age >= 50:
        table = (
            (Education.JUNIOR, 25), (Education.SENIOR, 35), (Education.COLLEGE, 20), (Education.BACHELOR, 20),
        )  # fmt: skip
    elif age >= 30:
        table = (
            (Education.SENIOR, 15), (Education.COLLEGE, 25), (Education.BACHELOR, 45), (Education.MASTER, 15),
        )  # fmt: skip
    else:
        table = (
            (Education.COLLEGE, 20),
            (Education.BACHELOR, 60),
            (Education.MASTER, 18),
            (Education.DOCTOR, 2),
        )
    return _weighted(rng, table)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def compose_household(rng: random.Random, size: int) -> list[tuple[str, str, int]]:
    """(relation to the head, gender, age) of each person in a household of `size`, head first."""
    head = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
    spouse = Gender.FEMALE if head == Gender.MALE else Gender.MALE

    def any_gender() -> str:
        return Gender.MALE if rng.random() < 0.5 else Gender.FEMALE

    R = HouseholdRelation
    if size == 1:
        return [(R.HEAD, head, rng.randint(65, 92) if rng.random() < 0.55 else rng.randint(22, 64))]
    if size == 2:
        roll = rng.random()
        if roll < 0.45:  # an old couple on their own (空巢)
            age = rng.randint(60, 88)
            return [(R.HEAD, head, age), (R.SPOUSE, spouse, _clamp(age + rng.randint(-5, 3), 58, 94))]
        if roll < 0.75:
            age = rng.randint(25, 59)
            return [(R.HEAD, head, age), (R.SPOUSE, spouse, _clamp(age + rng.randint(-5, 3), 22, 62))]
        age = rng.randint(32, 60)
        return [(R.HEAD, head, age), (R.CHILD, any_gender(), max(0, age - rng.randint(22, 35)))]
    if size == 3 and rng.random() < 0.3:  # an old couple with a grown-up child at home
        age = rng.randint(58, 82)
        return [
            (R.HEAD, head, age),
            (R.SPOUSE, spouse, _clamp(age + rng.randint(-5, 3), 55, 94)),
            (R.CHILD, any_gender(), age - rng.randint(24, 34)),
        ]
    age = rng.randint(28, 58)
    people = [(R.HEAD, head, age), (R.SPOUSE, spouse, _clamp(age + rng.randint(-4, 3), 24, 62))]
    grandparents = 0
    if size >= 5 or (size == 4 and rng.random() < 0.4):
        grandparents = min(2, size - 3)
    for i in range(grandparents):
        people.append(
            (R.PARENT, Gender.MALE if i == 0 else Gender.FEMALE, min(95, age + rng.randint(24, 32)))
        )
    for _ in range(size - 2 - grandparents):
        people.append((R.CHILD, any_gender(), max(0, age - rng.randint(22, 36))))
    return people


def household_sizes(rng: random.Random, households: int, persons: int) -> list[int]:
    """Sizes drawn from the usual distribution, then nudged so they sum exactly to `persons`."""
    sizes = [_weighted(rng, _HOUSEHOLD_SIZES) for _ in range(households)]
    total = sum(sizes)
    while total > persons:
        i = rng.randrange(households)
        if sizes[i] > 1:
            sizes[i] -= 1
            total -= 1
    while total < persons:
        i = rng.randrange(households)
        if sizes[i] < 6:
            sizes[i] += 1
            total += 1
    return sizes


@dataclass(eq=False)
class _Seed:
    """A person being generated, with what the later steps need to know about them."""

    person: Person
    age: int
    phone: str = ""
    grid: int | None = None  # grid number (1-based) for household residents
    household: Household | None = None
    taken: bool = False  # already a Party member or otherwise placed


@dataclass
class PopulationCounts:
    values: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, n: int) -> None:
        self.values[label] = self.values.get(label, 0) + n


class PersonFactory:
    """Makes unsaved `Person` rows with valid, unique ID numbers and phones and coherent names."""

    def __init__(self, ctx: DemoContext):
        self.today = ctx.today
        self.anchor = anchor_date(ctx.today)
        self.ids = IdNumberGenerator(ctx.rng("people:id-numbers"))
        self.phones = PhoneGenerator(ctx.rng("people:phones"))

    def make(
        self,
        rng: random.Random,
        names: NameGenerator,
        *,
        node: OrgNode,
        gender: str,
        age: int,
        surname: str | None = None,
        household: Household | None = None,
        relation: str = "",
        address: str = "",
        is_resident: bool = True,
    ) -> _Seed:
        birth = birth_date_for_age(rng, age, self.anchor)
        person = Person(
            node=node,
            household=household,
            relation_to_head=relation,
            ethnicity=_weighted(rng, _ETHNICITIES),
            education=_education(rng, age),
            address=address,
            is_resident=is_resident,
        )
        person_fill_name(person, names.make(gender, birth.year, surname=surname))
        person_fill_id_number(person, self.ids.make(birth, gender))
        phone = ""
        if age >= 16:
            roll = rng.random()
            if age < 75:
                phone = self.phones.mobile() if roll < 0.93 else ""
            else:
                phone = self.phones.mobile() if roll < 0.5 else (self.phones.landline() if roll < 0.8 else "")
        person_apply_phone(person, phone)
        return _Seed(person=person, age=age, phone=phone, household=household)


def _join_date(rng: random.Random, seed: _Seed, anchor: datetime.date) -> datetime.date:
    """A join date at 19 to 45 years of age and at least a year and a half before the anchor."""
    birth = seed.person.birth_date
    age_at_join = rng.randint(19, max(19, min(45, seed.age - 2)))
    year = birth.year + age_at_join
    if rng.random() < 0.3:
        day = datetime.date(year, 7, 1)  # many joined in the 七一 batch
    else:
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    return min(day, anchor - datetime.timedelta(days=550))


def _new_member(
    rng: random.Random,
    seed: _Seed,
    branch,
    category: str,
    anchor: datetime.date,
    *,
    probationary: bool = False,
    work_unit: OrgNode | None = None,
    work_unit_name: str = "",
    job_title: str = "",
) -> Member:
    seed.taken = True
    if probationary:
        join = days_before(rng, anchor, 20, 330)
        return Member(
            person=seed.person,
            branch=branch,
            status=MemberStatus.PROBATIONARY,
            join_date=join,
            category=category,
            work_unit=work_unit,
            work_unit_name=work_unit_name,
            job_title=job_title,
        )
    join = _join_date(rng, seed, anchor)
    return Member(
        person=seed.person,
        branch=branch,
        status=MemberStatus.FORMAL,
        join_date=join,
        formal_date=join + datetime.timedelta(days=365),
        category=category,
        work_unit=work_unit,
        work_unit_name=work_unit_name,
        job_title=job_title,
    )


def _pick(rng: random.Random, pool: list[_Seed], n: int, low: int, high: int) -> list[_Seed]:
    """`n` free people aged low–high (topped up with the free adults nearest in age); marks them taken."""
    if n <= 0:
        return []
    eligible = [s for s in pool if not s.taken and low <= s.age <= high]
    if len(eligible) >= n:
        chosen = rng.sample(eligible, n)
    else:
        others = [s for s in pool if not s.taken and s.age >= 20 and not low <= s.age <= high]
        others.sort(key=lambda s: min(abs(s.age - low), abs(s.age - high)))
        chosen = eligible + others[: n - len(eligible)]
    for seed in chosen:
        seed.taken = True
    return chosen


class _CommunityBuilder:
    """Generates and writes the people of one community."""

    def __init__(
        self,
        ctx: DemoContext,
        factory: PersonFactory,
        plan: DistrictPlan,
        community: CommunityPlan,
        tree: SeededTree,
        tags: dict[str, HouseholdTag],
        audit_each: bool,
        counts: PopulationCounts,
    ):
        self.ctx = ctx
        self.factory = factory
        self.community = community
        self.node = tree.community(plan, community)
        self.grids = tree.grids(plan, community)
        self.units = tree.units(plan, community)
        self.orgs = tree.party_orgs
        self.tags = tags
        self.audit_each = audit_each
        self.counts = counts
        self.note = "演示数据" if audit_each else "规模测试数据"
        self.rng = ctx.rng(f"people:{community.name}")
        self.names = NameGenerator(self.rng)
        self.anchor = factory.anchor
        self.today = ctx.today
        # One term of the residents' and Party committees: five years from 2021, the last one begun.
        self.term_year = self.anchor.year - 1 - ((self.anchor.year - 1 - 2021) % 5)
        self.term_start = datetime.date(self.term_year, 6, 1)
        self.term_label = f"第{chinese_number((self.term_year - 2021) // 5 + 11)}届"

    # -- writing helpers ---------------------------------------------------------------------

    def _write(self, model, rows: list, changes=None) -> list:
        created = bulk_create_audited(
            model, rows, audit_each=self.audit_each, note=self.note, changes=changes
        )
        self.counts.add(model._meta.verbose_name, len(created))
        return created

    def _write_links(self, through, rows: list) -> None:
        through.objects.bulk_create(rows, batch_size=2000)

    # -- the steps ---------------------------------------------------------------------------

    def run(self) -> None:
        households = list(
            Household.objects.filter(grid__in=self.grids).select_related("building").order_by("grid_id", "id")
        )
        residents, people_of = self._residents(households)
        outsiders: list[_Seed] = []
        members = self._members(residents, outsiders)
        cadres, recorders = self._cadres(residents, members, households, people_of)
        self._write(
            Person,
            [s.person for s in residents + outsiders],
            changes=lambda p: diff_fields({}, _person_snapshot(p)),
        )
        self._write(Member, members, changes=lambda m: diff_fields({}, _member_snapshot(m)))
        self._write(CadrePosition, cadres, changes=lambda c: {"position": [None, c.get_position_display()]})
        self._registrations(members)
        self._floating(members, recorders)
        tags = self._tags(households, people_of)
        self._zones(members, households, tags)
        self._posts(members)

    def _residents(self, households: list[Household]) -> tuple[list[_Seed], dict[int, list[_Seed]]]:
        """Fill every household of every grid with people; the totals match the plan exactly."""
        per_grid = grid_persons(self.community)
        by_grid: dict[int, list[Household]] = {}
        for household in households:
            by_grid.setdefault(household.grid_id, []).append(household)
        residents: list[_Seed] = []
        people_of: dict[int, list[_Seed]] = {}
        for number, (grid, persons) in enumerate(zip(self.grids, per_grid, strict=True), start=1):
            homes = by_grid[grid.pk]
            for household, size in zip(homes, household_sizes(self.rng, len(homes), persons), strict=True):
                family = self._family(grid, household, size)
                for seed in family:
                    seed.grid = number
                people_of[household.pk] = family
                residents.extend(family)
        return residents, people_of

    def _family(self, grid: OrgNode, household: Household, size: int) -> list[_Seed]:
        family: list[_Seed] = []
        father_surname = None
        head_surname = None
        for relation, gender, age in compose_household(self.rng, size):
            surname = None
            if relation == HouseholdRelation.CHILD and father_surname:
                surname = father_surname
            elif relation == HouseholdRelation.PARENT and gender == Gender.MALE:
                surname = head_surname
            seed = self.factory.make(
                self.rng,
                self.names,
                node=grid,
                gender=gender,
                age=age,
                surname=surname,
                household=household,
                relation=relation,
                address=household.address,
            )
            if relation == HouseholdRelation.HEAD:
                head_surname = surname_of(seed.person.name)
            if relation in (HouseholdRelation.HEAD, HouseholdRelation.SPOUSE) and gender == Gender.MALE:
                father_surname = surname_of(seed.person.name)
            elif relation == HouseholdRelation.HEAD and size == 2:
                father_surname = head_surname  # a single mother's child may carry her surname
            family.append(seed)
        return family

    def _members(self, residents: list[_Seed], outsiders: list[_Seed]) -> list[Member]:
        """Community-branch members by category, then the members of the units."""
        rng, plan, anchor = self.rng, self.community, self.anchor
        members: list[Member] = []
        first_branch = self.orgs[plan.branches[0]]
        retirees_branch = next((self.orgs[b] for b in plan.branches if "离退休" in b), None)

        def branch_of(seed: _Seed):
            return self.orgs[grid_branch_name(plan, seed.grid)]

        self.party_cadres = _pick(rng, residents, min(5, plan.members), 30, 55)
        for seed in self.party_cadres:
            members.append(
                _new_member(
                    rng,
                    seed,
                    first_branch,
                    MemberCategory.EMPLOYED,
                    anchor,
                    work_unit_name=f"{plan.name}居委会",
                    job_title="社区专职工作人员",
                )
            )
        rest = plan.members - len(self.party_cadres)
        floating = round(rest * 0.07)
        employed = round(rest * 0.06)
        unemployed = round(rest * 0.20)
        probationary = max(1, round(rest * 0.03)) if rest >= 20 else 0
        retired = rest - floating - employed - unemployed - probationary
        for seed in _pick(rng, residents, floating, 22, 50):
            members.append(_new_member(rng, seed, branch_of(seed), MemberCategory.FLOATING, anchor))
        for seed in _pick(rng, residents, employed, 25, 58):
            members.append(
                _new_member(
                    rng,
                    seed,
                    branch_of(seed),
                    MemberCategory.EMPLOYED,
                    anchor,
                    work_unit_name=rng.choice(_EMPLOYERS),
                    job_title=rng.choice(_JOB_TITLES),
                )
            )
        for seed in _pick(rng, residents, unemployed, 40, 62):
            members.append(_new_member(rng, seed, branch_of(seed), MemberCategory.UNEMPLOYED, anchor))
        for seed in _pick(rng, residents, probationary, 20, 35):
            members.append(
                _new_member(
                    rng,
                    seed,
                    branch_of(seed),
                    MemberCategory.EMPLOYED,
                    anchor,
                    probationary=True,
                    work_unit_name=rng.choice(_EMPLOYERS),
                    job_title=rng.choice(_JOB_TITLES),
                )
            )
        for seed in _pick(rng, residents, retired, 58, 95):
            members.append(
                _new_member(
                    rng,
                    seed,
                    retirees_branch or branch_of(seed),
                    MemberCategory.RETIRED,
                    anchor,
                    work_unit_name=rng.choice(_FORMER_EMPLOYERS),
                )
            )
        for unit_plan, unit in zip(plan.units, self.units, strict=True):
            if unit_plan.members == 0:
                continue
            if unit_plan.party == "own":
                branch = self.orgs[unit_branch_name(unit.name)]
            elif unit_plan.party == "joint":
                branch = self.orgs[joint_branch_name(plan)]
            else:  # the coverage gap: the members' relation sits with the community's first branch
                branch = first_branch
            category = {
                "stationed": MemberCategory.EMPLOYED,
                "government": MemberCategory.GOVERNMENT,
            }.get(unit_plan.unit_type, MemberCategory.NEW_ECONOMY)
            workers = _pick(rng, residents, unit_plan.resident_members, 23, 58)
            for _ in range(unit_plan.members - len(workers)):
                seed = self.factory.make(
                    rng,
                    self.names,
                    node=unit,
                    gender="M" if rng.random() < 0.55 else "F",
                    age=rng.randint(23, 58),
                    address=f"昆明市{rng.choice(['盘龙区', '官渡区', '西山区', '呈贡区'])}{rng.randint(1, 300)}号",
                    is_resident=False,
                )
                outsiders.append(seed)
                workers.append(seed)
            for seed in workers:
                members.append(
                    _new_member(
                        rng,
                        seed,
                        branch,
                        category,
                        anchor,
                        work_unit=unit,
                        work_unit_name=unit.name,
                        job_title=rng.choice(_JOB_TITLES),
                    )
                )
        return members

    def _position(self, seed_or_person, node, position, **fields) -> CadrePosition:
        person = seed_or_person.person if isinstance(seed_or_person, _Seed) else seed_or_person
        fields.setdefault("start_date", self.term_start)
        return CadrePosition(person=person, node=node, position=position, **fields)

    def _allowance(self) -> Decimal | None:
        roll = self.rng.random()
        if roll < 0.35:
            return Decimal("200")
        if roll < 0.5:
            return Decimal("250")
        return None

    def _cadres(self, residents, members, households, people_of) -> tuple[list[CadrePosition], list[str]]:
        """Two committees, workers, grid workers, building heads, reserve cadres (PPL-6), not yet written."""
        rng, plan, node = self.rng, self.community, self.node
        term = {"term_label": self.term_label}
        rows: list[CadrePosition] = []
        cadres = self.party_cadres
        secretary = cadres[0]
        rows.append(
            self._position(secretary, node, Position.SECRETARY, monthly_subsidy=SUBSIDY_CHIEF, **term)
        )
        deputy = cadres[1] if len(cadres) > 1 else None
        if deputy:
            rows.append(
                self._position(
                    deputy, node, Position.DEPUTY_SECRETARY, monthly_subsidy=SUBSIDY_DEPUTY, **term
                )
            )
        rows.extend(
            self._position(s, node, Position.COMMITTEE_MEMBER, monthly_subsidy=SUBSIDY_WORKER, **term)
            for s in cadres[2:]
        )
        if plan.dual_role:  # 一肩挑: the secretary is also the director, paid once
            rows.append(
                self._position(secretary, node, Position.DIRECTOR, note="一肩挑，补助随书记职务发放", **term)
            )
        else:
            director = _pick(rng, residents, 1, 35, 55)
            rows.extend(
                self._position(s, node, Position.DIRECTOR, monthly_subsidy=SUBSIDY_CHIEF, **term)
                for s in director
            )
        if deputy and plan.dual_role:  # 交叉任职: the deputy secretary is also deputy director
            rows.append(self._position(deputy, node, Position.DEPUTY_DIRECTOR, note="交叉任职", **term))
        else:
            rows.extend(
                self._position(s, node, Position.DEPUTY_DIRECTOR, monthly_subsidy=SUBSIDY_DEPUTY, **term)
                for s in _pick(rng, residents, 1, 30, 50)
            )
        rows.extend(
            self._position(
                s, node, Position.RESIDENTS_COMMITTEE_MEMBER, monthly_subsidy=SUBSIDY_WORKER, **term
            )
            for s in _pick(rng, residents, 2, 28, 55)
        )
        worker_names = []
        for s in _pick(rng, residents, min(8, len(self.grids) + 2), 24, 45):
            worker_names.append(s.person.name)
            rows.append(
                self._position(
                    s,
                    node,
                    Position.COMMUNITY_WORKER,
                    start_date=days_before(rng, self.anchor, 60, 365 * 8),
                    monthly_subsidy=SUBSIDY_WORKER,
                    qualification_allowance=self._allowance(),
                )
            )
        for number, grid in enumerate(self.grids, start=1):
            if number in plan.grids_without_worker:
                continue
            for s in _pick(rng, residents, 1, 25, 50):
                worker_names.append(s.person.name)
                rows.append(
                    self._position(
                        s,
                        grid,
                        Position.GRID_WORKER,
                        start_date=days_before(rng, self.anchor, 60, 365 * 6),
                        monthly_subsidy=SUBSIDY_WORKER,
                        qualification_allowance=self._allowance(),
                    )
                )
        rows.extend(self._building_heads(households, people_of))
        if plan.first_secretary:  # 第一书记: sent by a district organ; a government member where there is one
            sent = next(
                (
                    m
                    for m in members
                    if m.category == MemberCategory.GOVERNMENT and m.status == MemberStatus.FORMAL
                ),
                members[-1],
            )
            rows.append(
                self._position(
                    sent.person,
                    node,
                    Position.FIRST_SECRETARY,
                    start_date=days_before(rng, self.anchor, 90, 700),
                    note="区直机关选派",
                )
            )
        for s in _pick(rng, residents, plan.reserve_cadres, 25, 38):
            if s.person.education not in (Education.COLLEGE, Education.BACHELOR, Education.MASTER):
                s.person.education = Education.BACHELOR
            rows.append(
                self._position(
                    s,
                    node,
                    Position.RESERVE,
                    start_date=days_before(rng, self.anchor, 30, 700),
                    note="后备干部库",
                )
            )
        retired = [
            m for m in members if m.category == MemberCategory.RETIRED and 60 <= self._age(m.person) <= 75
        ]
        if (
            self.community.code.endswith(("1", "4", "7")) and retired
        ):  # the previous secretary, for the history
            rows.append(
                self._position(
                    rng.choice(retired).person,
                    node,
                    Position.SECRETARY,
                    start_date=datetime.date(self.term_year - 5, 6, 1),
                    end_date=self.term_start - datetime.timedelta(days=1),
                    term_label=f"第{chinese_number((self.term_year - 2021) // 5 + 10)}届",
                    monthly_subsidy=SUBSIDY_CHIEF,
                )
            )
        return rows, worker_names

    def _age(self, person: Person) -> int:
        return self.anchor.year - person.birth_date.year - 1

    def _building_heads(self, households, people_of) -> list[CadrePosition]:
        """楼栋长 for about a third of the buildings, 单元长 for some 单元, 院落长 where there are courtyards."""
        rng = self.rng
        by_building: dict[int, list[_Seed]] = {}
        by_unit: dict[tuple[int, str], list[_Seed]] = {}
        courtyards: dict[int, list[_Seed]] = {}
        for household in households:
            people = people_of.get(household.pk, [])
            if household.building_id:
                by_building.setdefault(household.building_id, []).extend(people)
                by_unit.setdefault((household.building_id, household.unit_no), []).extend(people)
            else:
                courtyards.setdefault(household.grid_id, []).extend(people)
        buildings = {h.building_id: h.building for h in households if h.building_id}
        grid_of = {g.pk: g for g in self.grids}
        rows = []

        def appoint(people: list[_Seed], share: float, grid_id: int, position: str, note: str = "") -> None:
            candidates = [s for s in people if 45 <= s.age <= 75]
            if candidates and rng.random() < share:
                start = days_before(rng, self.anchor, 60, 365 * 5)
                rows.append(
                    self._position(
                        rng.choice(candidates), grid_of[grid_id], position, start_date=start, note=note
                    )
                )

        for building_id, people in by_building.items():
            building = buildings[building_id]
            appoint(people, 0.35, building.grid_id, Position.BUILDING_HEAD, building.name)
        for (building_id, unit_no), people in by_unit.items():
            building = buildings[building_id]
            appoint(people, 0.15, building.grid_id, Position.UNIT_HEAD, f"{building.name}{unit_no}")
        for grid_id, people in courtyards.items():
            appoint(people, 1.0, grid_id, Position.COURTYARD_HEAD)
        return rows

    def _registrations(self, members: list[Member]) -> None:
        """在职党员进社区: unit members living here register with skills, hobbies and wishes (PPL-3)."""
        rng = self.rng
        first_branch = self.orgs[self.community.branches[0]]
        rows = []
        for member in members:
            # Members of the units' own or joint branches who live here; the gap unit's members already
            # belong to the community's branch and have nothing to register.
            if (
                member.work_unit is None
                or not member.person.is_resident
                or member.branch.pk == first_branch.pk
            ):
                continue
            registered = days_before(rng, self.anchor, 30, 365 * 4)
            registration = InServiceRegistration(
                member=member,
                community=self.node,
                registered_on=registered,
                skills="、".join(rng.sample(_SKILLS, rng.randint(1, 3))),
                hobbies="、".join(rng.sample(_HOBBIES, rng.randint(1, 2))),
                service_wishes="、".join(rng.sample(_WISHES, rng.randint(1, 3))),
                availability=rng.choice(_AVAILABILITY),
            )
            evaluated = days_before(rng, self.today, 10, 300)
            if rng.random() < 0.5 and evaluated >= registered + datetime.timedelta(days=30):
                registration.evaluation = rng.choice(
                    (
                        "积极参加社区活动，服务群众热情主动。",
                        "按时报到，认领岗位并履职到位。",
                        "参与志愿服务次数较多，表现良好。",
                    )
                )
                registration.evaluated_on = evaluated
            rows.append(registration)
        self._write(InServiceRegistration, rows)

    def _floating(self, members: list[Member], recorders: list[str]) -> None:
        """Floating members: where they are, how to reach them, contacts and thought reports (PPL-4)."""
        rng = self.rng
        records, contacts_of = [], []
        for member in members:
            if member.category != MemberCategory.FLOATING:
                continue
            inflow = rng.random() < 0.15
            since = days_before(rng, self.anchor, 200, 365 * 6)
            last = days_before(rng, self.today, 5, 120)
            returned = not inflow and rng.random() < 0.1
            place = rng.choice(_INFLOW_PLACES if inflow else _OUTFLOW_PLACES)
            phone = self.factory.phones.mobile()
            record = FloatingRecord(
                member=member,
                direction=FloatingDirection.INFLOW if inflow else FloatingDirection.OUTFLOW,
                place=place,
                place_party_org=f"{place}{'流动党员党支部' if not inflow else '原所在党支部'}",
                reason=rng.choice(_FLOAT_REASONS),
                since=since,
                until=last if returned else None,
                contact_phone_encrypted=pii.encrypt(phone),
                contact_phone_masked=pii.mask_phone(phone),
                last_contact_on=last,
                is_active=not returned,
            )
            records.append(record)
            dates = sorted(
                {
                    last,
                    *(
                        days_before(rng, last, 15, max(16, (last - since).days))
                        for _ in range(rng.randint(1, 5))
                    ),
                }
            )
            contacts_of.append(dates)
        records = self._write(FloatingRecord, records)
        contacts = []
        for record, dates in zip(records, contacts_of, strict=True):
            for day in dates:
                thought = rng.random() < 0.35
                contacts.append(
                    FloatingContact(
                        record=record,
                        contacted_on=day,
                        method=ContactMethod.LETTER
                        if thought and rng.random() < 0.5
                        else rng.choice(list(ContactMethod)),
                        is_thought_report=thought,
                        content=_THOUGHT_REPORT if thought else rng.choice(_CONTACT_TEXTS),
                        recorded_by_name=rng.choice(recorders),
                    )
                )
        self._write(FloatingContact, contacts)

    def _tags(
        self, households: list[Household], people_of: dict[int, list[_Seed]]
    ) -> dict[int, list[HouseholdTag]]:
        """Tags from who lives in a household (独居老人, 空巢) and drawn ones (低保, 困难户, 残疾, 退役军人)."""
        rng, tags = self.rng, self.tags
        result: dict[int, list[HouseholdTag]] = {}
        for household in households:
            people = people_of.get(household.pk, [])
            chosen = []
            if rng.random() < 0.03:
                chosen.append(tags["dibao"])
            if len(people) == 2 and all(s.age >= 60 for s in people):
                chosen.append(tags["empty_nest"])
            if len(people) == 1 and people[0].age >= 65:
                chosen.append(tags["elderly_alone"])
            if rng.random() < 0.035:
                chosen.append(tags["disabled"])
            if rng.random() < 0.02:
                chosen.append(tags["hardship"])
            if rng.random() < 0.08 and any(s.age >= 35 and s.person.gender == Gender.MALE for s in people):
                chosen.append(tags["veteran"])
            if chosen:
                result[household.pk] = sorted(chosen, key=lambda t: t.sort_order)
        through = Household.tags.through
        self._write_links(
            through,
            [
                through(household_id=pk, householdtag_id=tag.pk)
                for pk, chosen in result.items()
                for tag in chosen
            ],
        )
        by_pk = {h.pk: h for h in households}
        if self.audit_each:
            audit_bulk(
                [
                    audit_build(
                        actor=None,
                        action=AuditAction.UPDATE,
                        target=by_pk[pk],
                        changes={"tags": [[], [t.name for t in chosen]]},
                        note=self.note,
                    )
                    for pk, chosen in result.items()
                ]
            )
        self.counts.add("户标签", sum(len(c) for c in result.values()))
        return result

    def _zones(
        self, members: list[Member], households: list[Household], tags: dict[int, list[HouseholdTag]]
    ) -> None:
        """党员责任区: per grid one or two zones of a few buildings, with key households (PPL-5)."""
        rng = self.rng
        buildings_of: dict[int, list[Building]] = {}
        households_of: dict[int, list[Household]] = {}
        for household in households:
            if household.building_id:
                if household.building not in buildings_of.setdefault(household.grid_id, []):
                    buildings_of[household.grid_id].append(household.building)
                households_of.setdefault(household.building_id, []).append(household)
        keepers: dict[int, list[Member]] = {}
        for member in members:
            if (
                member.status == MemberStatus.FORMAL
                and member.category in (MemberCategory.RETIRED, MemberCategory.UNEMPLOYED)
                and member.person.household_id
            ):
                keepers.setdefault(member.person.node_id, []).append(member)
        zones, links = [], []
        self.zone_keepers: set[int] = set()
        for grid in self.grids:
            candidates = keepers.get(grid.pk, [])
            buildings = buildings_of.get(grid.pk, [])
            if not candidates or not buildings:
                continue
            for _ in range(min(rng.randint(1, 2), len(candidates))):
                member = candidates.pop(rng.randrange(len(candidates)))
                start = rng.randrange(len(buildings))
                chosen = buildings[start : start + rng.randint(1, 3)]
                key = [h for b in chosen for h in households_of.get(b.pk, []) if h.pk in tags][:5]
                label = chosen[0].name if len(chosen) == 1 else f"{chosen[0].name}至{chosen[-1].name}"
                zones.append(
                    ResponsibilityZone(
                        node=grid, member=member, name=f"{grid.name}{label}党员责任区", duties=_ZONE_DUTIES
                    )
                )
                links.append((chosen, key))
                self.zone_keepers.add(member.pk)
        zones = self._write(
            ResponsibilityZone,
            zones,
            changes=lambda z: {"member": [None, z.member.person.name]},
        )
        building_through = ResponsibilityZone.buildings.through
        household_through = ResponsibilityZone.key_households.through
        self._write_links(
            building_through,
            [
                building_through(responsibilityzone_id=z.pk, building_id=b.pk)
                for z, (chosen, _) in zip(zones, links, strict=True)
                for b in chosen
            ],
        )
        self._write_links(
            household_through,
            [
                household_through(responsibilityzone_id=z.pk, household_id=h.pk)
                for z, (_, key) in zip(zones, links, strict=True)
                for h in key
            ],
        )

    def _posts(self, members: list[Member]) -> None:
        """无职党员设岗定责 for some retired and unemployed members; 党员示范岗 in some units (PPL-5)."""
        rng = self.rng
        grids = {g.pk: g for g in self.grids}
        rows = []
        for member in members:
            start = days_before(rng, self.anchor, 30, 365 * 3)
            if (
                member.category in (MemberCategory.RETIRED, MemberCategory.UNEMPLOYED)
                and member.status == MemberStatus.FORMAL
                and member.pk not in self.zone_keepers
                and rng.random() < 0.15
            ):
                title, duties = rng.choice(_POSTS)
                node = grids.get(member.person.node_id, self.node)
                rows.append(
                    MemberPost(
                        node=node,
                        member=member,
                        kind=PostKind.DUTY,
                        title=title,
                        duties=duties,
                        start_date=start,
                    )
                )
            elif member.work_unit is not None and member.status == MemberStatus.FORMAL and rng.random() < 0.2:
                rows.append(
                    MemberPost(
                        node=member.work_unit,
                        member=member,
                        kind=PostKind.MODEL,
                        title=rng.choice(_MODEL_POSTS),
                        duties="立足岗位亮身份、作表率，接受群众监督。",
                        start_date=start,
                    )
                )
        self._write(MemberPost, rows)


def seed_population(ctx: DemoContext, plan: DistrictPlan, *, audit_each: bool) -> dict[str, int]:
    """Fill the planned district (already written by `orgs.seeding`) with people; returns counts per table."""
    tree = load_tree(plan)
    tags = {t.code: t for t in HouseholdTag.objects.all()}
    factory = PersonFactory(ctx)
    counts = PopulationCounts()
    started = time.monotonic()
    communities = plan.communities
    for done, community in enumerate(communities, start=1):
        _CommunityBuilder(ctx, factory, plan, community, tree, tags, audit_each, counts).run()
        if len(communities) >= 20 and done % 10 == 0:
            ctx.log(f"已生成 {done}/{len(communities)} 个社区的人员（{time.monotonic() - started:.0f} 秒）")
    return counts.values


def seed_scale(ctx: ScaleContext) -> None:
    for label, n in seed_population(ctx, ctx.plan, audit_each=ctx.audit_each).items():
        ctx.count(label, n)
