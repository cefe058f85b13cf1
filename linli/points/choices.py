"""Choices of the Party member points system (PTS): categories, stages of the year, claim and grade values."""

from django.db import models


class Category(models.TextChoices):
    """The five groups of scoring items (seed 001: 思想政治、岗位履职、遵章守纪、参与活动、发挥作用)."""

    IDEOLOGY = "ideology", "思想政治"
    DUTY = "duty", "岗位履职"
    DISCIPLINE = "discipline", "遵章守纪"
    ACTIVITY = "activity", "参与活动"
    EXEMPLARY = "exemplary", "发挥作用"


class Direction(models.TextChoices):
    ADD = "add", "加分"
    DEDUCT = "deduct", "扣分"


class CapPeriod(models.TextChoices):
    OCCURRENCE = "occurrence", "每次"
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    YEAR = "year", "全年"


class AwardLevel(models.TextChoices):
    """Seed 001: 区级以下表彰由各基层党组织制定加分办法；区级以上表彰另行加分."""

    NONE = "", "非表彰项目"
    BELOW_DISTRICT = "below_district", "区级以下表彰（支部定分）"
    DISTRICT_AND_ABOVE = "district_and_above", "区级及以上表彰"


class AutoCode(models.TextChoices):
    """Stable codes by which other apps credit a scheme item automatically (PTS-5)."""

    MEETING_ATTENDANCE = "meeting_attendance", "参加三会一课"
    MEETING_ABSENCE = "meeting_absence", "无故缺席组织生活"
    PARTY_DAY = "party_day", "参加主题党日"
    VOLUNTEERING = "volunteering", "参加志愿服务"
    INSERVICE_SERVICE = "inservice_service", "在职党员进社区服务"
    COMMUNITY_SERVICE = "community_service", "社区服务（道德银行）"
    MODEL_POST = "model_post", "党员示范岗履职"
    COMMITMENT = "commitment", "践行党员承诺"
    PAIRING_HELP = "pairing_help", "结对帮扶"
    FIVE_STAR = "five_star", "五星支部创建"


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已被新版本替代"


class Stage(models.TextChoices):
    """Where a branch's points year stands: the step in progress (PTS-2, the eleven steps)."""

    SCHEME = "scheme", "1 制定积分细则"
    SELF_ASSESSMENT = "self_assessment", "2 党员自评"
    PRELIMINARY_REVIEW = "preliminary_review", "3 社区党组织初评"
    ASSEMBLY = "assembly", "4 党员大会评定"
    PUBLICITY = "publicity", "5 公示"
    REGISTRATION = "registration", "6 登记"
    REPORTING = "reporting", "7 上报"
    FILING = "filing", "8 备案"
    YEAR_END_REVIEW = "year_end_review", "9 年底评议"
    GRADING = "grading", "10 评定格次"
    GRADE_CONFIRMATION = "grade_confirmation", "10 评定格次（待街道确认）"
    VERIFICATION = "verification", "11 积分核查"
    DONE = "done", "已完成"


class ClaimOrigin(models.TextChoices):
    SELF_REPORT = "self_report", "党员自评申报"
    RECORDED = "recorded", "党组织记录"
    AUTO = "auto", "活动自动记分"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "待初评"
    APPROVED = "approved", "已通过"
    ADJUSTED = "adjusted", "调整后通过"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"
    REVOKED = "revoked", "已撤销"


COUNTED_STATUSES = (ClaimStatus.APPROVED, ClaimStatus.ADJUSTED)


class ExemptionReason(models.TextChoices):
    ILLNESS = "illness", "因病"
    OLD_AGE = "old_age", "年老体弱"
    OTHER = "other", "其他特殊情况"


class ExemptionStatus(models.TextChoices):
    APPLIED = "applied", "已申请"
    RECOMMENDED = "recommended", "社区已推荐"
    APPROVED = "approved", "党委已审核同意"
    REJECTED = "rejected", "未同意"
    WITHDRAWN = "withdrawn", "已撤回"


class ViolationKind(models.TextChoices):
    LAW = "law", "违法"
    DISCIPLINE = "discipline", "违纪"
    RULE = "rule", "违规"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


class PointsEntryKind(models.TextChoices):
    """Ledger entry kinds written by the points app (the ledger's own kinds, such as 冲正, come from it)."""

    SELF_REPORT = "points_self", "自评申报"
    RECORDED = "points_recorded", "党组织记录"
    AUTO = "points_auto", "活动自动记分"
    CORRECTION = "points_correction", "更正"
    OBJECTION = "points_objection", "公示异议更正"
