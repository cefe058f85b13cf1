"""Checking every row of a parsed roster and building what the draft batch stores (nothing is written here)."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from linli.core import excel_import as xl
from linli.core import pii
from linli.core.pinyin import name_pinyin
from linli.orgs.choices import PartyOrgKind
from linli.orgs.models import Building, Household, HouseholdTag, OrgNode

from ..choices import HouseholdRelation, ImportKind, MemberCategory, MemberStatus
from ..models import Person
from ..services import id_number_hash, phone_hash
from .names import NameIndex, branch_index, grid_index, node_chains
from .sheets import (
    DEFAULT_ETHNICITY,
    GENDER_LABEL,
    LOOKUP_CHUNK,
    MEMBER_BRANCH_KINDS,
    PERSON_PAYLOAD,
    PREVIEW_ROWS,
    SHEETS,
)


@dataclass
class Checked:
    payload_rows: list[list[Any]] = field(default_factory=list)
    households: list[list[Any]] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def existing_by_hash(hashes: Iterable[str]) -> dict[str, tuple]:
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


class _RosterCheck(ABC):
    """Checks one parsed sheet within one scope and builds what the batch stores."""

    kind: str

    def __init__(self, scope: OrgNode, sheet: xl.ParsedSheet) -> None:
        self.scope = scope
        self.sheet = sheet
        self.errors = sheet.errors
        self.today = timezone.localdate()
        self.chains, self.kinds = node_chains(scope)
        self.grids = grid_index(scope, self.chains, self.kinds)
        self.hash_of: dict[str, str] = {}
        self.pinyin: dict[str, tuple[str, str]] = {}  # names repeat in a roster; pinyin is the costly part
        self.existing: dict[str, tuple] = {}
        self.result = Checked()

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
        self.existing = existing_by_hash(self.hash_of.values())

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

    def run(self) -> Checked:
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

    @abstractmethod
    def check_row(self, row: xl.ParsedRow) -> None:
        """The rules of one roster kind for one row: add its errors, or its payload when it has none."""


class _ResidentCheck(_RosterCheck):
    kind = ImportKind.RESIDENT

    def __init__(self, scope: OrgNode, sheet: xl.ParsedSheet) -> None:
        super().__init__(scope, sheet)
        tags = list(HouseholdTag.objects.order_by("sort_order", "id").values_list("id", "name"))
        self.tags = {xl.normalize_label(name): [pk, name] for pk, name in tags}
        self.tag_names = "、".join(name for _, name in tags)
        self.household_keys: dict[tuple, int] = {}
        self.heads: dict[tuple, list[int]] = defaultdict(list)
        self.existing_households: dict[tuple, int] = {}
        self.existing_buildings: set[tuple[int, str]] = set()

    def run(self) -> Checked:
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
        tags: list[list] = []  # [id, name] pairs: ids to link, names for the audit log
        for typed in values.get("tags") or []:
            tag = self.tags.get(xl.normalize_label(typed))
            if tag is None:
                self.add(row, "tags", f"未知的户标签「{typed}」，可选：{self.tag_names}。")
            else:
                tags.append(tag)
        if tags and room_blank:
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
            known.extend(t for t in tags if t not in known)
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
                    GENDER_LABEL.get(parsed.gender, "") if parsed else "",
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

    def run(self) -> Checked:
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


CHECKS = {ImportKind.RESIDENT: _ResidentCheck, ImportKind.MEMBER: _MemberCheck}
