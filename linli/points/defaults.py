"""A realistic default scheme per member class, from seed 001 section 五 and common district practice.

Used to seed the demo district; a district admin copies it forward and edits it as data. Each row:
(category, name, direction, value or (min, max), cap or None, cap period, evidence?, award level, auto code).
"""

from __future__ import annotations

from decimal import Decimal

from linli.people.choices import PointsClass

from .choices import AutoCode, AwardLevel, CapPeriod, Category, Direction

A, D = Direction.ADD, Direction.DEDUCT
Y, Q, M = CapPeriod.YEAR, CapPeriod.QUARTER, CapPeriod.MONTH
BELOW, ABOVE = AwardLevel.BELOW_DISTRICT, AwardLevel.DISTRICT_AND_ABOVE

Row = tuple[str, str, str, int | tuple[int, int], int | None, str, bool, str, str]

COMMON: list[Row] = [
    (Category.IDEOLOGY, "参加专题学习、党课", A, 2, 12, Y, False, "", ""),
    (Category.IDEOLOGY, "撰写学习心得体会", A, 2, 8, Y, True, "", ""),
    (Category.IDEOLOGY, "向党组织汇报思想", A, 1, 4, Y, False, "", ""),
    (Category.DISCIPLINE, "无故缺席组织生活", D, 2, None, "", False, "", AutoCode.MEETING_ABSENCE),
    (Category.DISCIPLINE, "未按时足额交纳党费", D, 2, None, "", False, "", ""),
    (Category.DISCIPLINE, "受到批评教育或组织处理", D, (2, 10), None, "", False, "", ""),
    (Category.ACTIVITY, "按时参加三会一课", A, 2, 24, Y, False, "", AutoCode.MEETING_ATTENDANCE),
    (Category.ACTIVITY, "参加主题党日活动", A, 2, 24, Y, False, "", AutoCode.PARTY_DAY),
    (Category.ACTIVITY, "参加志愿服务", A, 2, 6, M, False, "", AutoCode.VOLUNTEERING),
    (Category.ACTIVITY, "参加五星支部创建活动", A, 2, 10, Y, False, "", AutoCode.FIVE_STAR),
    (Category.EXEMPLARY, "践行党员承诺", A, 2, 10, Y, False, "", AutoCode.COMMITMENT),
    (Category.EXEMPLARY, "结对帮扶困难群众", A, 3, 18, Y, False, "", AutoCode.PAIRING_HELP),
    (Category.EXEMPLARY, "献言献策被采纳", A, (1, 5), 10, Y, True, "", ""),
    (Category.EXEMPLARY, "见义勇为或有重大贡献", A, (5, 10), None, "", True, "", ""),
    (Category.EXEMPLARY, "获得区级以下表彰表扬", A, (2, 5), 10, Y, True, BELOW, ""),
    (Category.EXEMPLARY, "获得区级及以上表彰", A, 10, None, "", True, ABOVE, ""),
]

BY_CLASS: dict[str, list[Row]] = {
    PointsClass.COMMUNITY: [
        (Category.DUTY, "党员示范岗履职", A, 2, 6, Q, False, "", AutoCode.MODEL_POST),
        (Category.DUTY, "担任楼栋长、单元长并履职", A, 3, 3, Q, False, "", ""),
        (Category.DUTY, "参加社区服务（道德银行）", A, 1, 12, Y, False, "", AutoCode.COMMUNITY_SERVICE),
        (Category.DUTY, "联系重点户、开展走访", A, 1, 12, Y, False, "", ""),
    ],
    PointsClass.GOVERNMENT: [
        (Category.DUTY, "年度考核为优秀", A, 10, None, "", True, "", ""),
        (Category.DUTY, "在职党员进社区服务", A, 2, 20, Y, False, "", AutoCode.INSERVICE_SERVICE),
        (Category.DUTY, "党员示范岗履职", A, 2, 6, Q, False, "", AutoCode.MODEL_POST),
        (Category.DUTY, "工作失职受到通报", D, (3, 10), None, "", True, "", ""),
    ],
    PointsClass.NEW_ECONOMY: [
        (Category.DUTY, "在生产经营中攻坚克难、作出贡献", A, (2, 6), 12, Y, True, "", ""),
        (Category.DUTY, "在职党员进社区服务", A, 2, 20, Y, False, "", AutoCode.INSERVICE_SERVICE),
        (Category.DUTY, "参加社区服务（道德银行）", A, 1, 12, Y, False, "", AutoCode.COMMUNITY_SERVICE),
        (Category.DUTY, "带动职工参与公益活动", A, 2, 8, Y, False, "", ""),
    ],
}

THRESHOLDS = {"excellent_min": Decimal("80"), "qualified_min": Decimal("50"), "basic_min": Decimal("30")}
EXCELLENT_QUOTA_PERCENT = 20


def default_items(member_class: str) -> list[dict]:
    """Keyword arguments for `scheme_item_save`, in display order."""
    rows = sorted(BY_CLASS[member_class] + COMMON, key=lambda r: list(Category.values).index(r[0]))
    items = []
    for order, (category, name, direction, value, cap, period, evidence, award, auto) in enumerate(
        rows, start=1
    ):
        fields = {
            "category": category,
            "name": name,
            "direction": direction,
            "default_points": None,
            "min_points": None,
            "max_points": None,
            "cap_points": cap,
            "cap_period": period if cap is not None else "",
            "evidence_required": evidence,
            "award_level": award,
            "auto_code": auto,
            "sort_order": order,
        }
        if isinstance(value, tuple):
            fields["min_points"], fields["max_points"] = value
        else:
            fields["default_points"] = value
        items.append(fields)
    return items
