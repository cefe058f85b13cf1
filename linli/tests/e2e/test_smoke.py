"""Smoke test in Chromium on the demo database: every demo login signs in, lockout works, the auditor's room."""

import json

import pytest

from linli.accounts.seeding import DEMO_USERNAMES
from linli.core.demo import DEMO_PASSWORD

from .conftest import login

ROLE_LABELS = {
    "quwei_admin": "区管理员·五华区",
    "jiedao_huashan": "街道管理员·华山街道",
    "shequ_fuxing": "社区管理员/书记·复兴社区",
    "wangge_fuxing1": "网格员·复兴社区第一网格",
    "dangyuan_demo": "党员",
    "jumin_demo": "居民",
    "danwei_demo": "驻区单位联系人·",
    "sysadmin": "系统管理员",
    "secadmin": "安全管理员",
    "auditor": "审计管理员",
}


def test_the_demo_database_holds_exactly_the_documented_logins(server):
    usernames = server.shell(
        "import json; from linli.accounts.models import User; "
        "print(json.dumps(sorted(User.objects.values_list('username', flat=True))))"
    )
    assert json.loads(usernames) == sorted(DEMO_USERNAMES)


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_demo_login_signs_in_to_its_home_page(page, server, username):
    login(page, username, DEMO_PASSWORD)
    assert page.url == f"{server.url}/"
    assert page.title() == "首页 · 邻里"
    assert ROLE_LABELS[username] in page.locator("nav.navbar").inner_text()
    assert page.get_by_role("button", name="退出").is_visible()


def test_a_wrong_password_is_refused_in_chinese_and_the_fifth_failure_locks_the_account(page, server):
    server.shell(
        "from linli.accounts.services import user_create; "
        "user_create(actor=None, username='lock_probe', password='Probe@2026x', "
        "must_change_password=False, check_actor=False)"
    )
    for _ in range(4):
        login(page, "lock_probe", "wrong-password-1")
        assert page.get_by_text("用户名或密码不正确。").is_visible()
    login(page, "lock_probe", "wrong-password-1")
    assert page.get_by_text("连续登录失败次数过多，账号已锁定，请稍后再试或联系安全管理员。").is_visible()
    login(page, "lock_probe", "Probe@2026x")  # the right password no longer opens a locked account
    assert page.get_by_text("账号已锁定，请于").is_visible()
    assert page.url.endswith("/accounts/login/")
    locked = server.shell(
        "from linli.accounts.models import User; print(User.objects.get(username='lock_probe').is_locked)"
    )
    assert locked == "True"


def test_the_audit_administrator_sees_the_audit_log_and_nothing_else(page, server):
    login(page, "auditor", DEMO_PASSWORD)
    menu = page.locator("#linli-sidebar nav a.nav-link")
    assert [text.strip() for text in menu.all_inner_texts()] == ["首页", "审计日志"]
    page.locator("#linli-sidebar").get_by_role("link", name="审计日志").click()
    assert page.locator("h1").inner_text() == "审计日志"
    assert page.locator("table tbody tr").count() == 50  # a full first page of entries
    for url in ("/accounts/users/", "/accounts/security/"):
        response = page.goto(url)
        assert response.status == 403
