"""Scope cases for the accounts pages: only the system administrator manages accounts (三员分立)."""

from linli.accounts.models import RoleGrant, User
from linli.testing.scope import ScopeCase, scope_case


def _grants(world):
    return sorted(RoleGrant.objects.filter(is_active=True).values_list("pk", flat=True))


@scope_case("accounts:user_list")
def user_list(world):
    return ScopeCase(
        "/accounts/users/",
        may=["sysadmin"],
        lesser=["secadmin", "auditor"],
        outsiders=["district_admin", "member_user_a"],
        outsider_status=(403,),
    )


@scope_case("accounts:user_create")
def user_create(world):
    data = {"username": "new_worker", "display_name": "新同事", "password": "Xinmima-2026"}
    return ScopeCase(
        "/accounts/users/new/",
        method="post",
        data=data,
        may=["sysadmin"],
        lesser=["secadmin", "auditor"],
        outsiders=["district_admin"],
        outsider_status=(403,),
        state=lambda w: User.objects.count(),
    )


@scope_case("accounts:user_detail")
def user_detail(world):
    return ScopeCase(
        f"/accounts/users/{world.grid_worker_a1.pk}/",
        may=["sysadmin"],
        lesser=["secadmin", "auditor"],
        outsiders=["community_admin_a"],
        outsider_status=(403,),
    )


@scope_case("accounts:grant_revoke")
def grant_revoke(world):
    grant = RoleGrant.objects.get(user=world.grid_worker_a1, is_active=True)
    return ScopeCase(
        f"/accounts/grants/{grant.pk}/revoke/",
        method="post",
        may=["sysadmin"],
        lesser=["secadmin", "auditor"],
        outsiders=["community_admin_a"],
        outsider_status=(403,),
        state=_grants,
    )


@scope_case("accounts:security")
def security(world):
    return ScopeCase(
        "/accounts/security/",
        may=["secadmin"],
        lesser=["sysadmin", "auditor"],
        outsiders=["district_admin"],
        outsider_status=(403,),
    )


@scope_case("accounts:unlock")
def unlock(world):
    return ScopeCase(
        f"/accounts/security/{world.grid_worker_a1.pk}/unlock/",
        method="post",
        may=["secadmin"],
        lesser=["sysadmin", "auditor"],
        outsiders=["district_admin"],
        outsider_status=(403,),
    )
