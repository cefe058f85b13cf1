"""Excel exports of the registry lists: the filtered rows, masked personal data, text cells, an audit entry."""

import datetime
import io

from openpyxl import load_workbook

from linli.core.choices import AuditAction
from linli.core.models import AuditEntry
from linli.people import services
from linli.testing.world import ID_A1, ID_MEMBER_A


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_resident_export_is_the_filtered_list_with_masked_id_and_phone(world, client):
    client.force_login(world.community_admin_a)
    sheet = _sheet(client.get("/people/persons/export/", {"node": world.grid_a1.pk}))
    rows = _rows(sheet)
    assert rows[0][:7] == ["街道", "社区", "姓名", "性别", "出生日期", "身份证号", "电话"]
    assert [(r[2], r[5], r[6]) for r in rows[1:]] == [
        ("李建国", "530102********0013", "136****6000"),
        ("张三", "530102********0018", "138****8000"),
    ]
    assert rows[1][:2] == ["华山街道", "复兴社区"]
    flat = str(rows)
    assert ID_A1 not in flat and ID_MEMBER_A not in flat and "13800138000" not in flat


def test_every_export_writes_who_exported_what_to_the_audit_log(world, client):
    client.force_login(world.community_admin_a)
    _sheet(client.get("/people/members/export/", {"category": "retired"}))
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor_name, entry.target_type, entry.target_repr) == (
        "community_admin_a",
        "people.member",
        "党员名单",
    )
    assert entry.changes == {"rows": [None, 1]}
    assert entry.note == "党员分类=离退休"


def test_a_formula_typed_into_a_name_is_exported_as_text(world, client):
    person = services.person_create(
        actor=world.district_admin, node=world.grid_a1, name='=HYPERLINK("http://x","点我")'
    )
    services.member_create(
        actor=world.district_admin,
        person=person,
        branch=world.branch_a,
        join_date=datetime.date(2001, 7, 1),
        category="employed",
        work_unit_name="@SUM(1+1)",
    )
    client.force_login(world.community_admin_a)
    sheet = _sheet(client.get("/people/members/export/"))
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[1].value.startswith("=")]
    name_cell = row[1]
    unit_cell = row[12]
    assert (name_cell.value, name_cell.data_type, name_cell.quotePrefix) == (
        '=HYPERLINK("http://x","点我")',
        "s",
        True,
    )
    assert (unit_cell.value, unit_cell.data_type, unit_cell.quotePrefix) == ("@SUM(1+1)", "s", True)


def test_dates_are_real_dates_in_the_member_export(world, client):
    client.force_login(world.district_admin)
    sheet = _sheet(client.get("/people/members/export/"))
    header = [c.value for c in sheet[1]]
    join = sheet.cell(row=2, column=header.index("入党日期") + 1)
    assert (join.value.date().isoformat(), join.number_format) == ("1995-07-01", "yyyy-mm-dd")


def test_floating_in_service_and_cadre_exports(world, registry, client):
    client.force_login(world.community_admin_a)
    floating = _rows(_sheet(client.get("/people/floating/export/")))
    assert floating[1][:4] == ["李建国", "复兴社区第一党支部", "流出", "广东省深圳市南山区"]
    assert floating[1][8] == "139****5678"
    inservice = _rows(_sheet(client.get("/people/inservice/export/")))
    assert inservice[1][:2] == ["王秀英", "135****5000"]
    cadres = _rows(_sheet(client.get("/people/cadres/export/", {"position": "grid_worker"})))
    assert [r[:3] for r in cadres[1:]] == [["复兴一网格", "网格员", "单田芳"]]
    assert cadres[1][10:12] == [900, 200]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 3


def test_a_grid_worker_exports_only_the_grid(world, client):
    client.force_login(world.grid_worker_a1)
    rows = _rows(_sheet(client.get("/people/persons/export/")))
    assert sorted(r[2] for r in rows[1:]) == ["张三", "李建国"]


def test_a_list_longer_than_one_export_sends_the_user_back_to_narrow_it(world, client, settings):
    settings.LINLI_EXPORT_MAX_ROWS = 2
    client.force_login(world.community_admin_a)
    response = client.get("/people/persons/export/", {"age_min": "0"})
    assert response.status_code == 302
    assert response["Location"] == "/people/persons/?age_min=0"
    page = client.get(response["Location"]).content.decode()
    assert "符合条件的记录有3条，超过单次导出上限2条，请按街道、社区或网格筛选后分批导出。" in page
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    narrowed = _rows(_sheet(client.get("/people/persons/export/", {"gender": "M"})))
    assert len(narrowed) == 3
