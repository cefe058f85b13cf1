"""`linli bootstrap` creates the district root and the first system administrator, once."""

import io

import pytest
from django.core.management import CommandError, call_command

from linli.accounts.models import User
from linli.orgs.models import OrgNode


def test_bootstrap_creates_the_district_and_a_sysadmin_who_must_change_the_password(db, monkeypatch):
    monkeypatch.setenv("LINLI_BOOTSTRAP_PASSWORD", "Install@2026x")
    out = io.StringIO()
    call_command("bootstrap", district="五华区", code="530102", sysadmin="admin", stdout=out)
    district = OrgNode.objects.get(parent=None)
    assert (district.name, district.kind, district.code, district.path) == (
        "五华区",
        "district",
        "530102",
        f"/{district.pk}/",
    )
    admin = User.objects.get(username="admin")
    assert admin.check_password("Install@2026x") and admin.must_change_password
    assert list(admin.grants.values_list("role", "node")) == [("sysadmin", None)]
    assert "已建立「五华区」和系统管理员账号「admin」" in out.getvalue()


def test_bootstrap_refuses_a_weak_password_and_creates_nothing(db, monkeypatch):
    monkeypatch.setenv("LINLI_BOOTSTRAP_PASSWORD", "12345678")
    with pytest.raises(CommandError):
        call_command("bootstrap", district="五华区", sysadmin="admin", stdout=io.StringIO())
    assert (OrgNode.objects.count(), User.objects.count()) == (0, 0)


def test_bootstrap_runs_only_once(world, monkeypatch):
    monkeypatch.setenv("LINLI_BOOTSTRAP_PASSWORD", "Install@2026x")
    with pytest.raises(CommandError, match="已经初始化过"):
        call_command("bootstrap", district="西山区", sysadmin="admin2", stdout=io.StringIO())
    assert not User.objects.filter(username="admin2").exists()
