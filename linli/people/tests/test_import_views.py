"""Roster import pages (PPL-7): upload, preview with every row error, confirmations, templates, history."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from openpyxl import load_workbook

from linli.people import importing
from linli.people.choices import ImportStatus
from linli.people.models import ImportBatch, Person
from linli.people.tests.rosters import RESIDENT_HEADER, bad_checksum, resident_rows, valid_id, workbook_bytes


def roster(*rows):
    return workbook_bytes(RESIDENT_HEADER, rows)


def good_and_bad_rows():
    rows = resident_rows(3, grid="复兴一网格", seed=3)
    rows[1][1] = bad_checksum(rows[1][1])  # row 3
    rows[2][5] = "不存在网格"  # row 4
    return rows


def upload(client, rows, kind="resident", world=None):
    return client.post("/people/import/", {"kind": kind, "node": world.community_a.pk, "file": roster(*rows)})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.community_admin_a)
    return client


def test_upload_page_offers_both_templates_and_only_the_users_scope(admin_client, world):
    response = admin_client.get("/people/import/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/people/import/template/resident/"' in html
    assert 'href="/people/import/template/member/"' in html
    assert [str(n) for n in response.context["form"].fields["node"].queryset] == ["复兴社区"]


def test_uploading_a_roster_leads_to_a_preview_listing_every_row_error(admin_client, world):
    response = upload(admin_client, good_and_bad_rows(), world=world)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/people/import/{batch.pk}/"
    html = admin_client.get(response["Location"]).content.decode()
    assert "有 2 行有误" in html
    assert '<td class="text-nowrap">第3行</td><td class="text-nowrap">身份证号</td>' in html
    assert "身份证号校验位错误。" in html
    assert "本辖区内没有名为「不存在网格」的网格。" in html
    assert "只导入无误的行" in html
    assert 'data-confirm="确定导入本批次全部 3 行吗？"' in html


def test_a_file_that_is_not_xlsx_is_refused_on_the_form_and_nothing_is_stored(admin_client, world):
    old = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    old.name = "花名册.xls"
    response = admin_client.post(
        "/people/import/", {"kind": "member", "node": world.community_a.pk, "file": old}
    )
    assert response.status_code == 200
    assert (
        "这是旧版Excel（.xls）文件，请在Excel或WPS中「另存为」.xlsx格式后再上传。"
        in response.content.decode()
    )
    assert ImportBatch.objects.count() == 0


def test_committing_a_batch_with_bad_rows_is_refused_and_writes_nothing(admin_client, world):
    upload(admin_client, good_and_bad_rows(), world=world)
    batch = ImportBatch.objects.get()
    persons = Person.objects.count()
    response = admin_client.post(f"/people/import/{batch.pk}/commit/")
    assert response.status_code == 302
    assert messages_of(response) == [
        "本批次有2行有误，按规定整批不导入。请修改后重新上传，或确认「只导入无误的行」。"
    ]
    assert Person.objects.count() == persons
    assert ImportBatch.objects.get().status == ImportStatus.DRAFT


def test_only_good_rows_need_the_confirmation_box(admin_client, world):
    upload(admin_client, good_and_bad_rows(), world=world)
    batch = ImportBatch.objects.get()
    persons = Person.objects.count()
    response = admin_client.post(f"/people/import/{batch.pk}/commit/", {"only_valid": "1"})
    assert messages_of(response) == ["请先勾选确认：有误的行不会导入。"]
    assert Person.objects.count() == persons
    admin_client.get(response["Location"])  # the message is shown there

    response = admin_client.post(f"/people/import/{batch.pk}/commit/", {"only_valid": "1", "confirm": "1"})
    assert messages_of(response) == ["已导入1行，新增人员1人。"]  # into 1栋1单元101, which exists
    assert Person.objects.count() == persons + 1
    html = admin_client.get(f"/people/import/{batch.pk}/").content.decode()
    assert "已导入（只导入无误的行）" in html
    assert "确认导入" not in html


def test_a_discarded_batch_says_so_and_offers_no_actions(admin_client, world):
    upload(admin_client, resident_rows(2, grid="复兴一网格"), world=world)
    batch = ImportBatch.objects.get()
    response = admin_client.post(f"/people/import/{batch.pk}/discard/")
    assert messages_of(response) == ["该批次已作废，上传的数据已清除。"]
    html = admin_client.get(f"/people/import/{batch.pk}/").content.decode()
    assert "上传的数据已清除" in html
    assert "确认导入" not in html


def test_errors_are_paged_fifty_at_a_time(admin_client, world):
    rows = [[f"居民{i}", "123", "", "", "", "复兴一网格"] + [""] * 7 for i in range(60)]
    upload(admin_client, rows, world=world)
    batch = ImportBatch.objects.get()
    first = admin_client.get(f"/people/import/{batch.pk}/").content.decode()
    second = admin_client.get(f"/people/import/{batch.pk}/?page=2").content.decode()
    assert first.count("身份证号应为18位，实际为3位。") == 50 + 20  # 50 in the error list, 20 in the preview
    assert second.count("身份证号应为18位，实际为3位。") == 10 + 20
    assert '<td class="text-nowrap">第61行</td>' in second


def test_the_error_list_downloads_as_a_workbook(admin_client, world):
    upload(admin_client, good_and_bad_rows(), world=world)
    batch = ImportBatch.objects.get()
    response = admin_client.get(f"/people/import/{batch.pk}/errors/")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [
        ("行号", "列", "填写内容", "错误原因"),
        (3, "身份证号", "530102********0010", "身份证号校验位错误。"),
        (4, "所属网格", "不存在网格", "本辖区内没有名为「不存在网格」的网格。"),
    ]


def test_the_member_template_lists_the_users_grids_and_branches(admin_client, world):
    response = admin_client.get("/people/import/template/member/")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    options = {col[0].value: [c.value for c in col[1:] if c.value] for col in workbook["可选值"].iter_cols()}
    assert options["所属网格"] == ["复兴一网格", "复兴二网格"]
    assert options["所在党组织"] == ["复兴社区党总支", "复兴社区第一党支部"]
    assert [c.value for c in workbook["党员花名册"][1]][:3] == ["姓名*", "身份证号*", "手机号"]


def test_a_filled_in_template_imports(admin_client, world):
    response = admin_client.get("/people/import/template/resident/")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["居民花名册"]
    sheet.append(
        ["刘洋", valid_id(datetime.date(1991, 5, 6), 31), "13700001111", "汉族", "本科", "复兴二网格"]
    )
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    filled.name = "居民.xlsx"
    admin_client.post("/people/import/", {"kind": "resident", "node": world.community_a.pk, "file": filled})
    batch = ImportBatch.objects.get()
    assert (batch.row_count, batch.errors, batch.summary["skipped_examples"]) == (1, [], 1)


def test_an_unknown_template_kind_is_404(admin_client):
    assert admin_client.get("/people/import/template/cadre/").status_code == 404


def test_history_lists_batches_in_scope_with_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    def batches(count):
        for _ in range(count):
            importing.resident_roster_import_preview(
                actor=world.community_admin_a,
                node=world.community_a,
                upload=roster(*resident_rows(1, grid="复兴一网格")),
            )

    client.force_login(world.street_admin)
    client.get("/people/import/")  # the first request stamps the session (idle timeout)
    batches(2)
    with django_assert_num_queries(5):
        # session, user, the user's role grants, count of batches, the page of batches (with scope node)
        response = client.get("/people/import/history/")
    assert len(response.context["page"]) == 2
    batches(25)
    with django_assert_num_queries(5):
        response = client.get("/people/import/history/")
    assert len(response.context["page"]) == 20
    client.force_login(world.community_admin_b)
    assert len(client.get("/people/import/history/").context["page"]) == 0
