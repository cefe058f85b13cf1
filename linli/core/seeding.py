"""Synthetic district data shared by `linli demo` and `linli seed --scale …`: names, ID numbers, phones, plans.

The generators and plans are pure Python (no database, no app imports) and deterministic: a
generator gets a `random.Random` and always yields the same values for the same seed. The writers
that turn a plan into rows live in the apps (`orgs/seeding.py`, `people/seeding.py`,
`accounts/seeding.py`); the `seed` command finds them like `demo` finds the demo seeders: a module
`<app>/seeding.py` defining `ORDER` and `seed_scale(ctx: ScaleContext)`. The end of this module
holds what both commands share: audited bulk insert, the run marker, database reset, login table.

Dates: structural data (births, Party join dates, terms) is placed relative to 1 January of the
current year (`anchor_date`), so the same year gives the same data on every machine; recent events
(contacts with floating members, evaluations) are placed a deterministic number of days before
`ctx.today`, so they stay recent whenever the demo is built.
"""

from __future__ import annotations

import datetime
import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.apps import apps

from .demo import DemoContext, DemoLogin
from .validators import id_check_digit

DEMO_REGION = "530102"  # 云南省昆明市五华区

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

# Surname weights (per 10,000 people), close to the national frequency ranking; the rare and
# polyphonic surnames that pinyin search must read correctly (单 shan, 曾 zeng, 解 xie, 仇 qiu,
# 朴 piao, 欧阳) are weighted up a little so that a district of 5,000 shows each of them.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 710), ("李", 700), ("张", 650), ("刘", 540), ("陈", 460), ("杨", 310), ("黄", 250),
    ("赵", 230), ("吴", 200), ("周", 190), ("徐", 160), ("孙", 150), ("马", 150), ("朱", 130),
    ("胡", 130), ("郭", 120), ("何", 120), ("高", 110), ("林", 110), ("罗", 100), ("郑", 97),
    ("梁", 90), ("谢", 80), ("宋", 70), ("唐", 70), ("许", 65), ("韩", 60), ("冯", 60), ("邓", 60),
    ("曹", 55), ("彭", 55), ("曾", 50), ("肖", 50), ("田", 45), ("董", 45), ("袁", 45), ("潘", 40),
    ("于", 40), ("蒋", 40), ("蔡", 40), ("余", 40), ("杜", 35), ("叶", 35), ("程", 35), ("苏", 33),
    ("魏", 33), ("吕", 33), ("丁", 30), ("任", 30), ("沈", 30), ("姚", 28), ("卢", 28), ("姜", 27),
    ("崔", 27), ("钟", 26), ("谭", 26), ("陆", 25), ("汪", 24), ("范", 24), ("金", 23), ("石", 23),
    ("廖", 22), ("贾", 22), ("夏", 21), ("韦", 21), ("付", 20), ("方", 20), ("白", 20), ("邹", 20),
    ("孟", 19), ("熊", 19), ("秦", 18), ("邱", 18), ("江", 18), ("尹", 17), ("薛", 17), ("闫", 17),
    ("段", 16), ("雷", 16), ("侯", 15), ("龙", 15), ("史", 15), ("陶", 14), ("黎", 14), ("贺", 14),
    ("顾", 13), ("毛", 13), ("郝", 13), ("龚", 12), ("邵", 12), ("万", 12), ("钱", 12), ("严", 11),
    ("覃", 11), ("武", 11), ("戴", 11), ("莫", 10), ("孔", 10), ("向", 10), ("汤", 10), ("普", 8),
    ("和", 6), ("字", 5), ("单", 10), ("解", 9), ("仇", 9), ("朴", 8), ("欧阳", 10), ("上官", 2),
    ("司马", 2), ("诸葛", 1),
)  # fmt: skip

# Given names by generation: whole names typical of the era, and characters to compose others.
_GIVEN = {
    ("M", "old"): (
        "建国 建华 国庆 国强 志强 德明 德华 玉林 永福 家祥 文华 振华 建军 卫东 红兵 海涛 光明 学文 "
        "万福 金生 长林 春生 国华 秀山 正清 宝林 志明 荣华 庆丰 立新 跃进 胜利 朝阳 援朝 新民 世荣 启明 "
        "绍华 德胜 家顺 文斌 树林 开富 正祥 汝林 兴华 绍明 光荣"
    ),
    ("F", "old"): (
        "秀英 桂英 秀兰 桂兰 玉兰 淑珍 凤英 玉珍 秀珍 丽华 美华 翠华 淑英 玉梅 桂芳 秀芳 素芬 淑芬 兰英 "
        "金凤 彩云 红梅 凤兰 爱华 素珍 琼芬 丽芬 惠芳 月英 玉芬 粉英 润芬 会芬 云仙 翠英 桂珍 菊芬 丽仙"
    ),
    ("M", "mid"): (
        "建伟 志刚 海军 晓东 国栋 文军 俊峰 永刚 小龙 红军 卫国 建平 云龙 晓明 立军 志勇 海波 宏伟 "
        "俊 伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 飞 波 峰 健 昆明 云峰 春雷 剑 毅"
    ),
    ("F", "mid"): (
        "丽娟 晓燕 海燕 春燕 雪梅 红艳 秀梅 丽萍 晓红 艳玲 慧敏 晓丽 婷婷 琳 芳 娜 敏 静 丽 艳 娟 霞 "
        "燕 玲 萍 红 云 瑛 丽琼 艳萍 春梅 晓云 玉洁 雪莲"
    ),
    ("M", "young"): (
        "浩然 子轩 宇轩 梓豪 俊杰 浩宇 天佑 一鸣 博文 子墨 泽宇 皓轩 明轩 睿 宇航 家豪 嘉懿 思远 铭 "
        "子豪 文博 俊熙 梓睿 云帆 逸飞 承泽 昊天 奕辰 宇 晨"
    ),
    ("F", "young"): (
        "欣怡 梓涵 诗涵 子萱 雨涵 可馨 梓萱 思彤 语嫣 若曦 一诺 佳怡 紫涵 雨萱 静怡 晨曦 雅琪 思琪 "
        "欣妍 梦瑶 子涵 悦 瑶 琪 妍 依诺 沐晴 芷若 安然 诗雨"
    ),
}
_FIRST_CHARS = {
    "M": "建国志文永家德海晓俊云立明宏春学正兴光金世绍嘉子浩宇天",
    "F": "秀玉丽淑桂美翠素春晓雪红艳慧玲丽佳雨思欣梓诗若雅紫梦",
}
_SECOND_CHARS = {
    "M": "华明强军林平刚生伟东峰龙波涛辉杰斌勇成荣祥福昌宏伟鹏飞超轩然宇豪",
    "F": "英兰芳珍梅华琴凤云霞萍燕娟红丽玲敏静艳婷琳洁雪莹怡涵萱琪瑶妍",
}


def _era(birth_year: int) -> str:
    if birth_year <= 1965:
        return "old"
    if birth_year <= 1989:
        return "mid"
    return "young"


class NameGenerator:
    """Chinese names with realistic surname frequencies and given names that fit the birth year."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._surnames = [s for s, _ in SURNAMES]
        self._cumulative = []
        total = 0
        for _, weight in SURNAMES:
            total += weight
            self._cumulative.append(total)
        self._given = {key: value.split() for key, value in _GIVEN.items()}

    def surname(self) -> str:
        return self.rng.choices(self._surnames, cum_weights=self._cumulative)[0]

    def given(self, gender: str, birth_year: int) -> str:
        roll = self.rng.random()
        if roll < 0.55:
            return self.rng.choice(self._given[(gender, _era(birth_year))])
        if roll < 0.9:
            return self.rng.choice(_FIRST_CHARS[gender]) + self.rng.choice(_SECOND_CHARS[gender])
        return self.rng.choice(_SECOND_CHARS[gender])

    def make(self, gender: str, birth_year: int, surname: str | None = None) -> str:
        """A full name; pass `surname` for a child who takes the father's surname."""
        return (surname or self.surname()) + self.given(gender, birth_year)


def surname_of(name: str) -> str:
    """The surname of a generated name: compound surnames are the two-character ones in SURNAMES."""
    if len(name) >= 3 and name[:2] in _COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


_COMPOUND_SURNAMES = frozenset(s for s, _ in SURNAMES if len(s) == 2)

# ---------------------------------------------------------------------------------------------
# ID numbers, phones, dates
# ---------------------------------------------------------------------------------------------


class IdNumberGenerator:
    """Unique 18-digit resident ID numbers (GB 11643): region, birth date, sequence with gender parity, check digit."""

    def __init__(self, rng: random.Random, region: str = DEMO_REGION):
        self.rng = rng
        self.region = region
        self.issued: set[str] = set()

    def make(self, birth_date: datetime.date, gender: str) -> str:
        prefix = f"{self.region}{birth_date:%Y%m%d}"
        for _ in range(1000):
            # The 17th digit is odd for men and even for women.
            sequence = self.rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
            first17 = f"{prefix}{sequence:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.issued:
                self.issued.add(number)
                return number
        raise RuntimeError(f"no free ID number left for {birth_date} {gender}")


_MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]


class PhoneGenerator:
    """Unique mobile numbers with real prefixes, and 0871 (Kunming) landlines."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.issued: set[str] = set()

    def mobile(self) -> str:
        while True:
            phone = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.issued:
                self.issued.add(phone)
                return phone

    def landline(self) -> str:
        while True:
            phone = f"0871-6{self.rng.randrange(10**7):07d}"
            if phone not in self.issued:
                self.issued.add(phone)
                return phone


def anchor_date(today: datetime.date) -> datetime.date:
    """1 January of today's year: births, join dates and terms are placed relative to it."""
    return datetime.date(today.year, 1, 1)


def birth_date_for_age(rng: random.Random, age: int, anchor: datetime.date) -> datetime.date:
    """A birth date at which the person is `age` on the anchor date (never after the anchor)."""
    latest = datetime.date(anchor.year - age, 1, 1) - datetime.timedelta(days=1)
    return latest - datetime.timedelta(days=rng.randrange(365))


def days_before(rng: random.Random, day: datetime.date, low: int, high: int) -> datetime.date:
    return day - datetime.timedelta(days=rng.randint(low, high))


_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (for 第一网格 … 第二十网格)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return text + (_CN_DIGITS[ones] if ones else "")


# ---------------------------------------------------------------------------------------------
# Plans: what a district looks like before any row is written
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitPlan:
    """A unit under a community and its Party organisation (ORG-1, ORG-2).

    party: "own" (单独组建 branch at the unit), "joint" (covered by the community's 联合党支部),
    "gap" (≥3 formal members work there, yet no organisation covers it: the coverage report's gap),
    "none" (no Party members).
    """

    name: str
    unit_type: str
    party: str
    members: int
    resident_members: int  # of `members`, how many live in the community (the rest live elsewhere)


@dataclass(frozen=True)
class AreaPlan:
    """A 小区/居民小组 with the grids (1-based numbers) that hang under it and whether it has a 小区党支部."""

    name: str
    grids: tuple[int, ...]
    has_branch: bool


@dataclass(frozen=True)
class CommunityPlan:
    name: str
    code: str
    org_kind: str  # "community_committee" (社区党委) or "general_branch" (党总支)
    branches: tuple[str, ...]  # branch names under the community organisation
    grids: int
    areas: tuple[AreaPlan, ...]
    units: tuple[UnitPlan, ...]
    residents: int  # persons living in the community's households who are not Party members
    members: int  # members of the community's own branches (unit members are in `units`)
    roads: tuple[str, ...]
    dual_role: bool  # 一肩挑: the secretary is also the residents' committee director
    reserve_cadres: int
    first_secretary: bool
    grids_without_worker: tuple[int, ...] = ()

    def grid_name(self, number: int) -> str:
        return f"{self.name}第{chinese_number(number)}网格"

    @property
    def unit_members(self) -> int:
        return sum(u.members for u in self.units)


@dataclass(frozen=True)
class StreetPlan:
    name: str
    code: str
    communities: tuple[CommunityPlan, ...]


@dataclass(frozen=True)
class DistrictPlan:
    name: str
    code: str
    streets: tuple[StreetPlan, ...]

    @property
    def communities(self) -> list[CommunityPlan]:
        return [c for s in self.streets for c in s.communities]

    @property
    def totals(self) -> dict[str, int]:
        cs = self.communities
        members = sum(c.members + c.unit_members for c in cs)
        return {
            "streets": len(self.streets),
            "communities": len(cs),
            "grids": sum(c.grids for c in cs),
            "members": members,
            "residents": sum(c.residents for c in cs),
            "persons": sum(c.residents for c in cs) + members,
        }


@dataclass(frozen=True)
class Scale:
    """Sizes of a generated district. `persons = residents + members`; members are persons too."""

    streets: int
    communities: int
    grids: int
    members: int
    residents: int


SCALES: dict[str, Scale] = {
    "tiny": Scale(streets=2, communities=3, grids=6, members=60, residents=240),
    "tenth": Scale(streets=2, communities=10, grids=50, members=3_000, residents=30_000),
    "district": Scale(streets=8, communities=100, grids=500, members=30_000, residents=300_000),
}
DEMO_SCALE = Scale(streets=2, communities=6, grids=30, members=600, residents=5_000)

STREET_NAMES = (
    "华山街道",
    "护国街道",
    "大观街道",
    "龙翔街道",
    "丰宁街道",
    "莲华街道",
    "红云街道",
    "黑林铺街道",
)
DEMO_COMMUNITIES = (("复兴社区", "翠湖社区", "文林社区"), ("金碧社区", "护国社区", "光华社区"))
_COMMUNITY_WORDS = [
    "复兴",
    "翠湖",
    "文林",
    "金碧",
    "护国",
    "光华",
    "大观",
    "篆塘",
    "龙翔",
    "丰宁",
    "莲华",
    "红云",
    "普吉",
    "西翥",
    "北门",
    "圆通",
    "青云",
    "钱局",
    "武成",
    "景星",
    "正义",
    "东风",
    "南屏",
    "螺峰",
    "长春",
    "小西",
    "西坝",
    "新村",
    "福德",
    "兴苑",
    "云秀",
    "明珠",
    "锦绣",
    "春城",
    "昆华",
    "盘龙",
    "金星",
    "银河",
    "玉龙",
    "彩云",
    "梨园",
    "菜园",
    "桃源",
    "梅园",
    "竹园",
    "松华",
    "柏林",
    "桂苑",
    "兰亭",
    "荷塘",
    "杏林",
    "枫林",
    "朝阳",
    "晨光",
    "曙光",
    "新华",
    "和平",
    "团结",
    "友谊",
    "幸福",
    "永安",
    "长安",
    "太平",
    "民主",
    "建设",
    "前进",
    "红旗",
    "胜利",
    "光明",
    "东华",
    "西华",
    "南华",
    "北华",
    "龙泉",
    "虹山",
    "海源",
    "苏家",
    "大树",
    "马村",
    "沙沟",
    "王家",
    "金鼎",
    "银峰",
    "鹤鸣",
    "凤翥",
    "莲花",
    "丹霞",
    "翠微",
    "云林",
    "月华",
    "星光",
    "春晖",
    "丽苑",
    "秀园",
    "云华",
    "沙朗",
    "普坪",
    "厂口",
    "团山",
    "筇竹",
    "妙高",
    "商山",
    "赵家",
    "陈家",
    "黄土坡",
    "白龙",
    "青龙",
]
_ROAD_WORDS = [
    "东风西",
    "人民中",
    "青年",
    "华山南",
    "翠湖南",
    "钱局",
    "文林",
    "景星",
    "武成",
    "南屏",
    "正义",
    "光华",
    "护国",
    "金碧",
    "西昌",
    "东寺",
    "柿花桥",
    "龙翔",
    "丰宁",
    "莲华",
    "红云",
    "学府",
    "建设",
    "滇缅",
    "昌源",
    "西站",
    "黄土坡",
    "二环西",
    "明通",
    "书林",
    "螺峰",
    "圆通",
    "青云",
    "北京",
    "小西门",
    "大观",
    "篆塘",
    "兴苑",
    "海源",
    "普吉",
    "沙朗",
    "龙泉",
    "学院",
    "环城西",
    "丹霞",
]
_ROAD_SUFFIX = ("路", "街", "巷")

_UNIT_TEMPLATES = {
    "enterprise": (
        "云南{w}商贸有限公司", "昆明{w}物业管理有限公司", "云南{w}科技有限公司", "昆明{w}餐饮有限公司",
        "云南{w}家政服务有限公司", "昆明{w}物流有限公司", "云南{w}建筑装饰工程有限公司",
    ),
    "social_org": ("{w}社区志愿者协会", "{w}社区老年协会", "{w}社会工作服务中心", "{w}养老服务中心"),
    "government": ("{w}小学", "{w}社区卫生服务站", "五华区{w}市场监管所", "{w}幼儿园"),
    "stationed": ("中国工商银行昆明{w}支行", "昆明市{w}医院", "云南省{w}宾馆", "中国邮政{w}营业所"),
}  # fmt: skip
_BRANCH_SETS = (
    ("第一党支部", "第二党支部"),
    ("第一党支部", "第二党支部", "离退休党员党支部"),
    ("第一党支部", "第二党支部", "第三党支部", "离退休党员党支部"),
)
_AREA_SUFFIXES = ("小区", "花园", "居民小组", "苑")


def _split(total: int, parts: int, rng: random.Random, spread: float) -> list[int]:
    """`total` split into `parts` positive integers that vary by about ±spread and sum exactly to total."""
    weights = [1 + rng.uniform(-spread, spread) for _ in range(parts)]
    raw = [total * w / sum(weights) for w in weights]
    values = [max(1, int(v)) for v in raw]
    # Hand the remainder to the largest fractional parts, deterministically.
    order = sorted(range(parts), key=lambda i: (raw[i] - int(raw[i]), -i), reverse=True)
    i = 0
    while sum(values) < total:
        values[order[i % parts]] += 1
        i += 1
    while sum(values) > total:
        j = max(range(parts), key=lambda k: (values[k], -k))
        values[j] -= 1
    return values


def _units_for(word: str, rng: random.Random, *, budget: int, first: bool, gap: bool) -> tuple[UnitPlan, ...]:
    """The units of one community and how each is covered by a Party organisation.

    The first community (复兴社区) always has every case: own branches, a joint branch covering two
    units, a unit with members but no organisation (the coverage gap) and a unit without members.
    """
    if first:
        kinds = ["stationed", "government", "enterprise", "enterprise", "social_org", "enterprise"]
        parties = ["own", "own", "gap", "joint", "joint", "none"]
    else:
        count = max(2, min(7, budget // 4 + rng.randint(-1, 1)))
        kinds = ["stationed", "enterprise", "government", "social_org", "enterprise"]
        kinds += [rng.choice(["enterprise", "social_org", "government"]) for _ in range(2)]
        kinds = kinds[:count]
        parties = [
            "own" if kind in ("stationed", "government") else rng.choice(["own", "joint", "joint", "none"])
            for kind in kinds
        ]
        if gap:
            parties[kinds.index("enterprise")] = "gap"
        if parties.count("joint") == 1:
            parties[parties.index("joint")] = "none"
    names: list[str] = []
    for kind in kinds:
        free = [t.format(w=word) for t in _UNIT_TEMPLATES[kind] if t.format(w=word) not in names]
        names.append(rng.choice(free))
    sizes = [{"joint": 2, "gap": 4, "none": 0}.get(p, 0) for p in parties]
    own = [i for i, p in enumerate(parties) if p == "own"]
    if own:
        spare = max(budget - sum(sizes), 3 * len(own))
        for i, size in zip(own, _split(spare, len(own), rng, 0.5), strict=True):
            sizes[i] = max(3, size)
    return tuple(
        UnitPlan(name=name, unit_type=kind, party=party, members=size, resident_members=size // 2)
        for kind, name, party, size in zip(kinds, names, parties, sizes, strict=True)
    )


def build_plan(
    *,
    district: str,
    code: str,
    streets: list[tuple[str, list[str]]],
    scale: Scale,
    rng: random.Random,
) -> DistrictPlan:
    """Lay out a district: grids, members and residents shared out over communities, units, branches.

    The first community of the first street is always 复兴社区 with grids directly under it, a unit
    with a coverage gap and 一肩挑, so the demo logins exist in every generated district.
    """
    n_communities = sum(len(names) for _, names in streets)
    grids = _split(scale.grids, n_communities, rng, 0.3)
    members = _split(scale.members, n_communities, rng, 0.25)
    residents = _split(scale.residents, n_communities, rng, 0.25)
    used_roads: set[str] = set()
    street_plans = []
    index = 0
    for s_no, (street, names) in enumerate(streets, start=1):
        street_code = f"{code}{s_no:03d}"
        communities = []
        for c_no, name in enumerate(names, start=1):
            word = name.removesuffix("社区")
            first = index == 0
            n_grids = grids[index]
            unit_budget = max(6, members[index] // 6)
            units = _units_for(word, rng, budget=unit_budget, first=first, gap=rng.random() < 0.1)
            unit_members = sum(u.members for u in units)
            own_members = max(members[index] - unit_members, 8)
            branches = rng.choice(_BRANCH_SETS) if own_members >= 40 else _BRANCH_SETS[0]
            areas: tuple[AreaPlan, ...] = ()
            # Every third community has a 小区/居民小组 holding its last two grids.
            if index % 3 == 1 and n_grids >= 3:
                area_grids = tuple(range(n_grids - 1, n_grids + 1))
                areas = (
                    AreaPlan(
                        name=f"{word}{rng.choice(_AREA_SUFFIXES)}",
                        grids=area_grids,
                        has_branch=rng.random() < 0.6,
                    ),
                )
            roads = []
            for _ in range(3):
                road = rng.choice(_ROAD_WORDS) + rng.choice(_ROAD_SUFFIX)
                while road in used_roads and len(used_roads) < len(_ROAD_WORDS) * 3:
                    road = rng.choice(_ROAD_WORDS) + rng.choice(_ROAD_SUFFIX)
                used_roads.add(road)
                roads.append(road)
            communities.append(
                CommunityPlan(
                    name=name,
                    code=f"{street_code}{c_no:03d}",
                    # 社区党委 where a community has 100 members or more, 党总支 below.
                    org_kind="community_committee" if members[index] >= 100 else "general_branch",
                    branches=tuple(f"{name}{b}" for b in branches),
                    grids=n_grids,
                    areas=areas,
                    units=units,
                    residents=residents[index],
                    members=own_members,
                    roads=tuple(roads),
                    # 一肩挑 in nine communities of ten; reserve cadres 2–3 in most; a 第一书记 in one of seven.
                    dual_role=index % 10 != 5,
                    reserve_cadres=3 if first else rng.choice([1, 2, 2, 3, 3]),
                    first_secretary=index % 7 == 3,
                )
            )
            index += 1
        street_plans.append(StreetPlan(name=street, code=street_code, communities=tuple(communities)))
    # Keep the totals exact: the community-branch member counts absorb the units' rounding.
    street_plans = _balance_members(street_plans, scale.members)
    return DistrictPlan(name=district, code=code, streets=tuple(street_plans))


def _balance_members(streets: list[StreetPlan], total: int) -> list[StreetPlan]:
    communities = [c for s in streets for c in s.communities]
    difference = total - sum(c.members + c.unit_members for c in communities)
    largest = max(range(len(communities)), key=lambda i: (communities[i].members, -i))
    fixed = communities[largest]
    communities[largest] = replace(fixed, members=fixed.members + difference)
    result, i = [], 0
    for street in streets:
        n = len(street.communities)
        result.append(replace(street, communities=tuple(communities[i : i + n])))
        i += n
    return result


def _with_grid_gaps(plan: DistrictPlan, rng: random.Random, share: float) -> DistrictPlan:
    """Leave a grid without a grid worker: the last grid of the last community, and `share` of others."""
    streets = []
    last = plan.communities[-1].name
    for street in plan.streets:
        communities = []
        for c in street.communities:
            gaps = [g for g in range(1, c.grids + 1) if rng.random() < share and c.name != "复兴社区"]
            if c.name == last:
                gaps.append(c.grids)
            communities.append(replace(c, grids_without_worker=tuple(sorted(set(gaps)))))
        streets.append(replace(street, communities=tuple(communities)))
    return replace(plan, streets=tuple(streets))


def demo_plan() -> DistrictPlan:
    """The demo district 五华区: 华山街道 and 护国街道, six communities, about 30 grids."""
    rng = random.Random("linli-demo-plan")
    streets = [(STREET_NAMES[i], list(DEMO_COMMUNITIES[i])) for i in range(2)]
    plan = build_plan(district="五华区", code=DEMO_REGION, streets=streets, scale=DEMO_SCALE, rng=rng)
    return _with_grid_gaps(plan, rng, 0)


def scale_plan(name: str) -> DistrictPlan:
    """A generated district of the named size (`SCALES`): 复兴社区 first, then names from the word pool."""
    scale = SCALES[name]
    rng = random.Random(f"linli-scale-plan:{name}")
    words = [w for w in _COMMUNITY_WORDS if w != "复兴"]
    rng.shuffle(words)
    names = ["复兴社区"] + [f"{w}社区" for w in words[: scale.communities - 1]]
    per_street = _split(scale.communities, scale.streets, rng, 0.2)
    streets, i = [], 0
    for s in range(scale.streets):
        streets.append((STREET_NAMES[s], names[i : i + per_street[s]]))
        i += per_street[s]
    plan = build_plan(district="五华区", code=DEMO_REGION, streets=streets, scale=scale, rng=rng)
    return _with_grid_gaps(plan, rng, 0.02)


# ---------------------------------------------------------------------------------------------
# The scale seeding run
# ---------------------------------------------------------------------------------------------


@dataclass
class ScaleContext(DemoContext):
    """What `seed --scale` hands to each `<app>/seeding.py`: a demo context plus the district plan.

    `audit_each` is False: bulk writers record one audit entry per table and community instead of
    one per row (the demo writes one per row, like the services).
    """

    scale: str = "tiny"
    audit_each: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @cached_property
    def plan(self) -> DistrictPlan:
        return scale_plan(self.scale)

    def count(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n


def scale_seeders() -> list[tuple[int, str, Callable[[ScaleContext], None]]]:
    """`(ORDER, app label, seed_scale)` of every app whose `seeding.py` defines `seed_scale`, in order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("linli."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.seeding")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.seeding":
                raise
            continue
        if hasattr(module, "seed_scale"):
            found.append((module.ORDER, config.label, module.seed_scale))
    return sorted(found)


def bulk_create_audited(
    model: type,
    objects: list,
    *,
    audit_each: bool,
    note: str,
    changes: Callable[[object], dict] | None = None,
    batch_size: int = 1000,
) -> list:
    """Insert rows in batches and audit them in the same transaction, as the services would.

    With `audit_each` every row gets its own "新增" entry (what the demo does, like a service call);
    otherwise one "导入" entry records how many rows of the table were written (the scale seed).
    """
    from .audit import audit_build, audit_bulk
    from .choices import AuditAction

    if not objects:
        return objects
    if all(obj.pk is not None for obj in objects):
        # Ids assigned ahead (rows that point at each other); the caller resets PostgreSQL's sequence.
        from .bulk import bulk_insert

        bulk_insert(objects, batch_size=batch_size, explicit_ids=True)
        created = objects
    else:
        created = model.objects.bulk_create(objects, batch_size=batch_size)
    if audit_each:
        entries = [
            audit_build(
                actor=None,
                action=AuditAction.CREATE,
                target=obj,
                changes=changes(obj) if changes else {},
                note=note,
            )
            for obj in created
        ]
    else:
        entries = [
            audit_build(
                actor=None,
                action=AuditAction.IMPORT,
                target_type=model._meta.label_lower,
                target_repr=f"{len(created)}条{model._meta.verbose_name}",
                note=note,
            )
        ]
    audit_bulk(entries)
    return created


# ---------------------------------------------------------------------------------------------
# Markers, reset and the login table (used by the `demo` and `seed` commands)
# ---------------------------------------------------------------------------------------------

MARKER_TYPE = "core.seeding"


@dataclass(frozen=True)
class SeedMarker:
    """What a finished `demo` or `seed` run recorded in the audit log: its kind, logins and counts."""

    kind: str  # "demo" or a scale name
    logins: list[DemoLogin]
    counts: dict[str, int]


def marker_write(*, kind: str, title: str, logins: list[DemoLogin], counts: dict[str, int]) -> None:
    """Record the finished run as one audit entry; its note lists the logins and counts, one per line."""
    from .audit import audit_record
    from .choices import AuditAction

    lines = [title]
    lines += [f"账号\t{login.username}\t{login.role}\t{login.scope}" for login in logins]
    lines += [f"数量\t{label}\t{n}" for label, n in counts.items()]
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        target_type=MARKER_TYPE,
        target_id=kind,
        target_repr=title,
        note="\n".join(lines),
    )


def marker_find() -> SeedMarker | None:
    """The most recent seeding run recorded in this database, if any."""
    from .models import AuditEntry

    entry = AuditEntry.objects.filter(target_type=MARKER_TYPE).order_by("-id").first()
    if entry is None:
        return None
    logins, counts = [], {}
    for line in entry.note.splitlines()[1:]:
        parts = line.split("\t")
        if parts[0] == "账号" and len(parts) == 4:
            logins.append(DemoLogin(parts[1], parts[2], parts[3]))
        elif parts[0] == "数量" and len(parts) == 3:
            counts[parts[1]] = int(parts[2])
    return SeedMarker(kind=entry.target_id, logins=logins, counts=counts)


def database_is_empty() -> bool:
    """No organisation tree and no account: nothing a reset could destroy that someone typed in."""
    from django.contrib.auth import get_user_model

    tree = apps.get_model("orgs", "OrgNode")
    return not tree.objects.exists() and not get_user_model().objects.exists()


def database_reset(using: str = "default") -> None:
    """Drop every table of the database and migrate it again: a fresh install, reference data included.

    Data migrations (household tags, currencies …) run again, which a row-by-row wipe or `flush`
    would not do.
    """
    from django.core.management import call_command
    from django.db import connections

    connection = connections[using]
    tables = connection.introspection.table_names(include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if tables:
                cursor.execute("DROP TABLE IF EXISTS " + ", ".join(quote(t) for t in tables) + " CASCADE")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("VACUUM")
        else:
            raise RuntimeError(f"不支持重置 {connection.vendor} 数据库")
    call_command("migrate", interactive=False, verbosity=0, database=using)


def migrate_if_needed(using: str = "default") -> bool:
    """Apply pending migrations (a fresh database works without a separate `migrate`); True if any ran."""
    from django.core.management import call_command
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0, database=using)
    return True


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def logins_table(logins: list[DemoLogin]) -> str:
    """The demo logins as an aligned Chinese table (CJK characters count two columns)."""
    header = ("用户名", "密码", "角色", "范围")
    rows = [header] + [(x.username, x.password, x.role, x.scope) for x in logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    lines = []
    for row in rows:
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]))
    return "\n".join(lines)
