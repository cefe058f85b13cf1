"""Choices of the person and member registry."""

from django.db import models


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    NONE = "none", "无"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中/中专"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    MOVED_OUT = "moved_out", "迁出"
    DECEASED = "deceased", "去世"


class HouseholdRelation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙辈"
    OTHER = "other", "其他"


class MemberStatus(models.TextChoices):
    FORMAL = "formal", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class MemberCategory(models.TextChoices):
    """PPL-2; seed 002: 78 members = 5 在职 + 48 离退休 + 25 下岗失业."""

    EMPLOYED = "employed", "在职"
    RETIRED = "retired", "离退休"
    UNEMPLOYED = "unemployed", "下岗失业"
    FLOATING = "floating", "流动"
    NEW_ECONOMY = "new_economy", "两新组织"
    GOVERNMENT = "government", "机关"


class PointsClass(models.TextChoices):
    """Which scoring scheme applies to a member (seed 001: 机关、社区、两新组织党员3类)."""

    GOVERNMENT = "government", "机关"
    COMMUNITY = "community", "社区"
    NEW_ECONOMY = "new_economy", "两新组织"


class RecordState(models.TextChoices):
    ACTIVE = "active", "在册"
    TRANSFERRED_OUT = "transferred_out", "已转出"
    DECEASED = "deceased", "去世"


class FloatingDirection(models.TextChoices):
    OUTFLOW = "outflow", "流出"
    INFLOW = "inflow", "流入"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "电话"
    LETTER = "letter", "信件"
    ONLINE = "online", "网络"
    VISIT = "visit", "见面"


class PostKind(models.TextChoices):
    DUTY = "duty", "设岗定责"
    MODEL = "model", "党员示范岗"


class Position(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    COMMITTEE_MEMBER = "committee_member", "委员"
    DIRECTOR = "director", "居委会主任"
    DEPUTY_DIRECTOR = "deputy_director", "居委会副主任"
    RESIDENTS_COMMITTEE_MEMBER = "rc_member", "居委会委员"
    COMMUNITY_WORKER = "community_worker", "社区工作者"
    GRID_WORKER = "grid_worker", "网格员"
    BUILDING_HEAD = "building_head", "楼栋长"
    UNIT_HEAD = "unit_head", "单元长"
    COURTYARD_HEAD = "courtyard_head", "院落长"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    RESERVE = "reserve", "后备干部"


# Roster import (PPL-7).


class ImportKind(models.TextChoices):
    RESIDENT = "resident", "居民花名册"
    MEMBER = "member", "党员花名册"


class ImportStatus(models.TextChoices):
    DRAFT = "draft", "待确认"
    COMMITTED = "committed", "已导入"
    DISCARDED = "discarded", "已作废"
