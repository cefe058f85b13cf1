"""Scope cases for every points page and API endpoint: who may, who may not (403), who cannot see it (404).

Each builder runs on a fresh world and sets up this year's schemes and whatever its page needs.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from linli.core.models import TransitionRecord
from linli.ledger.models import Entry
from linli.points import services
from linli.points.models import (
    BranchYear,
    Claim,
    Evidence,
    Exemption,
    Objection,
    PublicNotice,
    Scheme,
    SchemeItem,
    Violation,
)
from linli.testing.scope import ScopeCase, scope_case

from .builders import ITEMS, evidence, publish_schemes


def _setup(world, *, claim: bool = True) -> dict[str, Any]:
    today = timezone.localdate()
    _schemes, items = publish_schemes(world, today.year)
    ctx: dict[str, Any] = {"today": today, "items": items}
    ctx["by_a"] = services.branch_year_open(
        actor=world.community_admin_a, branch=world.branch_a, year=today.year
    )
    if claim:
        ctx["claim"] = services.claim_submit(
            actor=world.member_user_a,
            member=world.member_a,
            item=items["essay"],
            occurred_on=today,
            description="学习心得",
            files=[evidence()],
        )
    return ctx


def _approved(world) -> Claim:
    ctx = _setup(world)
    return services.claim_approve(actor=world.community_admin_a, claim=ctx["claim"])


def _notice_b(world) -> PublicNotice:
    """Branch b (金碧社区) in 公示 this year."""
    today = timezone.localdate()
    publish_schemes(world, today.year)
    admin = world.community_admin_b
    branch_year = services.branch_year_open(actor=admin, branch=world.branch_b, year=today.year)
    for name in ("close_self_assessment", "finish_preliminary_review"):
        services.branch_year_step(actor=admin, branch_year=branch_year, name=name)
    services.branch_year_step(
        actor=admin,
        branch_year=branch_year,
        name="confirm_assembly",
        meeting_date=today,
        expected=1,
        attended=1,
        publicity_start=today,
    )
    return PublicNotice.objects.get(branch_year=branch_year)


def _claims(world):
    return sorted(Claim.objects.values_list("pk", "status")), Entry.objects.count()


def _stage(world):
    return list(BranchYear.objects.order_by("pk").values_list("pk", "stage"))


# ---------------------------------------------------------------- member pages


@scope_case("points:my_points")
def my_points(world):
    _setup(world)
    return ScopeCase(
        "/points/me/", may=["member_user_a", "member_user_b"], lesser=["community_admin_a", "sysadmin"]
    )


@scope_case("points:claim_create")
def claim_create(world):
    ctx = _setup(world, claim=False)
    return [
        ScopeCase("/points/me/report/", may=["member_user_a"], lesser=["community_admin_a", "street_admin"]),
        ScopeCase(
            "/points/me/report/",
            method="post",
            data={
                "item": ctx["items"]["help"].pk,
                "occurred_on": ctx["today"].isoformat(),
                "description": "帮扶困难户",
                "points": "3",
                "quantity": "1",
            },
            may=["member_user_a"],
            lesser=["community_admin_a", "district_admin"],
            state=_claims,
        ),
    ]


@scope_case("points:claim_detail")
def claim_detail(world):
    claim = _setup(world)["claim"]
    return ScopeCase(
        f"/points/claims/{claim.pk}/",
        may=["member_user_a", "community_admin_a", "street_admin", "district_admin"],
        lesser=["sysadmin", "auditor"],
        outsiders=["member_user_b", "community_admin_b", "community_admin_a2"],
    )


@scope_case("points:claim_withdraw")
def claim_withdraw(world):
    claim = _setup(world)["claim"]
    return ScopeCase(
        f"/points/claims/{claim.pk}/withdraw/",
        method="post",
        may=["member_user_a"],
        lesser=["community_admin_a"],
        outsiders=["member_user_b"],
        state=_claims,
    )


@scope_case("points:claim_review")
def claim_review(world):
    claim = _setup(world)["claim"]
    return ScopeCase(
        f"/points/claims/{claim.pk}/review/",
        method="post",
        data={"action": "approve"},
        may=["community_admin_a"],
        lesser=["street_admin", "member_user_a"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_claims,
    )


@scope_case("points:claim_correct")
def claim_correct(world):
    claim = _approved(world)
    return ScopeCase(
        f"/points/claims/{claim.pk}/correct/",
        method="post",
        data={"points": "0", "reason": "重复申报"},
        may=["community_admin_a"],
        lesser=["street_admin", "member_user_a"],
        outsiders=["community_admin_b"],
        state=_claims,
    )


@scope_case("points:evidence_file")
def evidence_file(world):
    _setup(world)
    file = Evidence.objects.get()
    return ScopeCase(
        f"/points/evidence/{file.pk}/",
        may=["member_user_a", "community_admin_a", "street_admin"],
        lesser=["sysadmin"],
        outsiders=["member_user_b", "community_admin_b", "community_admin_a2"],
    )


# ---------------------------------------------------------------- review


@scope_case("points:review_queue")
def review_queue(world):
    _setup(world)
    return ScopeCase(
        "/points/review/",
        may=["community_admin_a", "community_admin_b"],
        lesser=["street_admin", "member_user_a"],
    )


@scope_case("points:review_bulk")
def review_bulk(world):
    claim = _setup(world)["claim"]
    return ScopeCase(
        "/points/review/bulk/",
        method="post",
        data={"claims": [claim.pk], "action": "approve"},
        may=["community_admin_a"],
        lesser=["street_admin", "member_user_a"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_claims,
    )


# ---------------------------------------------------------------- the branch's year


@scope_case("points:year_list")
def year_list(world):
    _setup(world, claim=False)
    return ScopeCase(
        "/points/years/",
        may=["community_admin_a", "street_admin", "district_admin", "community_admin_b"],
        lesser=["member_user_a", "grid_worker_a1", "sysadmin"],
    )


@scope_case("points:year_open")
def year_open(world):
    publish_schemes(world, timezone.localdate().year)
    return ScopeCase(
        "/points/years/open/",
        method="post",
        data={"branch": world.branch_b.pk, "year": timezone.localdate().year},
        may=["community_admin_b"],
        lesser=["street_admin", "member_user_b"],
        outsiders=["community_admin_a"],
        state=_stage,
    )


@scope_case("points:year_detail")
def year_detail(world):
    branch_year = _setup(world)["by_a"]
    return ScopeCase(
        f"/points/years/{branch_year.pk}/",
        may=["community_admin_a", "street_admin", "district_admin"],
        lesser=["member_user_a", "sysadmin"],
        outsiders=["community_admin_b", "community_admin_a2"],
    )


@scope_case("points:year_step")
def year_step(world):
    branch_year = _setup(world, claim=False)["by_a"]
    return ScopeCase(
        f"/points/years/{branch_year.pk}/step/close_self_assessment/",
        method="post",
        data={"note": "自评结束"},
        may=["community_admin_a"],
        lesser=["street_admin", "member_user_a"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=lambda w: (_stage(w), TransitionRecord.objects.count()),
    )


@scope_case("points:year_export")
def year_export(world):
    branch_year = _setup(world)["by_a"]
    return ScopeCase(
        f"/points/years/{branch_year.pk}/export/",
        may=["community_admin_a", "street_admin"],
        lesser=["member_user_a", "grid_worker_a1"],
        outsiders=["community_admin_b"],
    )


@scope_case("points:record_create")
def record_create(world):
    ctx = _setup(world, claim=False)
    url = f"/points/years/{ctx['by_a'].pk}/record/"
    return [
        ScopeCase(
            url,
            may=["community_admin_a"],
            lesser=["street_admin", "member_user_a"],
            outsiders=["community_admin_b"],
        ),
        ScopeCase(
            url,
            method="post",
            data={
                "member": world.member_a.pk,
                "item": ctx["items"]["absence"].pk,
                "occurred_on": ctx["today"].isoformat(),
                "description": "无故缺席支部党员大会",
                "quantity": "1",
            },
            may=["community_admin_a"],
            lesser=["street_admin", "member_user_a"],
            outsiders=["community_admin_b"],
            state=_claims,
        ),
    ]


@scope_case("points:violation_create")
def violation_create(world):
    ctx = _setup(world, claim=False)
    return ScopeCase(
        f"/points/years/{ctx['by_a'].pk}/violations/",
        method="post",
        data={
            "member": world.member_a.pk,
            "kind": "discipline",
            "occurred_on": ctx["today"].isoformat(),
            "description": "违反工作纪律",
        },
        may=["community_admin_a"],
        lesser=["street_admin", "member_user_a"],
        outsiders=["community_admin_b"],
        state=lambda w: Violation.objects.count(),
    )


@scope_case("points:violation_revoke")
def violation_revoke(world):
    _setup(world, claim=False)
    violation = services.violation_record(
        actor=world.community_admin_a,
        member=world.member_a,
        kind="rule",
        occurred_on=timezone.localdate(),
        description="误录",
    )
    return ScopeCase(
        f"/points/violations/{violation.pk}/revoke/",
        method="post",
        data={"reason": "登记错误"},
        may=["community_admin_a"],
        lesser=["street_admin", "member_user_a"],
        outsiders=["community_admin_b"],
        state=lambda w: list(Violation.objects.values_list("revoked_at", flat=True)),
    )


# ---------------------------------------------------------------- 公示


@scope_case("points:notice_detail")
def notice_detail(world):
    notice = _notice_b(world)
    return ScopeCase(
        f"/points/notices/{notice.pk}/",
        may=["community_admin_b", "member_user_b", "district_admin"],
        lesser=["sysadmin", "auditor"],
        outsiders=["community_admin_a", "member_user_a", "street_admin"],
    )


@scope_case("points:objection_create")
def objection_create(world):
    notice = _notice_b(world)
    return ScopeCase(
        f"/points/notices/{notice.pk}/objections/",
        method="post",
        data={
            "received_on": timezone.localdate().isoformat(),
            "content": "积分偏高",
            "member": world.member_b.pk,
        },
        may=["community_admin_b"],
        lesser=["member_user_b", "district_admin"],
        outsiders=["community_admin_a"],
        state=lambda w: Objection.objects.count(),
    )


@scope_case("points:objection_resolve")
def objection_resolve(world):
    notice = _notice_b(world)
    objection = services.objection_record(
        actor=world.community_admin_b,
        notice=notice,
        received_on=timezone.localdate(),
        content="漏记",
        member=world.member_b,
    )
    return ScopeCase(
        f"/points/objections/{objection.pk}/resolve/",
        method="post",
        data={"upheld": "1", "resolution": "属实，补记1分", "correction_points": "1"},
        may=["community_admin_b"],
        lesser=["member_user_b", "district_admin"],
        outsiders=["community_admin_a"],
        state=lambda w: (list(Objection.objects.values_list("status", flat=True)), Entry.objects.count()),
    )


# ---------------------------------------------------------------- street


@scope_case("points:filed")
def filed(world):
    return ScopeCase(
        "/points/filed/",
        may=["street_admin", "district_admin"],
        lesser=["community_admin_a", "member_user_a"],
    )


@scope_case("points:filed_export")
def filed_export(world):
    return ScopeCase(
        "/points/filed/export/",
        may=["street_admin", "district_admin"],
        lesser=["community_admin_a", "member_user_a"],
    )


# ---------------------------------------------------------------- exemptions


@scope_case("points:exemption_list")
def exemption_list(world):
    return ScopeCase(
        "/points/exemptions/",
        may=["community_admin_a", "street_admin"],
        lesser=["member_user_a", "grid_worker_a1"],
    )


@scope_case("points:exemption_create")
def exemption_create(world):
    return ScopeCase(
        "/points/exemptions/new/",
        may=["member_user_a", "community_admin_a"],
        lesser=["street_admin", "grid_worker_a1"],
    )


@scope_case("points:exemption_decide")
def exemption_decide(world):
    _setup(world, claim=False)
    exemption = services.exemption_apply(
        actor=world.member_user_a,
        member=world.member_a,
        year=timezone.localdate().year,
        reason_kind="illness",
        reason="长期住院",
    )
    return ScopeCase(
        f"/points/exemptions/{exemption.pk}/recommend/",
        method="post",
        data={"note": "情况属实"},
        may=["community_admin_a"],
        lesser=["street_admin", "member_user_a"],
        outsiders=["community_admin_b", "member_user_b"],
        state=lambda w: list(Exemption.objects.values_list("status", flat=True)),
    )


# ---------------------------------------------------------------- schemes


def _draft(world) -> Scheme:
    scheme = services.scheme_create(
        actor=world.district_admin,
        district=world.district,
        year=timezone.localdate().year + 1,
        member_class="community",
        title="明年社区党员积分细则",
    )
    services.scheme_item_save(actor=world.district_admin, scheme=scheme, **ITEMS["essay"])
    return scheme


def _schemes(world):
    return sorted(Scheme.objects.values_list("pk", "status")), SchemeItem.objects.count()


@scope_case("points:scheme_list")
def scheme_list(world):
    _draft(world)
    return ScopeCase(
        "/points/schemes/",
        may=["district_admin", "community_admin_a", "street_admin"],
        lesser=["member_user_a", "sysadmin"],
    )


@scope_case("points:scheme_create")
def scheme_create(world):
    return ScopeCase(
        "/points/schemes/new/", may=["district_admin"], lesser=["street_admin", "community_admin_a"]
    )


@scope_case("points:scheme_copy_forward")
def scheme_copy_forward(world):
    year = timezone.localdate().year
    publish_schemes(world, year)
    return ScopeCase(
        "/points/schemes/copy-forward/",
        method="post",
        data={"from_year": year, "to_year": year + 1},
        may=["district_admin"],
        lesser=["street_admin", "community_admin_a"],
        state=_schemes,
    )


@scope_case("points:scheme_detail")
def scheme_detail(world):
    scheme = _draft(world)
    return ScopeCase(
        f"/points/schemes/{scheme.pk}/",
        may=["district_admin", "community_admin_b"],
        lesser=["member_user_a", "sysadmin"],
    )


@scope_case("points:scheme_edit")
def scheme_edit(world):
    scheme = _draft(world)
    return ScopeCase(
        f"/points/schemes/{scheme.pk}/edit/",
        may=["district_admin"],
        lesser=["street_admin", "community_admin_a"],
    )


@scope_case("points:scheme_publish")
def scheme_publish(world):
    scheme = _draft(world)
    return ScopeCase(
        f"/points/schemes/{scheme.pk}/publish/",
        method="post",
        may=["district_admin"],
        lesser=["street_admin", "community_admin_a"],
        state=_schemes,
    )


@scope_case("points:scheme_new_version")
def scheme_new_version(world):
    scheme = _draft(world)
    services.scheme_publish(actor=world.district_admin, scheme=scheme)
    return ScopeCase(
        f"/points/schemes/{scheme.pk}/new-version/",
        method="post",
        may=["district_admin"],
        lesser=["street_admin", "community_admin_a"],
        state=_schemes,
    )


@scope_case("points:item_create")
def item_create(world):
    scheme = _draft(world)
    return ScopeCase(
        f"/points/schemes/{scheme.pk}/items/new/",
        may=["district_admin"],
        lesser=["street_admin", "community_admin_a"],
    )


@scope_case("points:item_edit")
def item_edit(world):
    item = _draft(world).items.get()
    return ScopeCase(
        f"/points/items/{item.pk}/edit/", may=["district_admin"], lesser=["street_admin", "community_admin_a"]
    )


@scope_case("points:item_delete")
def item_delete(world):
    item = _draft(world).items.get()
    return ScopeCase(
        f"/points/items/{item.pk}/delete/",
        method="post",
        may=["district_admin"],
        lesser=["street_admin", "community_admin_a"],
        state=_schemes,
    )


# ---------------------------------------------------------------- API


@scope_case("points_api:me")
def api_me(world):
    _setup(world)
    return ScopeCase("/api/v1/points/me/", may=["member_user_a"], lesser=["community_admin_a", "sysadmin"])


@scope_case("points_api:review_queue")
def api_review_queue(world):
    _setup(world)
    return ScopeCase(
        "/api/v1/points/review/", may=["community_admin_a"], lesser=["street_admin", "member_user_a"]
    )


@scope_case("points_api:year_summary")
def api_year_summary(world):
    branch_year = _setup(world)["by_a"]
    return ScopeCase(
        f"/api/v1/points/years/{branch_year.pk}/",
        may=["community_admin_a", "street_admin"],
        lesser=["member_user_a"],
        outsiders=["community_admin_b", "community_admin_a2"],
    )
