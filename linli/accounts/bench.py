"""Bench cases for the account pages: the login page, a user's own password form, the administrators' pages."""

from linli.bench.cases import BenchRequest, bench_case, bench_skip

bench_skip("accounts:logout", "accounts:grant_revoke", "accounts:unlock", reason="只接受 POST 的操作")


@bench_case("accounts:login", kind="form")
def login(data):
    return BenchRequest(None, "/accounts/login/", "登录页（未登录）")


@bench_case("accounts:password_change", kind="form")
def password_change(data):
    return BenchRequest(data.user("jumin_demo"), "/accounts/password/", "修改密码（居民）")


@bench_case("accounts:user_list", kind="list")
def user_list(data):
    return BenchRequest(data.user("sysadmin"), "/accounts/users/", "用户列表（系统管理员）")


@bench_case("accounts:user_create", kind="form")
def user_create(data):
    return BenchRequest(data.user("sysadmin"), "/accounts/users/new/", "新建用户（系统管理员）")


@bench_case("accounts:user_detail", kind="detail")
def user_detail(data):
    target = data.user("shequ_fuxing")
    return BenchRequest(
        data.user("sysadmin"), f"/accounts/users/{target.pk}/", "用户详情与授权（系统管理员）"
    )


@bench_case("accounts:security", kind="list")
def security(data):
    return BenchRequest(data.user("secadmin"), "/accounts/security/", "登录安全（安全管理员）")
