"""The two roster sheets (PPL-7): their Chinese columns and parsers, template notes, preview and payload layout."""

from __future__ import annotations

from typing import Any

from linli.core import excel_import as xl
from linli.core.validators import id_check_digit
from linli.orgs.choices import PartyOrgKind

from ..choices import Education, HouseholdRelation, ImportKind, MemberCategory, MemberStatus

LOOKUP_CHUNK = 900  # under SQLite's 999 bound parameters per statement
INSERT_BATCH = 1000
PREVIEW_ROWS = 20
MEMBER_BRANCH_KINDS = {PartyOrgKind.BRANCH, PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.COMMUNITY_COMMITTEE}

ETHNIC_GROUPS = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族",
    "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族",
    "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族",
    "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族",
    "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族",
    "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "其他",
)  # fmt: skip
_ETHNIC_LOOKUP = {name: name for name in ETHNIC_GROUPS} | {
    name[:-1]: name for name in ETHNIC_GROUPS if name.endswith("族")
}
DEFAULT_ETHNICITY = "汉族"


def ethnicity(value: Any) -> str:
    """One of the 56 民族 (汉 or 汉族 both accepted)."""
    key = xl.normalize_label(value)
    if key in _ETHNIC_LOOKUP:
        return _ETHNIC_LOOKUP[key]
    raise xl.CellError(f"「{xl.cell_text(value)}」不是有效的民族名称，请填写如「汉族」「回族」。")


EDUCATION = xl.choice(
    Education.choices,
    aliases={
        "文盲": "none", "小学及以下": "primary", "高中": "senior", "中专": "senior", "职高": "senior",
        "技校": "senior", "中技": "senior", "专科": "college", "大学专科": "college", "大学": "bachelor",
        "大学本科": "bachelor", "研究生": "master", "硕士研究生": "master", "博士研究生": "doctor",
    },
)  # fmt: skip
RELATION = xl.choice(HouseholdRelation.choices, aliases={"本人": "head", "妻子": "spouse", "丈夫": "spouse"})
MEMBER_STATUS = xl.choice(MemberStatus.choices, aliases={"正式": "formal", "预备": "probationary"})
MEMBER_CATEGORY = xl.choice(
    MemberCategory.choices,
    aliases={
        "在职党员": "employed", "离休": "retired", "退休": "retired", "离退休党员": "retired",
        "下岗": "unemployed", "失业": "unemployed", "流动党员": "floating", "两新": "new_economy",
        "机关事业单位": "government",
    },
)  # fmt: skip

EXAMPLE_ID = "53010219900307001" + id_check_digit("53010219900307001")

_PERSON_COLUMNS = (
    xl.Column("name", "姓名", xl.text(50), required=True, aliases=("名字",), example="张三", width=12),
    xl.Column(
        "id_number",
        "身份证号",
        xl.id_number,
        required=True,
        aliases=("身份证号码", "公民身份号码", "证件号码"),
        help="18位居民身份证号，末位可以是X；请保持「文本」格式。",
        example=EXAMPLE_ID,
        sensitive=True,
        width=22,
        text_format=True,
    ),
    xl.Column(
        "phone",
        "手机号",
        xl.phone,
        aliases=("手机号码", "联系电话", "电话", "手机"),
        help="11位手机号，或固定电话如 0871-12345678。",
        example="13800138000",
        sensitive=True,
        width=16,
        text_format=True,
    ),
    xl.Column(
        "ethnicity", "民族", ethnicity, help="如汉族、回族；不填按汉族登记。", example="汉族", width=10
    ),
    xl.Column("education", "学历", EDUCATION, example="本科", width=12),
    xl.Column(
        "grid",
        "所属网格",
        xl.text(200),
        required=True,
        aliases=("网格", "居住网格"),
        help="本辖区内的网格名称；有重名时写完整路径，如「复兴社区/复兴一网格」。",
        width=22,
    ),
)
_ADDRESS = xl.Column(
    "address", "居住地址", xl.text(200), aliases=("地址", "现住址", "家庭住址"), example="复兴路1号", width=28
)

RESIDENT_SHEET = xl.SheetSpec(
    "居民花名册",
    (
        *_PERSON_COLUMNS,
        xl.Column("building", "楼栋", xl.text(50), aliases=("楼号", "楼栋号"), example="1栋", width=10),
        xl.Column("unit_no", "单元", xl.text(20), aliases=("单元号",), example="1单元", width=10),
        xl.Column(
            "room_no",
            "户号",
            xl.text(20),
            aliases=("门牌号", "房号", "室号"),
            help="同一户的居民填写相同的楼栋、单元、户号；填了楼栋或单元就要填户号。",
            example="101",
            width=10,
        ),
        xl.Column("relation", "与户主关系", RELATION, aliases=("与户主的关系",), example="户主", width=12),
        xl.Column(
            "tags",
            "户标签",
            xl.text_list(),
            aliases=("标签",),
            help="可填多个，用「、」或逗号分隔，如「低保、独居老人」；标签记在户上，须同时填写户号。",
            example="",
            width=18,
        ),
        _ADDRESS,
        xl.Column("note", "备注", xl.text(500), width=20),
    ),
)

MEMBER_SHEET = xl.SheetSpec(
    "党员花名册",
    (
        *_PERSON_COLUMNS,
        xl.Column(
            "branch",
            "所在党组织",
            xl.text(200),
            required=True,
            aliases=("所在支部", "党支部", "所在党支部", "组织关系所在党组织"),
            help="党员组织关系所在的党支部、党总支或党委；有重名时写完整路径。",
            width=24,
        ),
        xl.Column("status", "党员类别", MEMBER_STATUS, required=True, example="正式党员", width=12),
        xl.Column(
            "join_date",
            "入党日期",
            xl.parse_date,
            required=True,
            aliases=("入党时间",),
            help="可写成 2024-07-01、2024/7/1、2024.7.1、2024年7月1日 或 20240701。",
            example="2015-07-01",
            width=14,
        ),
        xl.Column(
            "formal_date",
            "转正日期",
            xl.parse_date,
            aliases=("转正时间",),
            help="正式党员填写；预备党员不填。",
            example="2016-07-01",
            width=14,
        ),
        xl.Column("category", "党员分类", MEMBER_CATEGORY, required=True, example="在职", width=12),
        xl.Column("work_unit_name", "工作单位", xl.text(100), example="", width=20),
        xl.Column("job_title", "职务", xl.text(50), example="", width=12),
        _ADDRESS,
    ),
)

SHEETS = {ImportKind.RESIDENT: RESIDENT_SHEET, ImportKind.MEMBER: MEMBER_SHEET}

_COMMON_INSTRUCTIONS = (
    "每行一人，第1行是表头，请勿修改列名；列名带*的为必填列。",
    "身份证号、手机号请保持「文本」格式，避免Excel把身份证号变成科学计数法。",
    "上传后先预览：每一行的问题都会列出（行号和原因）；默认任何一行有误则整批不导入。",
    "日期可写成 2024-07-01、2024/7/1、2024.7.1、2024年7月1日 或 20240701。",
)
INSTRUCTIONS = {
    ImportKind.RESIDENT: (
        "居民花名册填写说明",
        *_COMMON_INSTRUCTIONS,
        "同一户的居民填写相同的楼栋、单元、户号；系统中没有的楼栋和户会在导入时新建。",
        "身份证号已登记的居民不能重复导入。",
    ),
    ImportKind.MEMBER: (
        "党员花名册填写说明",
        *_COMMON_INSTRUCTIONS,
        "身份证号已登记为居民的，导入时关联到该居民并登记为党员，居民信息不变；已是党员的不能重复导入。",
        "入党时须年满18周岁；入党日期、转正日期不能晚于今天。",
    ),
}

PREVIEW_HEADERS = {
    ImportKind.RESIDENT: ("姓名", "性别", "出生日期", "身份证号", "手机号", "所属网格", "户", "户标签", "说明"),
    ImportKind.MEMBER: (
        "姓名", "身份证号", "手机号", "所属网格", "所在党组织", "党员类别", "入党日期", "党员分类", "说明",
    ),
}  # fmt: skip

PERSON_PAYLOAD = (
    "row", "name", "name_pinyin", "name_initials", "gender", "birth_date", "id_number_encrypted",
    "id_number_hash", "id_number_masked", "phone_encrypted", "phone_hash", "phone_masked", "ethnicity",
    "education", "node_id", "address",
)  # fmt: skip
RESIDENT_PAYLOAD = (*PERSON_PAYLOAD, "note", "relation_to_head", "household")
MEMBER_PAYLOAD = (
    *PERSON_PAYLOAD, "person_id", "branch_id", "status", "join_date", "formal_date", "category",
    "work_unit_name", "job_title",
)  # fmt: skip
PAYLOAD_FIELDS = {ImportKind.RESIDENT: RESIDENT_PAYLOAD, ImportKind.MEMBER: MEMBER_PAYLOAD}
GENDER_LABEL = {"M": "男", "F": "女"}
