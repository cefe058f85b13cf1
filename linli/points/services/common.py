"""Helpers shared by the points services: the member's year account, the branch year, locks, caps."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from linli.core import clock
from linli.core.models import TransitionRecord
from linli.core.scope import scope_for
from linli.core.shortcuts import require_perm_at
from linli.core.workdays import add_working_days, is_working_day
from linli.ledger.models import Account, Currency
from linli.ledger.services import account_open
from linli.orgs.models import PartyOrg
from linli.people.models import Member

from ..choices import COUNTED_STATUSES, CapPeriod, ExemptionStatus, SchemeStatus
from ..models import BranchYear, Claim, Exemption, Scheme, SchemeItem
from ..util import MEMBER_POINTS

CENT = Decimal("0.01")


def member_points_currency() -> Currency:
    return Currency.objects.get(code=MEMBER_POINTS)


def member_account(member: Member, year: int, currency: Currency | None = None) -> Account:
    """The member's points account for the year, opened on first use and scoped to the member's branch."""
    return account_open(
        currency=currency or member_points_currency(),
        owner=member,
        year=year,
        scope_path=member.branch.node.path,
        label=f"{member.person.name} {year}年党员积分",
        holder_person_id=member.person_id,
    )


def lock_account(account: Account) -> Account:
    """Serialise every posting on one member's year: caps are checked and points posted under this lock."""
    return Account.objects.select_for_update().get(pk=account.pk)


def branch_year_get(branch: PartyOrg, year: int) -> BranchYear:
    """The branch's year, created at step 1 (制定积分细则) the first time anything needs it."""
    branch_year, _ = BranchYear.objects.get_or_create(branch=branch, year=year)
    return branch_year


def lock_branch_year(branch_year: BranchYear) -> BranchYear:
    """Lock the branch year so that no posting interleaves with a step (the 公示 snapshot above all)."""
    return BranchYear.objects.select_for_update().select_related("branch__node").get(pk=branch_year.pk)


def published_scheme(district_id: int, year: int, member_class: str) -> Scheme | None:
    return Scheme.objects.filter(
        district_id=district_id, year=year, member_class=member_class, status=SchemeStatus.PUBLISHED
    ).first()


def is_exempt(member: Member, branch_year: BranchYear) -> bool:
    return Exemption.objects.filter(
        member=member, branch_year=branch_year, status=ExemptionStatus.APPROVED
    ).exists()


def period_bounds(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == CapPeriod.MONTH:
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return start, following - datetime.timedelta(days=1)
    if period == CapPeriod.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = day.replace(month=first_month, day=1)
        following = (start + datetime.timedelta(days=95)).replace(day=1)
        return start, following - datetime.timedelta(days=1)
    return day.replace(month=1, day=1), day.replace(month=12, day=31)


def cap_room(
    item: SchemeItem, account: Account, occurred_on: datetime.date, exclude_claim_id: int | None = None
) -> Decimal | None:
    """How many points (as a magnitude) the item may still carry for this period; None when uncapped.

    Counted over every version of the item (same lineage), on the member's year account.
    """
    if item.cap_points is None:
        return None
    if item.cap_period == CapPeriod.OCCURRENCE:
        return item.cap_points
    start, end = period_bounds(item.cap_period, occurred_on)
    used = (
        Claim.objects.filter(
            account=account,
            item__lineage=item.lineage,
            status__in=COUNTED_STATUSES,
            occurred_on__range=(start, end),
        )
        .exclude(pk=exclude_claim_id)
        .aggregate(total=Sum("points"))["total"]
    ) or Decimal("0")
    return max(item.cap_points - abs(used), Decimal("0"))


def cap_label(item: SchemeItem) -> str:
    return f"「{item.name}」{CapPeriod(item.cap_period).label}上限{item.cap_points.normalize():f}分"


def require_self(actor: Any, permission: str, member: Member) -> None:
    """The actor is this member, acting on their own behalf with a self role carrying `permission`."""
    scope = scope_for(actor)
    if not (scope.self_has(permission) and scope.person_id == member.person_id):
        raise PermissionDenied("只能由党员本人操作。")


def require_at(actor: Any, permission: str, branch_year: BranchYear) -> None:
    require_perm_at(actor, permission, branch_year.branch.node.path)


def record_creation(obj: Any, *, machine: str, label: str, state: str, actor: Any, note: str = "") -> None:
    """The first line of an object's history (a claim submitted, an exemption applied for)."""
    TransitionRecord.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        machine=machine,
        transition="create",
        transition_label=label,
        from_state="",
        to_state=state,
        actor_id=actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None,
        actor_name=actor.get_username()
        if actor is not None and getattr(actor, "is_authenticated", False)
        else "系统",
        at=clock.now(),
        note=note,
    )


def publicity_end(start: datetime.date, working_days: int) -> datetime.date:
    """The last day of a publicity period of `working_days` working days beginning on `start`."""
    if is_working_day(start):
        return add_working_days(start, working_days - 1) if working_days > 1 else start
    return add_working_days(start, working_days)
