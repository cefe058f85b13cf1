"""积分核查 (step 11): nothing changed behind the process's back, or the exact account and entry are named."""

import pytest
from django.db import connection

from linli.ledger.models import Entry
from linli.ledger.services import ledger_post
from linli.points import services
from linli.points.choices import Stage
from linli.points.models import NoticeLine, PublicNotice
from linli.points.selectors.integrity import branch_year_integrity
from linli.points.services.year import YEAR_MACHINE

from .builders import advance, day, open_year, submit


@pytest.fixture
def year_at_verification(pw):
    open_year(pw)
    services.claim_approve(actor=pw.community_admin_a, claim=submit(pw))
    services.claim_record(
        actor=pw.community_admin_a,
        member=pw.member_a,
        item=pw.items["help"],
        occurred_on=day(4, 1),
        description="帮扶",
        points=3,
    )
    advance(pw, Stage.PUBLICITY)
    objection = services.objection_record(
        actor=pw.community_admin_a,
        notice=PublicNotice.objects.get(),
        member=pw.members[1],
        received_on=day(12, 3),
        content="漏记一次帮扶",
    )
    services.objection_resolve(
        actor=pw.community_admin_a,
        objection=objection,
        upheld=True,
        resolution="属实，补记1分",
        correction_points=1,
    )
    return advance(pw, Stage.VERIFICATION)


def test_a_year_run_through_the_process_verifies_clean(pw, year_at_verification):
    report = branch_year_integrity(year_at_verification)
    assert (report.is_clean, report.accounts, report.entries) == (True, 4, 3)
    services.branch_year_verify(actor=pw.street_admin, branch_year=year_at_verification)
    record = YEAR_MACHINE.history(year_at_verification).last()
    assert (pw.branch_year.stage, record.transition, record.note) == (
        Stage.DONE,
        "verify",
        "核查4个账户、3笔分录，发现0处问题。",
    )


def test_an_entry_altered_by_raw_sql_is_named_and_the_failure_recorded(pw, year_at_verification):
    first = Entry.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET amount = 20 WHERE id = %s", [first.pk])
    services.branch_year_verify(actor=pw.street_admin, branch_year=year_at_verification)
    record = YEAR_MACHINE.history(year_at_verification).last()
    problems = record.data["problems"]
    assert (pw.branch_year.stage, record.transition, record.data["clean"]) == (
        Stage.VERIFICATION,
        "verify_failed",
        False,
    )
    assert {(p["account"], p["entry"]) for p in problems if p["entry"]} == {(first.account_id, first.pk)}
    assert f"账户#{first.account_id} 分录#{first.pk}：内容哈希不符：该分录在账本之外被修改" in [
        p["text"] for p in problems
    ]


def test_an_entry_posted_after_the_notice_outside_the_process_is_named(pw, year_at_verification):
    line = NoticeLine.objects.get(member=pw.member_a)
    stray = ledger_post(account=line.account, amount=10, kind="credit", actor=None, memo="绕过流程")
    report = branch_year_integrity(year_at_verification)
    texts = [str(p) for p in report.problems]
    assert texts == [
        f"账户#{line.account_id} 分录#{stray.pk}：公示后记账（序号3，+10.00），但没有对应的异议处理记录。",
        f"账户#{line.account_id}：李建国的账户余额15.00不等于公示积分5.00加异议更正0（应为5.00）。",
    ]


def test_a_balance_raised_by_raw_sql_is_named(pw, year_at_verification):
    line = NoticeLine.objects.get(member=pw.member_a)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_account SET balance = 99 WHERE id = %s", [line.account_id])
    texts = [str(p) for p in branch_year_integrity(year_at_verification).problems]
    assert f"账户#{line.account_id}：账户余额99.00不等于分录合计5.00" in texts


def test_a_notice_line_altered_by_raw_sql_breaks_its_digest(pw, year_at_verification):
    line = NoticeLine.objects.get(member=pw.member_a)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE points_noticeline SET total = 50 WHERE id = %s", [line.pk])
    texts = [str(p) for p in branch_year_integrity(year_at_verification).problems]
    assert texts == [
        "公示名单与发布时的摘要不符：公示记录在流程之外被修改。",
        f"账户#{line.account_id}：李建国的账户余额5.00不等于公示积分50.00加异议更正0（应为50.00）。",
        f"账户#{line.account_id}：李建国的登记积分5.00与公示积分加异议更正（50.00）不符。",
    ]
