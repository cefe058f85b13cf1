"""Exemption (PTS-4): the member or the community applies, the community recommends, the street approves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.statemachine import TransitionError
from linli.points import services
from linli.points.choices import ExemptionStatus, Stage
from linli.points.models import Exemption, NoticeLine
from linli.points.rules import StageClosed
from linli.points.services.exemptions import EXEMPTION_MACHINE

from .builders import advance, open_year, submit


def apply(pw, actor=None, member=None, **kwargs):
    return services.exemption_apply(
        actor=actor or pw.member_user_a,
        member=member or pw.member_a,
        year=pw.year,
        reason_kind=kwargs.pop("reason_kind", "illness"),
        reason=kwargs.pop("reason", "脑梗后长期卧床"),
        **kwargs,
    )


def decide(pw, exemption, name, actor, note=""):
    return services.exemption_decide(actor=actor, exemption=exemption, name=name, note=note)


def test_the_member_applies_the_community_recommends_the_street_approves(pw):
    exemption = apply(pw)
    decide(pw, exemption, "recommend", pw.community_admin_a, "情况属实")
    decide(pw, exemption, "approve", pw.street_admin)
    exemption.refresh_from_db()
    assert (exemption.status, exemption.applied_on_behalf) == (ExemptionStatus.APPROVED, False)
    assert [r.transition for r in EXEMPTION_MACHINE.history(exemption)] == ["create", "recommend", "approve"]


def test_the_community_applies_on_behalf_after_asking_the_member(pw):
    with pytest.raises(ValidationError, match="代为申请须记录征求本人意愿"):
        apply(pw, actor=pw.community_admin_a)
    exemption = apply(pw, actor=pw.community_admin_a, member_wish="2月3日入户征求本人意见，本人同意")
    assert (exemption.applied_on_behalf, exemption.applied_by_name) == (True, "community_admin_a")


def test_nobody_else_may_apply(pw):
    for actor in (pw.member_user_b, pw.community_admin_b, pw.street_admin):
        with pytest.raises(PermissionDenied):
            apply(pw, actor=actor, member_wish="x")
    assert Exemption.objects.count() == 0


def test_each_decision_belongs_to_its_role(pw):
    exemption = apply(pw)
    with pytest.raises(PermissionDenied):
        decide(pw, exemption, "recommend", pw.street_admin)
    with pytest.raises(TransitionError, match="当前状态为「已申请」，不能执行「党委审核同意」"):
        decide(pw, exemption, "approve", pw.street_admin)
    decide(pw, exemption, "recommend", pw.community_admin_a)
    with pytest.raises(PermissionDenied):
        decide(pw, exemption, "approve", pw.community_admin_a)
    with pytest.raises(PermissionDenied):
        decide(pw, exemption, "approve", pw.users["street_admin_b"])
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.RECOMMENDED


def test_rejection_needs_a_reason(pw):
    exemption = apply(pw)
    with pytest.raises(TransitionError, match="必须填写原因"):
        decide(pw, exemption, "decline", pw.community_admin_a)
    decide(pw, exemption, "decline", pw.community_admin_a, "本人仍能参加活动")
    exemption.refresh_from_db()
    assert (exemption.status, exemption.decision_note) == (ExemptionStatus.REJECTED, "本人仍能参加活动")


def test_the_member_may_withdraw_their_own_application(pw):
    exemption = apply(pw)
    decide(pw, exemption, "withdraw", pw.member_user_a)
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.WITHDRAWN
    assert apply(pw).status == ExemptionStatus.APPLIED


def test_one_open_application_per_member_and_year(pw):
    apply(pw)
    with pytest.raises(ValidationError, match="已有免于参加积分的申请"):
        apply(pw)


def test_exempt_member_cannot_self_report_and_is_marked_on_the_notice(pw):
    open_year(pw)
    exemption = apply(pw)
    decide(pw, exemption, "recommend", pw.community_admin_a)
    decide(pw, exemption, "approve", pw.street_admin)
    with pytest.raises(ValidationError, match="已免于参加"):
        submit(pw)
    advance(pw, Stage.PUBLICITY)
    assert NoticeLine.objects.get(member=pw.member_a).is_exempt is True


def test_exemptions_are_settled_before_the_assembly(pw):
    open_year(pw)
    apply(pw)
    pw_year = advance(pw, Stage.PRELIMINARY_REVIEW)
    with pytest.raises(ValidationError, match="还有1项免于参加积分的申请未审结"):
        services.branch_year_step(
            actor=pw.community_admin_a, branch_year=pw_year, name="finish_preliminary_review"
        )
    Exemption.objects.update(status=ExemptionStatus.WITHDRAWN)
    advance(pw, Stage.ASSEMBLY)
    with pytest.raises(StageClosed, match="不能申请免于参加积分"):
        apply(pw, member=pw.members[1], actor=pw.community_admin_a, member_wish="同意")


def test_the_street_may_revoke_an_approved_exemption_with_a_reason(pw):
    exemption = apply(pw)
    decide(pw, exemption, "recommend", pw.community_admin_a)
    decide(pw, exemption, "approve", pw.street_admin)
    with pytest.raises(TransitionError, match="必须填写原因"):
        decide(pw, exemption, "revoke", pw.street_admin)
    decide(pw, exemption, "revoke", pw.street_admin, "本人身体康复，可参加活动")
    exemption.refresh_from_db()
    assert (exemption.status, exemption.decision_note) == (
        ExemptionStatus.WITHDRAWN,
        "本人身体康复，可参加活动",
    )
