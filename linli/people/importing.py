"""Roster import (PPL-7): resident and Party member rosters from .xlsx, previewed first, committed once.

Upload → `*_roster_import_preview` reads and checks every row and stores an `ImportBatch` (errors
with row numbers, the first rows masked, and for the good rows only what commit needs, personal
data already encrypted) → `import_batch_commit` writes everything in one transaction, or nothing:
by default a batch with any bad row is refused; `only_valid=True` imports the good rows. Commit
re-checks ID numbers against the database, since someone may have registered one since the preview.

Work is done in bulk: names of grids and Party organisations are resolved with one query each,
ID numbers are looked up in chunks, persons, households, members and audit entries are written with
`bulk_create`, so the number of queries does not grow with the rows (only with insert batches).
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core import excel_import as xl
from linli.core import pii
from linli.core.audit import audit_build, audit_bulk, audit_record, diff_fields
from linli.core.bulk import bulk_insert
from linli.core.choices import AuditAction
from linli.core.pinyin import name_pinyin
from linli.core.shortcuts import require_perm_at
from linli.core.validators import id_check_digit
from linli.orgs.choices import NodeKind, PartyOrgKind
from linli.orgs.models import Building, Household, HouseholdTag, OrgNode, PartyOrg

from .choices import Education, HouseholdRelation, ImportKind, ImportStatus, MemberCategory, MemberStatus
from .models import ImportBatch, Member, Person
from .services import _member_snapshot, _person_snapshot, id_number_hash, phone_hash

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
_GENDER_LABEL = {"M": "男", "F": "女"}


# ---------------------------------------------------------------------------------------------
# Names in scope.


class NameIndex:
    """Names of grids (or Party organisations) in one scope, as typed or as a path like 复兴社区/复兴一网格.

    Every ordered selection of a thing's ancestors followed by its own name is a key, so both
    「复兴一网格」 and 「华山街道/复兴社区/复兴一网格」 find it; a key naming two things is ambiguous.
    """

    def __init__(self, noun: str) -> None:
        self.noun = noun
        self._keys: dict[str, set[int]] = defaultdict(set)
        self._chains: dict[int, list[str]] = {}

    def add(self, pk: int, chain: list[str], *extra_chains: list[str]) -> None:
        self._chains[pk] = chain
        for path in (chain, *extra_chains):
            *ancestors, own = path
            for size in range(len(ancestors) + 1):
                for picked in itertools.combinations(ancestors, size):
                    self._keys["/".join(xl.normalize_label(p) for p in (*picked, own))].add(pk)

    def resolve(self, typed: str) -> int:
        parts = [p for p in xl.normalize_label(typed).replace("\\", "/").split("/") if p]
        found = self._keys.get("/".join(parts), set())
        if len(found) == 1:
            return next(iter(found))
        if not found:
            raise xl.CellError(f"本辖区内没有名为「{typed}」的{self.noun}。")
        candidates = sorted("/".join(self._chains[pk][-2:]) for pk in found)
        shown = "、".join(f"「{c}」" for c in candidates[:3])
        raise xl.CellError(f"本辖区内有多个名为「{typed}」的{self.noun}，请写完整路径，如{shown}。")

    def display(self, pk: int) -> str:
        """The shortest name that finds exactly this one (used for lists in the template)."""
        chain = self._chains[pk]
        *ancestors, own = chain
        for size in range(len(ancestors) + 1):
            for picked in itertools.combinations(ancestors[::-1], size):
                key = "/".join((*reversed(picked), own))
                if self._keys.get("/".join(xl.normalize_label(p) for p in key.split("/"))) == {pk}:
                    return key
        return "/".join(chain)

    def options(self) -> list[str]:
        return [self.display(pk) for pk in self._chains]


def _node_chains(scope: OrgNode) -> tuple[dict[int, list[str]], dict[int, str]]:
    """Every active node of the scope's subtree (one query): name chains from the scope node down, kinds."""
    rows = list(
        OrgNode.objects.filter(path__startswith=scope.path, is_active=True)
        .order_by("depth", "sort_order", "id")
        .values_list("id", "parent_id", "name", "kind")
    )
    chains: dict[int, list[str]] = {}
    kinds: dict[int, str] = {}
    for pk, parent_id, name, kind in rows:
        chains[pk] = [*chains.get(parent_id, []), name] if pk != scope.pk else [name]
        kinds[pk] = kind
    return chains, kinds


def grid_index(scope: OrgNode, chains: dict[int, list[str]], kinds: dict[int, str]) -> NameIndex:
    index = NameIndex("网格")
    for pk, chain in chains.items():
        if kinds[pk] == NodeKind.GRID:
            index.add(pk, chain)
    return index


def branch_index(scope: OrgNode, chains: dict[int, list[str]]) -> tuple[NameIndex, dict[int, str]]:
    """Party organisations at nodes of the scope (one query); also found as 上级党组织/本组织."""
    rows = list(
        PartyOrg.objects.filter(node__path__startswith=scope.path, is_active=True)
        .order_by("node__path", "id")
        .values_list("id", "name", "kind", "node_id", "parent_id")
    )
    names = {pk: name for pk, name, *_ in rows}
    index = NameIndex("党组织")
    kinds: dict[int, str] = {}
    for pk, name, kind, node_id, parent_id in rows:
        extra = [[names[parent_id], name]] if parent_id in names else []
        index.add(pk, [*chains.get(node_id, []), name], *extra)
        kinds[pk] = kind
    return index, kinds


# ---------------------------------------------------------------------------------------------
# Checking rows.


@dataclass
class _Checked:
    payload_rows: list[list[Any]] = field(default_factory=list)
    households: list[list[Any]] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _existing_by_hash(hashes: Iterable[str]) -> dict[str, tuple]:
    """Persons already registered under these ID hashes, in chunks: hash → (id, name, path, node name,
    member id, member's branch name)."""
    found: dict[str, tuple] = {}
    unique = sorted(set(hashes))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        for row in Person.objects.filter(id_number_hash__in=unique[start : start + LOOKUP_CHUNK]).values_list(
            "id_number_hash", "id", "name", "node__path", "node__name", "member__id", "member__branch__name"
        ):
            found[row[0]] = row[1:]
    return found


class _RosterCheck:
    """Checks one parsed sheet within one scope and builds what the batch stores."""

    kind: str

    def __init__(self, scope: OrgNode, sheet: xl.ParsedSheet) -> None:
        self.scope = scope
        self.sheet = sheet
        self.errors = sheet.errors
        self.today = timezone.localdate()
        self.chains, self.kinds = _node_chains(scope)
        self.grids = grid_index(scope, self.chains, self.kinds)
        self.hash_of: dict[str, str] = {}
        self.pinyin: dict[str, tuple[str, str]] = {}  # names repeat in a roster; pinyin is the costly part
        self.existing: dict[str, tuple] = {}
        self.result = _Checked()

    def add(self, row: xl.ParsedRow, key: str, message: str) -> None:
        column = SHEETS[self.kind].column(key)
        self.errors.add(row.number, column.label, message, row.shown(key))

    def resolve(self, row: xl.ParsedRow, key: str, index: NameIndex) -> int | None:
        typed = row.values.get(key)
        if not typed:
            return None
        try:
            return index.resolve(typed)
        except xl.CellError as error:
            self.add(row, key, str(error))
            return None

    def check_ids(self) -> None:
        """Duplicates within the file (each row names the others) and the database look-up, in bulk."""
        rows_by_number: dict[str, list[int]] = defaultdict(list)
        for row in self.sheet.rows:
            parsed = row.values.get("id_number")
            if parsed is not None:
                rows_by_number[parsed.number].append(row.number)
        for row in self.sheet.rows:
            parsed = row.values.get("id_number")
            if parsed is None:
                continue
            others = [n for n in rows_by_number[parsed.number] if n != row.number]
            if others:
                self.add(row, "id_number", f"身份证号与第{'、'.join(map(str, others))}行重复。")
        self.hash_of = {number: id_number_hash(number) for number in rows_by_number}
        self.existing = _existing_by_hash(self.hash_of.values())

    def person_values(self, row: xl.ParsedRow, grid_id: int) -> list[Any]:
        """The person fields of PERSON_PAYLOAD, encrypted, hashed and masked as Person stores them."""
        values = row.values
        parsed = values["id_number"]
        name = values["name"]
        if name not in self.pinyin:
            self.pinyin[name] = name_pinyin(name)
        full, initials = self.pinyin[name]
        phone = values.get("phone") or ""
        return [
            row.number,
            name,
            full,
            initials,
            parsed.gender,
            parsed.birth_date.isoformat(),
            pii.encrypt(parsed.number),
            self.hash_of[parsed.number],
            pii.mask_id_number(parsed.number),
            pii.encrypt(phone),
            phone_hash(phone),
            pii.mask_phone(phone),
            values.get("ethnicity") or DEFAULT_ETHNICITY,
            values.get("education") or "",
            grid_id,
            values.get("address") or "",
        ]

    def add_preview(self, row: xl.ParsedRow, cells: list[Any], note: str) -> None:
        if len(self.result.preview) < PREVIEW_ROWS:
            ok = not self.errors.has(row.number)
            messages = [e.message for e in self.errors.for_row(row.number)]
            self.result.preview.append(
                {"row": row.number, "ok": ok, "cells": [*cells, note if ok else "；".join(messages)]}
            )

    def run(self) -> _Checked:
        self.check_ids()
        for row in self.sheet.rows:
            self.check_row(row)
        self.result.summary.update(
            {
                "header_row": self.sheet.header_row,
                "ignored_headers": self.sheet.ignored_headers,
                "skipped_examples": self.sheet.skipped_examples,
            }
        )
        return self.result

    def check_row(self, row: xl.ParsedRow) -> None:
        raise NotImplementedError


class _ResidentCheck(_RosterCheck):
    kind = ImportKind.RESIDENT

    def __init__(self, scope: OrgNode, sheet: xl.ParsedSheet) -> None:
        super().__init__(scope, sheet)
        tags = list(HouseholdTag.objects.order_by("sort_order", "id").values_list("id", "name"))
        self.tags = {xl.normalize_label(name): pk for pk, name in tags}
        self.tag_names = "、".join(name for _, name in tags)
        self.household_keys: dict[tuple, int] = {}
        self.heads: dict[tuple, list[int]] = defaultdict(list)
        self.existing_households: dict[tuple, int] = {}
        self.existing_buildings: set[tuple[int, str]] = set()

    def run(self) -> _Checked:
        self.grid_of = {row.number: self.resolve(row, "grid", self.grids) for row in self.sheet.rows}
        grid_ids = {g for g in self.grid_of.values() if g}
        for pk, grid_id, building, unit_no, room_no in Household.objects.filter(
            grid_id__in=grid_ids
        ).values_list("id", "grid_id", "building__name", "unit_no", "room_no"):
            self.existing_households.setdefault((grid_id, building or "", unit_no, room_no), pk)
        self.existing_buildings = set(
            Building.objects.filter(grid_id__in=grid_ids).values_list("grid_id", "name")
        )
        self.check_heads()
        result = super().run()
        new_households = [h for h in result.households if h[6] is None]
        result.summary.update(
            {
                "persons": len(result.payload_rows),
                "households_new": len(new_households),
                "households_existing": len(result.households) - len(new_households),
                "buildings_new": len(
                    {(h[0], h[1]) for h in new_households if h[1]} - self.existing_buildings
                ),
            }
        )
        return result

    def household_key(self, row: xl.ParsedRow) -> tuple | None:
        values = row.values
        grid_id = self.grid_of.get(row.number)
        if not values.get("room_no") or not grid_id:
            return None
        return (grid_id, values.get("building") or "", values.get("unit_no") or "", values["room_no"])

    def check_heads(self) -> None:
        """One 户主 per household within the file; every row claiming it is told about the others."""
        for row in self.sheet.rows:
            key = self.household_key(row)
            if key and row.values.get("relation") == HouseholdRelation.HEAD:
                self.heads[key].append(row.number)
        for row in self.sheet.rows:
            key = self.household_key(row)
            if key and row.values.get("relation") == HouseholdRelation.HEAD and len(self.heads[key]) > 1:
                others = "、".join(str(n) for n in self.heads[key] if n != row.number)
                self.add(row, "relation", f"同一户只能有一位户主，本行与第{others}行都填了户主。")

    def check_row(self, row: xl.ParsedRow) -> None:
        values = row.values
        parsed = values.get("id_number")
        if parsed is not None and parsed.number in self.hash_of:
            found = self.existing.get(self.hash_of[parsed.number])
            if found is not None:
                _, name, path, node_name, *_ = found
                if path.startswith(self.scope.path):
                    self.add(row, "id_number", f"该身份证号已登记为「{name}」（{node_name}），不能重复导入。")
                else:
                    self.add(
                        row,
                        "id_number",
                        "该身份证号已在其他辖区登记，不能重复导入；如需迁入请联系上级管理员。",
                    )
        room_blank = not row.filled("room_no")
        if (values.get("building") or values.get("unit_no")) and room_blank:
            self.add(row, "room_no", "填写了楼栋或单元时须同时填写户号。")
        tag_ids: list[int] = []
        for tag in values.get("tags") or []:
            pk = self.tags.get(xl.normalize_label(tag))
            if pk is None:
                self.add(row, "tags", f"未知的户标签「{tag}」，可选：{self.tag_names}。")
            else:
                tag_ids.append(pk)
        if tag_ids and room_blank:
            self.add(row, "tags", "户标签记在户上，请同时填写户号。")
        key = self.household_key(row)
        household_label = "".join(key[1:]) if key else ""
        household_index = None
        if key and not self.errors.has(row.number):
            household_index = self.household_keys.get(key)
            if household_index is None:
                household_index = len(self.result.households)
                self.household_keys[key] = household_index
                existing = self.existing_households.get(key)
                self.result.households.append([*key, values.get("address") or "", [], existing])
            known = self.result.households[household_index][5]
            known.extend(t for t in tag_ids if t not in known)
        if not self.errors.has(row.number):
            self.result.payload_rows.append(
                [
                    *self.person_values(row, self.grid_of[row.number]),
                    values.get("note") or "",
                    values.get("relation") or "",
                    household_index,
                ]
            )
        if len(self.result.preview) < PREVIEW_ROWS:
            existing_note = ""
            if household_index is not None:
                existing_note = "已有户" if self.result.households[household_index][6] else "新建户"
            self.add_preview(
                row,
                [
                    row.shown("name"),
                    _GENDER_LABEL.get(parsed.gender, "") if parsed else "",
                    parsed.birth_date.isoformat() if parsed else "",
                    row.shown("id_number"),
                    row.shown("phone"),
                    self.grids.display(self.grid_of[row.number])
                    if self.grid_of.get(row.number)
                    else row.shown("grid"),
                    household_label,
                    "、".join(values.get("tags") or []),
                ],
                f"新增居民{'，' + existing_note if existing_note else ''}",
            )


class _MemberCheck(_RosterCheck):
    kind = ImportKind.MEMBER

    def __init__(self, scope: OrgNode, sheet: xl.ParsedSheet) -> None:
        super().__init__(scope, sheet)
        self.branches, self.branch_kinds = branch_index(scope, self.chains)
        self.attached = 0

    def run(self) -> _Checked:
        result = super().run()
        result.summary.update(
            {
                "members": len(result.payload_rows),
                "persons": len(result.payload_rows) - self.attached,
                "persons_attached": self.attached,
            }
        )
        return result

    def check_row(self, row: xl.ParsedRow) -> None:
        values = row.values
        grid_id = self.resolve(row, "grid", self.grids)
        branch_id = self.resolve(row, "branch", self.branches)
        if branch_id is not None and self.branch_kinds[branch_id] not in MEMBER_BRANCH_KINDS:
            kind_label = PartyOrgKind(self.branch_kinds[branch_id]).label
            self.add(
                row,
                "branch",
                f"「{values['branch']}」是{kind_label}，党员的组织关系应在党支部、党总支或党委。",
            )
        parsed = values.get("id_number")
        join_date, formal_date = values.get("join_date"), values.get("formal_date")
        if join_date:
            if join_date > self.today:
                self.add(row, "join_date", "入党日期不能晚于今天。")
            elif parsed is not None and _age_on(parsed.birth_date, join_date) < 18:
                self.add(row, "join_date", "入党时须年满18周岁，请核对入党日期或身份证号。")
        if formal_date:
            if values.get("status") == MemberStatus.PROBATIONARY:
                self.add(row, "formal_date", "预备党员不应填写转正日期。")
            elif formal_date > self.today:
                self.add(row, "formal_date", "转正日期不能晚于今天。")
            elif join_date and formal_date < join_date:
                self.add(row, "formal_date", "转正日期不能早于入党日期。")
        person_id = None
        note = "新增人员并登记为党员"
        if parsed is not None and parsed.number in self.hash_of:
            found = self.existing.get(self.hash_of[parsed.number])
            if found is not None:
                pk, name, path, node_name, member_id, member_branch = found
                if not path.startswith(self.scope.path):
                    self.add(
                        row,
                        "id_number",
                        "该身份证号已在其他辖区登记，不能在此导入；如需转入请联系上级管理员。",
                    )
                elif member_id is not None:
                    self.add(row, "id_number", f"「{name}」已是党员（{member_branch}），不能重复导入。")
                elif values.get("name") and name != values["name"]:
                    self.add(
                        row,
                        "name",
                        f"该身份证号已登记为「{name}」，与本行姓名「{values['name']}」不一致，请核对。",
                    )
                else:
                    person_id = pk
                    note = f"关联已登记的人员（{node_name}），人员信息不变"
        if not self.errors.has(row.number):
            if person_id is not None:
                self.attached += 1
                person = [row.number, *([None] * (len(PERSON_PAYLOAD) - 1))]
                person[PERSON_PAYLOAD.index("id_number_hash")] = self.hash_of[parsed.number]
            else:
                person = self.person_values(row, grid_id)
            self.result.payload_rows.append(
                [
                    *person,
                    person_id,
                    branch_id,
                    values["status"],
                    join_date.isoformat(),
                    formal_date.isoformat() if formal_date else None,
                    values["category"],
                    values.get("work_unit_name") or "",
                    values.get("job_title") or "",
                ]
            )
        if len(self.result.preview) < PREVIEW_ROWS:
            self.add_preview(
                row,
                [
                    row.shown("name"),
                    row.shown("id_number"),
                    row.shown("phone"),
                    self.grids.display(grid_id) if grid_id else row.shown("grid"),
                    self.branches.display(branch_id) if branch_id else row.shown("branch"),
                    MemberStatus(values["status"]).label if values.get("status") else row.shown("status"),
                    join_date.isoformat() if join_date else row.shown("join_date"),
                    MemberCategory(values["category"]).label
                    if values.get("category")
                    else row.shown("category"),
                ],
                note,
            )


_CHECKS = {ImportKind.RESIDENT: _ResidentCheck, ImportKind.MEMBER: _MemberCheck}


# ---------------------------------------------------------------------------------------------
# Services.


def _preview(*, kind: str, actor: Any, node: OrgNode, upload: IO[bytes], file_name: str) -> ImportBatch:
    require_perm_at(actor, "people.import", node.path)
    sheet = xl.read_sheet(upload, SHEETS[kind])
    checked = _CHECKS[kind](node, sheet).run()
    return _batch_store(
        kind=kind,
        actor=actor,
        node=node,
        file_name=file_name or getattr(upload, "name", "") or "",
        sheet=sheet,
        checked=checked,
    )


@transaction.atomic
def _batch_store(
    *, kind: str, actor: Any, node: OrgNode, file_name: str, sheet: xl.ParsedSheet, checked: _Checked
) -> ImportBatch:
    batch = ImportBatch.objects.create(
        kind=kind,
        node=node,
        file_name=file_name[:255],
        uploaded_by=actor,
        uploaded_by_name=actor.get_username(),
        row_count=len(sheet.rows),
        error_row_count=len(sheet.errors.bad_rows),
        error_count=len(sheet.errors),
        summary=checked.summary,
        errors=sheet.errors.as_json(),
        preview=checked.preview,
        payload={
            "fields": list(PAYLOAD_FIELDS[kind]),
            "rows": checked.payload_rows,
            "households": checked.households,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        target=batch,
        note=f"上传{batch.get_kind_display()}预览：共{batch.row_count}行，有误{batch.error_row_count}行",
    )
    return batch


def resident_roster_import_preview(
    *, actor: Any, node: OrgNode, upload: IO[bytes], file_name: str = ""
) -> ImportBatch:
    """Read and check a resident roster for `node`'s subtree; store a draft ImportBatch (nothing else is written).

    The file is parsed before the write transaction opens, so a large file does not hold SQLite's
    write lock; only the batch and its audit entry are written, atomically. Raises ImportFileError
    (a ValidationError) when the file itself cannot be used, PermissionDenied outside the actor's scope.
    """
    return _preview(kind=ImportKind.RESIDENT, actor=actor, node=node, upload=upload, file_name=file_name)


def member_roster_import_preview(
    *, actor: Any, node: OrgNode, upload: IO[bytes], file_name: str = ""
) -> ImportBatch:
    """Read and check a Party member roster for `node`'s subtree; store a draft ImportBatch (see above)."""
    return _preview(kind=ImportKind.MEMBER, actor=actor, node=node, upload=upload, file_name=file_name)


@dataclass
class ImportOutcome:
    committed: bool
    imported: int = 0
    persons_created: int = 0
    members_created: int = 0
    households_created: int = 0
    buildings_created: int = 0
    new_errors: list[dict[str, Any]] = field(default_factory=list)


def _recheck(batch: ImportBatch, rows: list[dict[str, Any]]) -> list[xl.RowError]:
    """What changed since the preview: ID numbers registered meanwhile, persons moved or made members."""
    conflicts: list[xl.RowError] = []
    new_rows = [r for r in rows if not r.get("person_id")]
    existing = _existing_by_hash(r["id_number_hash"] for r in new_rows)
    for r in new_rows:
        if r["id_number_hash"] in existing:
            conflicts.append(xl.RowError(r["row"], "身份证号", "预览之后该身份证号已被登记，本行不能导入。"))
    attached = [r for r in rows if r.get("person_id")]
    if attached:
        state = {
            pk: (path, member_id)
            for pk, path, member_id in Person.objects.filter(
                pk__in=[r["person_id"] for r in attached]
            ).values_list("id", "node__path", "member__id")
        }
        for r in attached:
            path, member_id = state.get(r["person_id"], ("", None))
            if not path.startswith(batch.node.path):
                conflicts.append(
                    xl.RowError(r["row"], "身份证号", "预览之后该人员已不在本辖区，本行不能导入。")
                )
            elif member_id is not None:
                conflicts.append(
                    xl.RowError(r["row"], "身份证号", "预览之后该人员已登记为党员，本行不能导入。")
                )
    return conflicts


def _record_conflicts(batch: ImportBatch, conflicts: list[xl.RowError]) -> None:
    rows = {e.row for e in conflicts}
    batch.errors = sorted([*batch.errors, *(e.as_dict() for e in conflicts)], key=lambda e: e["row"])
    batch.error_count += len(conflicts)
    batch.error_row_count += len(rows)
    summary = dict(batch.summary)
    summary["conflicts_at_commit"] = summary.get("conflicts_at_commit", 0) + len(rows)
    batch.summary = summary


def _new_person(
    r: dict[str, Any], note: str = "", relation: str = "", household_id: int | None = None
) -> Person:
    return Person(
        node_id=r["node_id"],
        household_id=household_id,
        relation_to_head=relation,
        name=r["name"],
        name_pinyin=r["name_pinyin"],
        name_initials=r["name_initials"],
        gender=r["gender"],
        birth_date=datetime.date.fromisoformat(r["birth_date"]),
        id_number_encrypted=r["id_number_encrypted"],
        id_number_hash=r["id_number_hash"],
        id_number_masked=r["id_number_masked"],
        phone_encrypted=r["phone_encrypted"],
        phone_hash=r["phone_hash"],
        phone_masked=r["phone_masked"],
        ethnicity=r["ethnicity"],
        education=r["education"],
        address=r["address"],
        note=note,
    )


def _write_households(
    batch: ImportBatch, rows: list[dict[str, Any]], audit: list, actor: Any
) -> tuple[dict[int, int], int, int]:
    """Households the rows need: existing ones found again (someone may have added one since the preview),
    missing buildings and households created, tags added. Returns payload index → household id."""
    specs = batch.payload.get("households", [])
    needed = sorted({r["household"] for r in rows if r["household"] is not None})
    if not needed:
        return {}, 0, 0
    grid_ids = {specs[i][0] for i in needed}
    buildings = {(b.grid_id, b.name): b for b in Building.objects.filter(grid_id__in=grid_ids)}
    existing = {}
    for pk, grid_id, building, unit_no, room_no in Household.objects.filter(grid_id__in=grid_ids).values_list(
        "id", "grid_id", "building__name", "unit_no", "room_no"
    ):
        existing.setdefault((grid_id, building or "", unit_no, room_no), pk)
    new_buildings = []
    for grid_id, name in sorted({(specs[i][0], specs[i][1]) for i in needed if specs[i][1]}):
        if (grid_id, name) not in buildings:
            building = Building(grid_id=grid_id, name=name)
            buildings[(grid_id, name)] = building
            new_buildings.append(building)
    bulk_insert(new_buildings, batch_size=INSERT_BATCH)
    ids: dict[int, int] = {}
    new_households: dict[int, Household] = {}
    for i in needed:
        grid_id, building, unit_no, room_no, address, _tags, _ = specs[i]
        key = (grid_id, building, unit_no, room_no)
        if key in existing:
            ids[i] = existing[key]
        else:
            new_households[i] = Household(
                grid_id=grid_id,
                building=buildings[(grid_id, building)] if building else None,
                unit_no=unit_no,
                room_no=room_no,
                address=address,
            )
    bulk_insert(list(new_households.values()), batch_size=INSERT_BATCH)
    ids.update({i: h.pk for i, h in new_households.items()})
    through = Household.tags.through
    links = [through(household_id=ids[i], householdtag_id=tag) for i in needed for tag in specs[i][5]]
    through.objects.bulk_create(links, batch_size=INSERT_BATCH, ignore_conflicts=True)
    note = f"花名册导入（批次{batch.pk}）"
    audit.extend(
        audit_build(actor=actor, action=AuditAction.CREATE, target=b, note=note) for b in new_buildings
    )
    audit.extend(
        audit_build(
            actor=actor,
            action=AuditAction.CREATE,
            target=h,
            changes={"tags": [None, sorted(specs[i][5])]} if specs[i][5] else {},
            note=note,
        )
        for i, h in new_households.items()
    )
    return ids, len(new_households), len(new_buildings)


def _write_residents(
    batch: ImportBatch, rows: list[dict[str, Any]], actor: Any, audit: list
) -> ImportOutcome:
    household_ids, households_created, buildings_created = _write_households(batch, rows, audit, actor)
    persons = [
        _new_person(
            r, note=r["note"], relation=r["relation_to_head"], household_id=household_ids.get(r["household"])
        )
        for r in rows
    ]
    bulk_insert(persons, batch_size=INSERT_BATCH)
    audit.extend(
        audit_build(
            actor=actor,
            action=AuditAction.CREATE,
            target=p,
            changes=diff_fields({}, _person_snapshot(p)),
            note=f"花名册导入（批次{batch.pk}第{r['row']}行）",
        )
        for p, r in zip(persons, rows, strict=True)
    )
    return ImportOutcome(
        committed=True,
        imported=len(rows),
        persons_created=len(persons),
        households_created=households_created,
        buildings_created=buildings_created,
    )


def _write_members(batch: ImportBatch, rows: list[dict[str, Any]], actor: Any, audit: list) -> ImportOutcome:
    new = [r for r in rows if not r["person_id"]]
    persons = [_new_person(r) for r in new]
    bulk_insert(persons, batch_size=INSERT_BATCH)
    person_ids = {r["row"]: p.pk for r, p in zip(new, persons, strict=True)}
    members = [
        Member(
            person_id=r["person_id"] or person_ids[r["row"]],
            branch_id=r["branch_id"],
            status=r["status"],
            join_date=datetime.date.fromisoformat(r["join_date"]),
            formal_date=datetime.date.fromisoformat(r["formal_date"]) if r["formal_date"] else None,
            category=r["category"],
            work_unit_name=r["work_unit_name"],
            job_title=r["job_title"],
        )
        for r in rows
    ]
    bulk_insert(members, batch_size=INSERT_BATCH)
    names = {r["row"]: r["name"] for r in new}
    attached_names = dict(
        Person.objects.filter(pk__in=[r["person_id"] for r in rows if r["person_id"]]).values_list(
            "id", "name"
        )
    )
    audit.extend(
        audit_build(
            actor=actor,
            action=AuditAction.CREATE,
            target=p,
            changes=diff_fields({}, _person_snapshot(p)),
            note=f"花名册导入（批次{batch.pk}第{r['row']}行）",
        )
        for p, r in zip(persons, new, strict=True)
    )
    audit.extend(
        audit_build(
            actor=actor,
            action=AuditAction.CREATE,
            target=m,
            target_repr=names.get(r["row"]) or attached_names.get(r["person_id"], ""),
            changes=diff_fields({}, _member_snapshot(m)),
            note=f"花名册导入（批次{batch.pk}第{r['row']}行）",
        )
        for m, r in zip(members, rows, strict=True)
    )
    return ImportOutcome(
        committed=True, imported=len(rows), persons_created=len(persons), members_created=len(members)
    )


@transaction.atomic
def import_batch_commit(*, actor: Any, batch: ImportBatch, only_valid: bool = False) -> ImportOutcome:
    """Write a draft batch once, all or nothing.

    Refused (ValidationError, nothing written) when the batch is not a draft, or has bad rows and
    `only_valid` is False. ID numbers are checked again inside the transaction: conflicts that arose
    since the preview are added to the batch's errors; without `only_valid` nothing else is written
    and the outcome says `committed=False`; with it, those rows are left out like the other bad rows.
    """
    batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("node").get(pk=batch.pk)
    require_perm_at(actor, "people.import", batch.node.path)
    if batch.status == ImportStatus.COMMITTED:
        raise ValidationError("该批次已经导入，不能重复导入。", code="committed")
    if batch.status == ImportStatus.DISCARDED:
        raise ValidationError("该批次已作废，不能导入。", code="discarded")
    if batch.error_row_count and not only_valid:
        raise ValidationError(
            f"本批次有{batch.error_row_count}行有误，按规定整批不导入。请修改后重新上传，或确认「只导入无误的行」。",
            code="has_errors",
        )
    fields = batch.payload["fields"]
    rows = [dict(zip(fields, values, strict=True)) for values in batch.payload["rows"]]
    conflicts = _recheck(batch, rows)
    if conflicts:
        _record_conflicts(batch, conflicts)
        if not only_valid:
            batch.save(update_fields=["errors", "error_count", "error_row_count", "summary"])
            return ImportOutcome(committed=False, new_errors=[e.as_dict() for e in conflicts])
        bad = {e.row for e in conflicts}
        rows = [r for r in rows if r["row"] not in bad]
    if not rows:
        raise ValidationError("没有无误的行可以导入。", code="nothing")
    audit: list = []
    try:
        with transaction.atomic():
            write = _write_residents if batch.kind == ImportKind.RESIDENT else _write_members
            outcome = write(batch, rows, actor, audit)
    except IntegrityError:
        raise ValidationError(
            "导入时发现有人同时登记了相同的身份证号，本批次未导入任何数据，请稍后重试。", code="race"
        ) from None
    outcome.new_errors = [e.as_dict() for e in conflicts]
    batch.status = ImportStatus.COMMITTED
    batch.only_valid = only_valid
    batch.imported_count = outcome.imported
    batch.payload = {}
    batch.finished_at = timezone.now()
    batch.finished_by_name = actor.get_username()
    batch.summary = {
        **batch.summary,
        "persons_created": outcome.persons_created,
        "members_created": outcome.members_created,
        "households_created": outcome.households_created,
        "buildings_created": outcome.buildings_created,
    }
    batch.save()
    audit.append(
        audit_build(
            actor=actor,
            action=AuditAction.IMPORT,
            target=batch,
            changes={"status": [ImportStatus.DRAFT.value, ImportStatus.COMMITTED.value]},
            note=(
                f"导入{batch.get_kind_display()}{outcome.imported}行"
                + (
                    f"（只导入无误的行，跳过{batch.error_row_count}行）"
                    if only_valid and batch.error_row_count
                    else ""
                )
            ),
        )
    )
    audit_bulk(audit)
    return outcome


@transaction.atomic
def import_batch_discard(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Drop a draft batch: its encrypted rows are erased; the batch stays in the history as 已作废."""
    batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("node").get(pk=batch.pk)
    require_perm_at(actor, "people.import", batch.node.path)
    if batch.status != ImportStatus.DRAFT:
        raise ValidationError(f"该批次{batch.get_status_display()}，不能作废。", code="not_draft")
    batch.status = ImportStatus.DISCARDED
    batch.payload = {}
    batch.finished_at = timezone.now()
    batch.finished_by_name = actor.get_username()
    batch.save(update_fields=["status", "payload", "finished_at", "finished_by_name"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=batch,
        changes={"status": [ImportStatus.DRAFT.value, ImportStatus.DISCARDED.value]},
        note="作废导入批次",
    )
    return batch


# ---------------------------------------------------------------------------------------------
# Templates (a read: lists of the actor's grids and Party organisations, two queries).


def roster_template(*, kind: str, node: OrgNode) -> bytes:
    """The .xlsx template for `kind`, with drop-down lists of the grids (and Party organisations) under `node`."""
    spec = SHEETS[kind]
    chains, kinds = _node_chains(node)
    grids = grid_index(node, chains, kinds).options()
    options: dict[str, list[str]] = {"grid": grids}
    examples: dict[str, Any] = {"grid": grids[0] if grids else ""}
    if kind == ImportKind.MEMBER:
        index, branch_kinds = branch_index(node, chains)
        branches = [index.display(pk) for pk, k in branch_kinds.items() if k in MEMBER_BRANCH_KINDS]
        options["branch"] = branches
        examples["branch"] = branches[0] if branches else ""
    spec = replace(
        spec,
        columns=tuple(replace(c, example=examples[c.key]) if c.key in examples else c for c in spec.columns),
    )
    return xl.build_template(spec, instructions=INSTRUCTIONS[kind], options=options)
