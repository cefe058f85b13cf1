"""The pages as people use them: look-up by code at the desk, crediting, ordering, approving, exporting."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from linli.bank import codes
from linli.bank.choices import BulkState, OrderState
from linli.bank.models import BulkCredit, Earning, Order
from linli.bank.services import (
    bulk_credit_create,
    depositor_card_revoke,
    earning_item_save,
    expiry_rule_save,
    order_place,
)
from linli.core.models import AuditEntry

from .factories import balance, give_points


def login(client, user):
    client.force_login(user)
    return client


def test_desk_finds_a_resident_by_typed_code_and_says_how(world, bank, client):
    login(client, world.grid_worker_a1)
    typed = bank.a1.short_code_display.lower()
    response = client.post("/bank/desk/lookup/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/bank/depositors/{bank.a1.pk}/?via=code"


def test_desk_finds_a_resident_by_phone_and_card_codes(world, bank, client):
    login(client, world.grid_worker_a1)
    phone = client.post("/bank/desk/lookup/", {"code": codes.phone_token(bank.a1.pk)})
    card = client.post("/bank/desk/lookup/", {"code": codes.card_token(bank.a1.pk, 1)})
    assert (phone["Location"], card["Location"]) == (
        f"/bank/depositors/{bank.a1.pk}/?via=phone",
        f"/bank/depositors/{bank.a1.pk}/?via=card",
    )


def test_a_revoked_card_names_nobody(world, bank, client):
    old_card = codes.card_token(bank.a1.pk, 1)
    old_code = bank.a1.short_code
    depositor_card_revoke(actor=world.grid_worker_a1, depositor=bank.a1, reason="遗失")
    login(client, world.grid_worker_a1)
    for code in (old_card, old_code):
        response = client.post("/bank/desk/lookup/", {"code": code})
        assert response.status_code == 404
        assert "未找到该储户" in response.content.decode()


def test_another_communitys_worker_gets_the_same_answer_as_for_a_typo(world, bank, client):
    login(client, world.community_admin_b)
    response = client.post("/bank/desk/lookup/", {"code": bank.a1.short_code})
    assert response.status_code == 404
    assert "张三" not in response.content.decode()


def test_malformed_code_is_explained(world, bank, client):
    login(client, world.grid_worker_a1)
    response = client.post("/bank/desk/lookup/", {"code": "12"})
    assert response.status_code == 400
    assert "储户码应为8位字母或数字" in response.content.decode()


def test_worker_credits_with_a_photo_and_the_history_names_station_and_item(world, bank, client):
    login(client, world.grid_worker_a1)
    photo = SimpleUploadedFile(
        "现场.gif",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        content_type="image/gif",
    )
    response = client.post(
        f"/bank/depositors/{bank.a1.pk}/credit/",
        {
            "item": bank.volunteer.pk,
            "quantity": 2,
            "occurred_on": timezone.localdate().isoformat(),
            "method": "phone",
            "evidence": photo,
        },
    )
    assert response.status_code == 302
    earning = Earning.objects.get()
    assert (earning.method, earning.points, balance(bank.a1)) == ("phone", Decimal("10.00"), Decimal("10.00"))
    page = client.get(f"/bank/depositors/{bank.a1.pk}/").content.decode()
    assert "已为张三记入10分（志愿服务×2）" in page
    assert "复兴社区积分驿站" in page and "志愿服务×2" in page
    evidence = client.get(f"/bank/earnings/{earning.pk}/evidence/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"GIF89a")


def test_missing_photo_is_shown_on_the_form_and_nothing_is_credited(world, bank, client):
    login(client, world.grid_worker_a1)
    response = client.post(
        f"/bank/depositors/{bank.a1.pk}/credit/",
        {
            "item": bank.volunteer.pk,
            "quantity": 1,
            "occurred_on": timezone.localdate().isoformat(),
            "method": "code",
        },
    )
    assert response.status_code == 200
    assert "「志愿服务」需要上传照片作为证据" in response.content.decode()
    assert Earning.objects.count() == 0


def test_resident_orders_on_the_phone_and_the_desk_hands_it_over(world, bank, client):
    give_points(world, bank.a1, bank.activity, 3)
    login(client, world.resident_a1)
    response = client.post(f"/bank/me/shop/{bank.rice.pk}/order/", {"depositor": bank.a1.pk, "quantity": 1})
    assert response["Location"] == "/bank/me/orders/"
    order = Order.objects.get()
    assert f"已下单{order.number}：大米5斤×1，扣20分" in client.get("/bank/me/orders/").content.decode()
    login(client, world.community_admin_a)
    queue = client.get(f"/bank/orders/?station={bank.station_a.pk}").content.decode()
    assert order.number in queue
    client.post(f"/bank/orders/{order.pk}/collect/")
    assert Order.objects.get(pk=order.pk).state == OrderState.COLLECTED
    login(client, world.resident_a1)
    history = client.get("/bank/me/history/").content.decode()
    assert "兑换大米5斤×1" in history and "社区活动×1" in history


def test_resident_cannot_order_at_another_streets_station(world, bank, client):
    give_points(world, bank.a1, bank.activity, 3)
    login(client, world.resident_a1)
    assert (
        client.post(
            f"/bank/me/shop/{bank.soap_b.pk}/order/", {"depositor": bank.a1.pk, "quantity": 1}
        ).status_code
        == 404
    )
    shop = client.get("/bank/me/shop/").content.decode()
    assert "翠湖社区积分驿站" in shop and "金碧社区积分驿站" not in shop
    assert Order.objects.count() == 0


def test_resident_cancels_on_the_phone(world, bank, client):
    give_points(world, bank.a1, bank.activity, 2)
    order = order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    login(client, world.resident_a1)
    client.post(f"/bank/me/orders/{order.pk}/cancel/", {"reason": ""})
    assert (Order.objects.get(pk=order.pk).state, balance(bank.a1)) == (
        OrderState.CANCELLED,
        Decimal("20.00"),
    )


def test_bulk_creator_sees_no_approval_and_cannot_approve(world, bank, client):
    bulk = bulk_credit_create(
        actor=world.community_admin_a,
        station=bank.station_a,
        item=bank.activity,
        occurred_on=timezone.localdate(),
        reason="清洁家园",
        lines=[(bank.a1, 1)],
    )
    login(client, world.community_admin_a)
    assert "审批通过并入账" not in client.get(f"/bank/bulk/{bulk.pk}/").content.decode()
    client.post(f"/bank/bulk/{bulk.pk}/approve/")
    assert (BulkCredit.objects.get(pk=bulk.pk).state, balance(bank.a1)) == (BulkState.PENDING, 0)
    login(client, world.street_admin)
    assert "审批通过并入账" in client.get(f"/bank/bulk/{bulk.pk}/").content.decode()
    client.post(f"/bank/bulk/{bulk.pk}/approve/", {"reason": "同意"})
    assert (BulkCredit.objects.get(pk=bulk.pk).state, balance(bank.a1)) == (
        BulkState.APPROVED,
        Decimal("10.00"),
    )


def test_bulk_form_reports_every_bad_line(world, bank, client):
    login(client, world.community_admin_a)
    response = client.post(
        "/bank/bulk/new/",
        {
            "station": bank.station_a.pk,
            "item": bank.activity.pk,
            "occurred_on": timezone.localdate().isoformat(),
            "reason": "社区清洁日",
            "lines": f"{bank.a1.short_code} 1\n{bank.b1.short_code} 1\nxx yy zz",
        },
    )
    assert "第3行格式不对：「xx yy zz」" in response.content.decode()
    response = client.post(
        "/bank/bulk/new/",
        {
            "station": bank.station_a.pk,
            "item": bank.activity.pk,
            "occurred_on": timezone.localdate().isoformat(),
            "reason": "社区清洁日",
            "lines": f"{bank.a1.short_code} 1\n{bank.b1.short_code} 1",
        },
    )
    assert f"第2行：储户码{bank.b1.short_code}不是复兴社区的储户" in response.content.decode()
    assert BulkCredit.objects.count() == 0


def test_overview_figures_and_excel_export_with_formula_protection(world, bank, client):
    tricky = earning_item_save(
        actor=world.community_admin_a,
        station=bank.station_a,
        name='=HYPERLINK("x")',
        category="other",
        points=Decimal("1"),
    )
    give_points(world, bank.a1, bank.activity, 3)
    give_points(world, bank.a2, tricky, 1)
    order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.rice, quantity=1)
    order_place(actor=world.resident_a1, depositor=bank.a1, item=bank.flowers_a2, quantity=1)
    login(client, world.community_admin_a)
    page = client.get(f"/bank/overview/?station={bank.station_a.pk}").content.decode()
    assert 'data-testid="earned-total">31<' in page
    period = f"since={timezone.localdate().replace(month=1, day=1)}&until={timezone.localdate()}"
    items = client.get(f"/bank/overview/export/?station={bank.station_a.pk}&{period}&table=items")
    sheet = load_workbook(io.BytesIO(b"".join(items.streaming_content)))["按项目记分"]
    # The overview's figures head the sheet: 张三, 单田芳, 李建国 and 张三's household are depositors.
    assert sheet["A1"].value.endswith(
        "储户4，记分4笔共31分，兑换1单共20分，外社区居民在本站兑换0分，本社区居民在外站兑换8分"
    )
    assert [c.value for c in sheet[3]] == ["社区活动", "社区活动", 3, 1, 30]
    tricky_cell = sheet["A4"]
    assert (tricky_cell.value, tricky_cell.data_type, tricky_cell.quotePrefix) == (
        '=HYPERLINK("x")',
        "s",
        True,
    )
    top = client.get(f"/bank/overview/export/?station={bank.station_a.pk}&table=top")
    sheet = load_workbook(io.BytesIO(b"".join(top.streaming_content)))["贡献榜"]
    assert [c.value for c in sheet[3]] == ["张三", "居民", "复兴一网格", 3, 30]
    assert client.get(f"/bank/overview/export/?station={bank.station_a.pk}&table=nope").status_code == 404
    assert AuditEntry.objects.filter(action="export", target_type="bank.station").count() == 2


def test_printable_cards_carry_a_qr_code_and_the_short_code(world, bank, client):
    login(client, world.grid_worker_a1)
    page = client.get(f"/bank/cards/{world.grid_a1.pk}/print/").content.decode()
    assert page.count("<svg") == 2  # 张三 and 李建国 of 复兴一网格
    assert bank.a1.short_code_display in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_phone_code_refreshes_and_expiry_notice_shows(world, bank, client, clock):
    clock.set(datetime.date(2025, 11, 10))
    give_points(world, bank.a1, bank.activity, 1)
    expiry_rule_save(
        actor=world.community_admin_a,
        station=bank.station_a,
        is_active=True,
        keep_months=12,
        expires_month=12,
        expires_day=31,
        notice_days=30,
    )
    clock.set(datetime.date(2026, 12, 5))
    login(client, world.resident_a1)
    page = client.get("/bank/me/").content.decode()
    assert (
        "您有<strong>10分</strong>积分（2025年12月31日及以前获得且尚未使用）将于<strong>2026年12月31日</strong>过期"
        in page
    )
    fragment = client.get("/bank/me/code/").content.decode()
    assert fragment.count("<svg") == 1 and bank.a1.short_code_display in fragment


def test_family_member_confirms_on_the_phone_and_it_reads_as_on_behalf(world, bank, client):
    from linli.accounts.services import role_grant, user_create
    from linli.bank.services import service_claim
    from linli.core.roles import Role
    from linli.people.services import person_create
    from linli.testing.world import PASSWORD

    wife = person_create(
        actor=world.district_admin, node=world.grid_a1, name="李梅", household=world.household_a1
    )
    user = user_create(
        actor=None,
        username="wife",
        password=PASSWORD,
        person=wife,
        must_change_password=False,
        check_actor=False,
    )
    role_grant(actor=None, user=user, role=Role.RESIDENT, node=None, check_actor=False)
    record = service_claim(
        actor=world.grid_worker_a2,
        provider=bank.a2,
        recipient=bank.a1,
        what="陪同就医",
        served_on=timezone.localdate(),
        hours="2",
    )
    login(client, user)
    page = client.get("/bank/me/timebank/").content.decode()
    assert "确认（代家人）" in page
    response = client.post(f"/bank/timebank/{record.pk}/confirm/", {"next": "me"}, follow=True)
    assert "已确认，单田芳获得2小时（代为确认，已记录）" in response.content.decode()
    record.refresh_from_db()
    assert (record.confirmed_as, record.confirmed_by_name) == ("family", "wife")


def test_earning_list_exports_what_the_filters_show(world, bank, client):
    give_points(world, bank.a1, bank.activity, 2)
    give_points(world, bank.a2, bank.activity, 1)
    login(client, world.grid_worker_a1)  # 复兴一网格: 张三, not 单田芳
    response = client.get("/bank/earnings/export/?item=社区活动")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[1:7] for r in rows] == [["张三", "居民", "复兴社区积分驿站", "社区活动", 1, 10]] * 2
    entry = AuditEntry.objects.get(action="export", target_type="bank.earning")
    assert (entry.changes, entry.note) == ({"rows": [None, 2]}, "项目=社区活动")
