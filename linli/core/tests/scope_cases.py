"""Scope cases for the core pages: the audit log is for the audit administrator only."""

from linli.testing.scope import ScopeCase, scope_case


@scope_case("core:audit_list")
def audit_list(world):
    return ScopeCase(
        "/core/audit/",
        may=["auditor"],
        lesser=["sysadmin", "secadmin"],
        outsiders=["district_admin", "member_user_a"],
        outsider_status=(403,),
    )
