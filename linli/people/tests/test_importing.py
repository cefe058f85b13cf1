"""Roster import services (PPL-7): every row rule in Chinese, all or nothing, once, re-checked, in scope, in bulk."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.core import pii
from linli.core.choices import AuditAction
from linli.core.models import AuditEntry
from linli.orgs import services as org_services
from linli.orgs.choices import NodeKind, PartyOrgKind
from linli.orgs.models import Building, Household, HouseholdTag, OrgNode
from linli.people import importing
from linli.people import services as people_services
from linli.people.choices import ImportStatus
from linli.people.models import ImportBatch, Member, Person
from linli.people.tests.rosters import (
    MEMBER_HEADER,
    RESIDENT_HEADER,
    bad_checksum,
    member_rows,
    resident_rows,
    valid_id,
    workbook_bytes,
)
from linli.testing.world import ID_A1, ID_B1, ID_MEMBER_A

ID_1 = valid_id(datetime.date(1980, 1, 2), 11)
ID_2 = valid_id(datetime.date(1981, 2, 3), 12)
ID_3 = valid_id(datetime.date(1982, 3, 4), 13)
ID_4 = valid_id(datetime.date(1983, 4, 5), 14)


def resident(**values):
    """One resident row in the order of RESIDENT_HEADER; keys are the Chinese column names."""
    row = dict.fromkeys(RESIDENT_HEADER, "")
    row.update({"姓名": "王芳", "身份证号": ID_1, "所属网格": "复兴一网格"})
    row.update(values)
    return [row[h] for h in RESIDENT_HEADER]


def member(**values):
    row = dict.fromkeys(MEMBER_HEADER, "")
    row.update(
        {
            "姓名": "赵红",
            "身份证号": ID_1,
            "所属网格": "复兴一网格",
            "所在党组织": "复兴社区第一党支部",
            "党员类别": "正式党员",
            "入党日期": "2010-07-01",
            "党员分类": "在职",
        }
    )
    row.update(values)
    return [row[h] for h in MEMBER_HEADER]


def preview_residents(world, *rows, actor=None, node=None):
    return importing.resident_roster_import_preview(
        actor=actor or world.community_admin_a,
        node=node or world.community_a,
        upload=workbook_bytes(RESIDENT_HEADER, rows),
    )


def preview_members(world, *rows, actor=None, node=None):
    return importing.member_roster_import_preview(
        actor=actor or world.community_admin_a,
        node=node or world.community_a,
        upload=workbook_bytes(MEMBER_HEADER, rows),
    )


def errors_of(batch):
    return [(e["row"], e["column"], e["message"]) for e in batch.errors]


def counts():
    return (
        Person.objects.count(),
        Member.objects.count(),
        Household.objects.count(),
        Building.objects.count(),
        AuditEntry.objects.count(),
    )


# --- residents ---------------------------------------------------------------------------------


def test_a_clean_resident_roster_previews_without_writing_people_then_commits_everything(world):
    before = counts()
    batch = preview_residents(
        world,
        resident(
            姓名="王芳",
            身份证号=ID_1,
            手机号="13912345678",
            楼栋="2栋",
            单元="1单元",
            户号="301",
            与户主关系="户主",
            户标签="低保、独居老人",
        ),
        resident(
            姓名="李明",
            身份证号=ID_2,
            楼栋="2栋",
            单元="1单元",
            户号="301",
            与户主关系="配偶",
            民族="回",
            学历="大学本科",
        ),
        resident(姓名="单田", 身份证号=ID_3, 楼栋="1栋", 单元="1单元", 户号="101", 与户主关系="子女"),
    )
    assert counts()[:4] == before[:4]
    assert (batch.status, batch.row_count, batch.error_row_count, batch.errors) == (
        ImportStatus.DRAFT,
        3,
        0,
        [],
    )
    assert batch.summary["persons"] == 3
    assert (
        batch.summary["households_new"],
        batch.summary["households_existing"],
        batch.summary["buildings_new"],
    ) == (
        1,
        1,
        1,
    )
    assert batch.preview[0] == {
        "row": 2,
        "ok": True,
        "cells": [
            "王芳", "男", "1980-01-02", pii.mask_id_number(ID_1), "139****5678", "复兴一网格", "2栋1单元301",
            "低保、独居老人", "新增居民，新建户",
        ],
    }  # fmt: skip

    outcome = importing.import_batch_commit(actor=world.community_admin_a, batch=batch)

    assert (outcome.committed, outcome.imported, outcome.persons_created) == (True, 3, 3)
    assert (outcome.households_created, outcome.buildings_created) == (1, 1)
    wang = Person.objects.get(name="王芳")
    assert pii.decrypt(wang.id_number_encrypted) == ID_1
    assert pii.decrypt(wang.phone_encrypted) == "13912345678"
    assert (wang.phone_masked, wang.gender, wang.birth_date, wang.name_initials) == (
        "139****5678",
        "M",
        datetime.date(1980, 1, 2),
        "wf",
    )
    assert (wang.node, wang.relation_to_head, wang.ethnicity) == (world.grid_a1, "head", "汉族")
    li = Person.objects.get(name="李明")
    assert (li.household_id, li.ethnicity, li.education) == (wang.household_id, "回族", "bachelor")
    assert sorted(wang.household.tags.values_list("name", flat=True)) == ["低保", "独居老人"]
    assert wang.household.building.name == "2栋"
    assert Person.objects.get(name="单田").household == world.household_a1  # 1栋1单元101 already existed
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, batch.payload) == (ImportStatus.COMMITTED, 3, {})


def test_commit_writes_one_audit_entry_per_created_row_and_one_for_the_batch(world):
    batch = preview_residents(
        world,
        resident(身份证号=ID_1, 楼栋="9栋", 户号="901"),
        resident(姓名="李明", 身份证号=ID_2),
    )
    first = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
    entries = AuditEntry.objects.filter(id__gt=first).order_by("id")
    assert sorted((e.action, e.target_type) for e in entries) == [
        (AuditAction.CREATE, "orgs.building"),
        (AuditAction.CREATE, "orgs.household"),
        (AuditAction.CREATE, "people.person"),
        (AuditAction.CREATE, "people.person"),
        (AuditAction.IMPORT, "people.importbatch"),
    ]
    wang = entries.get(target_repr="王芳")
    assert wang.changes["id_number"] == [None, pii.mask_id_number(ID_1)]
    assert wang.note == f"花名册导入（批次{batch.pk}第2行）"
    assert ID_1 not in json.dumps([e.changes for e in entries], ensure_ascii=False)


def test_every_bad_resident_row_is_reported_with_its_row_number_and_reason(world):
    batch = preview_residents(
        world,
        resident(身份证号=bad_checksum(ID_1)),  # 2
        resident(身份证号=ID_2),  # 3
        resident(身份证号=ID_2),  # 4
        resident(身份证号=ID_A1),  # 5: 张三, registered in this community
        resident(身份证号=ID_B1),  # 6: registered in another community
        resident(身份证号=ID_3, 所属网格="金碧一网格"),  # 7: another community's grid
        resident(身份证号=ID_4, 手机号="1391234"),  # 8
        resident(身份证号=valid_id(datetime.date(1990, 1, 1), 1), 学历="大学生", 与户主关系="邻居"),  # 9
        resident(身份证号=valid_id(datetime.date(1990, 1, 1), 2), 户号="1", 户标签="低保、贫困"),  # 10
        resident(身份证号=valid_id(datetime.date(1990, 1, 1), 3), 户标签="低保"),  # 11
        resident(身份证号=valid_id(datetime.date(1990, 1, 1), 4), 楼栋="1栋"),  # 12
        resident(身份证号=valid_id(datetime.date(1990, 1, 1), 5), 户号="5", 与户主关系="户主"),  # 13
        resident(身份证号=valid_id(datetime.date(1990, 1, 1), 6), 户号="5", 与户主关系="户主"),  # 14
        resident(姓名="", 身份证号=valid_id(datetime.date(1990, 1, 1), 7), 民族="火星族"),  # 15
        resident(姓名="好人", 身份证号=valid_id(datetime.date(1990, 1, 1), 8)),  # 16
    )
    assert errors_of(batch) == [
        (2, "身份证号", "身份证号校验位错误。"),
        (3, "身份证号", "身份证号与第4行重复。"),
        (4, "身份证号", "身份证号与第3行重复。"),
        (5, "身份证号", "该身份证号已登记为「张三」（复兴一网格），不能重复导入。"),
        (6, "身份证号", "该身份证号已在其他辖区登记，不能重复导入；如需迁入请联系上级管理员。"),
        (7, "所属网格", "本辖区内没有名为「金碧一网格」的网格。"),
        (8, "手机号", "电话号码格式不正确：手机号为11位数字，固话如 0871-12345678。"),
        (9, "学历", "「大学生」不是可选的值，可选：无、小学、初中、高中/中专、大专、本科、硕士、博士。"),
        (9, "与户主关系", "「邻居」不是可选的值，可选：户主、配偶、子女、父母、孙辈、其他。"),
        (10, "户标签", "未知的户标签「贫困」，可选：低保、空巢、独居老人、残疾、困难户、退役军人。"),
        (11, "户标签", "户标签记在户上，请同时填写户号。"),
        (12, "户号", "填写了楼栋或单元时须同时填写户号。"),
        (13, "与户主关系", "同一户只能有一位户主，本行与第14行都填了户主。"),
        (14, "与户主关系", "同一户只能有一位户主，本行与第13行都填了户主。"),
        (15, "姓名", "姓名不能为空。"),
        (15, "民族", "「火星族」不是有效的民族名称，请填写如「汉族」「回族」。"),
    ]
    assert (batch.row_count, batch.error_row_count, batch.error_count) == (15, 14, 16)
    assert [row[0] for row in batch.payload["rows"]] == [16]  # only good rows are kept for commit
    assert batch.preview[0]["cells"][-1] == "身份证号校验位错误。"


def test_nothing_is_written_when_any_row_is_bad(world):
    batch = preview_residents(world, resident(身份证号=ID_1), resident(身份证号=bad_checksum(ID_2)))
    before = counts()
    with pytest.raises(ValidationError) as refused:
        importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
    assert refused.value.messages == [
        "本批次有1行有误，按规定整批不导入。请修改后重新上传，或确认「只导入无误的行」。"
    ]
    assert counts() == before
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DRAFT


def test_only_good_rows_are_imported_when_asked(world):
    batch = preview_residents(
        world,
        resident(身份证号=ID_1),
        resident(姓名="坏行", 身份证号=bad_checksum(ID_2)),
        resident(姓名="李明", 身份证号=ID_3),
    )
    outcome = importing.import_batch_commit(actor=world.community_admin_a, batch=batch, only_valid=True)
    assert (outcome.committed, outcome.imported) == (True, 2)
    assert sorted(Person.objects.filter(node=world.grid_a1).values_list("name", flat=True)) == [
        "张三",
        "李建国",
        "李明",
        "王芳",
    ]
    batch.refresh_from_db()
    assert (batch.status, batch.only_valid, batch.imported_count) == (ImportStatus.COMMITTED, True, 2)


def test_a_batch_of_only_bad_rows_imports_nothing_even_when_asked(world):
    batch = preview_residents(world, resident(身份证号=bad_checksum(ID_1)))
    with pytest.raises(ValidationError) as refused:
        importing.import_batch_commit(actor=world.community_admin_a, batch=batch, only_valid=True)
    assert refused.value.messages == ["没有无误的行可以导入。"]


def test_a_batch_is_committed_once(world):
    batch = preview_residents(world, resident())
    importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        importing.import_batch_commit(actor=world.street_admin, batch=batch)
    assert refused.value.messages == ["该批次已经导入，不能重复导入。"]
    assert counts() == before


def test_a_discarded_batch_loses_its_rows_and_cannot_be_committed(world):
    batch = preview_residents(world, resident())
    importing.import_batch_discard(actor=world.community_admin_a, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.payload, batch.finished_by_name) == (
        ImportStatus.DISCARDED,
        {},
        "community_admin_a",
    )
    with pytest.raises(ValidationError) as refused:
        importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
    assert refused.value.messages == ["该批次已作废，不能导入。"]
    with pytest.raises(ValidationError) as again:
        importing.import_batch_discard(actor=world.community_admin_a, batch=batch)
    assert again.value.messages == ["该批次已作废，不能作废。"]


def test_commit_rechecks_ids_registered_since_the_preview(world):
    batch = preview_residents(world, resident(身份证号=ID_1), resident(姓名="李明", 身份证号=ID_2))
    people_services.person_create(actor=world.grid_worker_a1, node=world.grid_a1, name="王芳", id_number=ID_1)
    before = counts()

    outcome = importing.import_batch_commit(actor=world.community_admin_a, batch=batch)

    assert (outcome.committed, outcome.new_errors) == (
        False,
        [
            {
                "row": 2,
                "column": "身份证号",
                "message": "预览之后该身份证号已被登记，本行不能导入。",
                "value": "",
            }
        ],
    )
    assert counts() == before
    batch.refresh_from_db()
    assert (batch.status, batch.error_row_count, batch.summary["conflicts_at_commit"]) == (
        ImportStatus.DRAFT,
        1,
        1,
    )

    outcome = importing.import_batch_commit(actor=world.community_admin_a, batch=batch, only_valid=True)
    assert (outcome.committed, outcome.imported) == (True, 1)
    assert Person.objects.filter(name="李明").count() == 1


def test_names_are_resolved_only_within_the_importers_scope(world):
    with pytest.raises(PermissionDenied):
        preview_residents(world, resident(所属网格="金碧一网格"), node=world.community_b)
    with pytest.raises(PermissionDenied):
        preview_residents(world, resident(), actor=world.grid_worker_a1, node=world.grid_a1)
    batch = preview_residents(
        world, resident(所属网格="金碧一网格"), actor=world.street_admin, node=world.street_a
    )
    assert errors_of(batch) == [(2, "所属网格", "本辖区内没有名为「金碧一网格」的网格。")]


def test_another_communitys_manager_cannot_commit_or_discard_a_batch(world):
    batch = preview_residents(world, resident())
    before = counts()
    with pytest.raises(PermissionDenied):
        importing.import_batch_commit(actor=world.community_admin_b, batch=batch)
    with pytest.raises(PermissionDenied):
        importing.import_batch_discard(actor=world.community_admin_b, batch=batch)
    assert counts() == before
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DRAFT


def test_ambiguous_grid_names_ask_for_the_full_path(world):
    for community in (world.community_a, world.community_a2):
        org_services.node_create(
            actor=world.district_admin, parent=community, kind=NodeKind.GRID, name="第一网格"
        )
    batch = preview_residents(
        world,
        resident(身份证号=ID_1, 所属网格="第一网格"),
        resident(身份证号=ID_2, 所属网格="翠湖社区/第一网格"),
        resident(身份证号=ID_3, 所属网格="华山街道／复兴社区／第一网格"),
        actor=world.street_admin,
        node=world.street_a,
    )
    assert errors_of(batch) == [
        (
            2,
            "所属网格",
            "本辖区内有多个名为「第一网格」的网格，请写完整路径，如「复兴社区/第一网格」、「翠湖社区/第一网格」。",
        )
    ]
    grids = dict(OrgNode.objects.filter(name="第一网格").values_list("parent__name", "id"))
    node_ids = [row[batch.payload["fields"].index("node_id")] for row in batch.payload["rows"]]
    assert node_ids == [grids["翠湖社区"], grids["复兴社区"]]


def test_the_stored_batch_keeps_no_plaintext_id_number_or_phone(world):
    batch = preview_residents(
        world,
        resident(身份证号=ID_1, 手机号="13912345678"),
        resident(身份证号=bad_checksum(ID_2), 手机号="13987654321"),
    )
    stored = ImportBatch.objects.get(pk=batch.pk)
    text = json.dumps([stored.payload, stored.errors, stored.preview, stored.summary], ensure_ascii=False)
    for secret in (ID_1, bad_checksum(ID_2), "13912345678", "13987654321"):
        assert secret not in text


def _fresh_grid(world, name):
    return org_services.node_create(
        actor=world.district_admin, parent=world.community_a, kind=NodeKind.GRID, name=name
    )


def test_commit_queries_do_not_grow_with_rows(world):
    def queries(rows):
        batch = preview_residents(world, *rows)
        with CaptureQueriesContext(connection) as captured:
            importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
        return len(captured)

    _fresh_grid(world, "复兴三网格")
    _fresh_grid(world, "复兴四网格")
    # The 14 on SQLite: savepoint, lock the batch, re-check ID hashes, savepoint, buildings and
    # households of the grids, insert buildings, households, household tags, persons, release, update
    # the batch, insert audit entries, release. 40 rows fit one SQLite insert (999 parameters); more
    # rows add one statement per insert batch, never one per row. PostgreSQL writes each of buildings,
    # households, persons and audit entries as ids from the sequence plus one COPY: 4 more.
    small = queries(resident_rows(5, grid="复兴三网格", seed=1, region="530103"))
    large = queries(resident_rows(40, grid="复兴四网格", seed=2, region="530111"))
    assert small == large == (14 if connection.vendor == "sqlite" else 18)


def test_preview_queries_do_not_grow_with_rows(world):
    def queries(rows):
        with CaptureQueriesContext(connection) as captured:
            preview_residents(world, *rows)
        return len(captured)

    world.community_admin_a.get_scope()  # the actor's grants are loaded once per request
    # nodes of the scope, household tags, households and buildings of the grids named, ID hashes
    # (one chunk up to 900 rows), savepoint, insert the batch, insert its audit entry, release.
    small = queries(resident_rows(5, grid="复兴一网格", seed=1))
    large = queries(resident_rows(60, grid="复兴二网格", seed=2))
    assert small == large == 9


# --- members -----------------------------------------------------------------------------------


def test_a_clean_member_roster_registers_new_persons_and_attaches_registered_ones(world):
    zhang_before = Person.objects.filter(pk=world.person_a1.pk).values().get()
    batch = preview_members(
        world,
        member(
            姓名="赵红",
            身份证号=ID_1,
            入党日期="2010年7月1日",
            转正日期="2011/7/1",
            工作单位="五华区税务局",
            职务="科员",
        ),
        member(
            姓名="张三",
            身份证号=ID_A1,
            所属网格="复兴二网格",
            党员类别="预备党员",
            入党日期=20250701,
            党员分类="离退休",
        ),
    )
    assert batch.errors == []
    assert batch.summary["members"] == 2
    assert (batch.summary["persons"], batch.summary["persons_attached"]) == (1, 1)
    assert batch.preview[1]["cells"][-1] == "关联已登记的人员（复兴一网格），人员信息不变"

    outcome = importing.import_batch_commit(actor=world.community_admin_a, batch=batch)

    assert (outcome.persons_created, outcome.members_created) == (1, 2)
    zhao = Member.objects.select_related("person").get(person__name="赵红")
    assert (zhao.branch, zhao.status, zhao.join_date, zhao.formal_date, zhao.category) == (
        world.branch_a,
        "formal",
        datetime.date(2010, 7, 1),
        datetime.date(2011, 7, 1),
        "employed",
    )
    assert (zhao.work_unit_name, zhao.job_title, zhao.person.node) == ("五华区税务局", "科员", world.grid_a1)
    zhang = Member.objects.get(person=world.person_a1)
    assert (zhang.status, zhang.join_date, zhang.category) == (
        "probationary",
        datetime.date(2025, 7, 1),
        "retired",
    )
    assert Person.objects.filter(pk=world.person_a1.pk).values().get() == zhang_before


def test_every_bad_member_row_is_reported_with_its_row_number_and_reason(world):
    org_services.party_org_create(
        actor=world.district_admin,
        node=world.grid_a1,
        name="复兴一网格党小组",
        kind=PartyOrgKind.GROUP,
        parent=world.branch_a,
    )
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    born_2000 = valid_id(datetime.date(2000, 6, 1), 21)
    batch = preview_members(
        world,
        member(身份证号=ID_MEMBER_A, 姓名="李建国"),  # 2: already a member
        member(身份证号=ID_A1, 姓名="张叁"),  # 3: name differs from the registered person
        member(身份证号=ID_B1, 姓名="曾小红"),  # 4: registered in another community
        member(身份证号=ID_1, 所在党组织="金碧社区第一党支部"),  # 5
        member(身份证号=ID_2, 所在党组织="复兴一网格党小组"),  # 6
        member(身份证号=ID_3, 入党日期=f"{tomorrow:%Y-%m-%d}"),  # 7
        member(身份证号=born_2000, 入党日期="2018-05-31"),  # 8: 17 at joining
        member(身份证号=ID_4, 入党日期="2010-7-1", 转正日期="2009-7-1"),  # 9
        member(
            身份证号=valid_id(datetime.date(1970, 1, 1), 1), 党员类别="预备党员", 转正日期="2011-07-01"
        ),  # 10
        member(
            身份证号=valid_id(datetime.date(1970, 1, 1), 2), 入党日期="去年七一", 党员分类="退伍军人"
        ),  # 11
        member(身份证号=valid_id(datetime.date(1970, 1, 1), 3), 党员类别=""),  # 12
        member(身份证号=valid_id(datetime.date(1970, 1, 1), 4), 转正日期=f"{tomorrow:%Y-%m-%d}"),  # 13
        member(姓名="好党员", 身份证号=born_2000.replace("021", "022")[:17] + "X"),  # 14: bad checksum
    )
    assert errors_of(batch) == [
        (2, "身份证号", "「李建国」已是党员（复兴社区第一党支部），不能重复导入。"),
        (3, "姓名", "该身份证号已登记为「张三」，与本行姓名「张叁」不一致，请核对。"),
        (4, "身份证号", "该身份证号已在其他辖区登记，不能在此导入；如需转入请联系上级管理员。"),
        (5, "所在党组织", "本辖区内没有名为「金碧社区第一党支部」的党组织。"),
        (6, "所在党组织", "「复兴一网格党小组」是党小组，党员的组织关系应在党支部、党总支或党委。"),
        (7, "入党日期", "入党日期不能晚于今天。"),
        (8, "入党日期", "入党时须年满18周岁，请核对入党日期或身份证号。"),
        (9, "转正日期", "转正日期不能早于入党日期。"),
        (10, "转正日期", "预备党员不应填写转正日期。"),
        (
            11,
            "入党日期",
            "无法识别的日期「去年七一」，请写成 2024-07-01、2024/7/1、2024.7.1、2024年7月1日 或 20240701。",
        ),
        (11, "党员分类", "「退伍军人」不是可选的值，可选：在职、离退休、下岗失业、流动、两新组织、机关。"),
        (12, "党员类别", "党员类别不能为空。"),
        (13, "转正日期", "转正日期不能晚于今天。"),
        (14, "身份证号", "身份证号校验位错误。"),
    ]
    before = counts()
    with pytest.raises(ValidationError):
        importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
    assert counts() == before


def test_ambiguous_branch_names_ask_for_the_full_path(world):
    org_services.party_org_create(
        actor=world.district_admin, node=world.community_a2, name="第一党支部", kind=PartyOrgKind.BRANCH
    )
    org_services.party_org_create(
        actor=world.district_admin, node=world.community_a, name="第一党支部", kind=PartyOrgKind.BRANCH
    )
    batch = preview_members(
        world,
        member(身份证号=ID_1, 所在党组织="第一党支部"),
        member(身份证号=ID_2, 所在党组织="复兴社区/第一党支部"),
        actor=world.street_admin,
        node=world.street_a,
    )
    assert errors_of(batch) == [
        (
            2,
            "所在党组织",
            "本辖区内有多个名为「第一党支部」的党组织，请写完整路径，如「复兴社区/第一党支部」、「翠湖社区/第一党支部」。",
        )
    ]


def test_member_commit_rechecks_persons_made_members_since_the_preview(world):
    batch = preview_members(world, member(身份证号=ID_A1, 姓名="张三"), member(身份证号=ID_2, 姓名="李明"))
    people_services.member_create(
        actor=world.community_admin_a,
        person=world.person_a1,
        branch=world.branch_a,
        join_date=datetime.date(2010, 7, 1),
        category="retired",
    )
    before = counts()
    outcome = importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
    assert (outcome.committed, [e["message"] for e in outcome.new_errors]) == (
        False,
        ["预览之后该人员已登记为党员，本行不能导入。"],
    )
    assert counts() == before


def test_member_commit_queries_do_not_grow_with_rows(world):
    def queries(rows):
        batch = preview_members(world, *rows)
        with CaptureQueriesContext(connection) as captured:
            importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
        return len(captured)

    # 30 new members write 60 audit entries: still one insert statement per table on SQLite.
    small = queries(member_rows(5, grid="复兴一网格", branch="复兴社区第一党支部", seed=1, region="530103"))
    large = queries(member_rows(30, grid="复兴二网格", branch="复兴社区第一党支部", seed=2, region="530111"))
    assert small == large


def test_household_tags_are_data_not_code(world):
    HouseholdTag.objects.create(code="entitled", name="优抚对象", sort_order=9)
    batch = preview_residents(world, resident(户号="808", 户标签="优抚对象"))
    assert batch.errors == []


def test_tags_go_onto_new_and_existing_households_and_are_audited_by_name(world):
    batch = preview_residents(
        world,
        resident(身份证号=ID_1, 楼栋="1栋", 单元="1单元", 户号="101", 户标签="独居老人"),  # 张三's household
        resident(身份证号=ID_2, 楼栋="3栋", 户号="301", 户标签="低保，独居老人"),
    )
    first = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    importing.import_batch_commit(actor=world.community_admin_a, batch=batch)
    assert sorted(world.household_a1.tags.values_list("name", flat=True)) == ["低保", "独居老人"]
    new = Household.objects.get(building__name="3栋")
    assert sorted(new.tags.values_list("name", flat=True)) == ["低保", "独居老人"]
    entries = AuditEntry.objects.filter(id__gt=first, target_type="orgs.household")
    assert sorted(
        (e.action, e.target_id, e.changes["tags_added" if e.action == "update" else "tags"][1])
        for e in entries
    ) == [
        (AuditAction.CREATE, str(new.pk), ["低保", "独居老人"]),
        (AuditAction.UPDATE, str(world.household_a1.pk), ["独居老人"]),
    ]
