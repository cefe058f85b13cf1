"""The five cards of seed 002 (流动党员联系卡, 流动党员活动记录卡, 离退休党员管理卡, 下岗党员登记卡,
两新组织党员联系卡): printable views over the registry, one member at a time or a batch per community."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from linli.core.shortcuts import get_visible_or_404, permission_required
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode

from . import selectors
from .forms import CardBatchForm


def _check_kind(kind: str) -> str:
    if kind not in selectors.CARD_KINDS:
        raise Http404("没有这种卡片。")
    return kind


@permission_required("people.view")
def member_card(request, pk: int, kind: str):
    """One member's card; 404 when the member is out of scope or the card does not apply to them."""
    _check_kind(kind)
    members = selectors.card_members(user=request.user, kind=kind, member_id=pk)
    if not members:
        raise Http404("未找到该记录，或您无权查看。")
    return render(
        request,
        "people/cards.html",
        {
            "kind": kind,
            "title": selectors.CARD_KINDS[kind],
            "members": members,
            "community": None,
            "today": timezone.localdate(),
        },
    )


@permission_required("people.browse")
def card_index(request):
    form = CardBatchForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return redirect(
            "people:card_batch",
            community_pk=form.cleaned_data["community"].pk,
            kind=form.cleaned_data["kind"],
        )
    return render(request, "people/card_index.html", {"form": form, "kinds": selectors.CARD_KINDS})


@permission_required("people.browse")
def card_batch(request, community_pk: int, kind: str):
    _check_kind(kind)
    community = get_visible_or_404(
        OrgNode.objects.filter(kind=NodeKind.COMMUNITY), request.user, "people.view", pk=community_pk
    )
    members = selectors.card_members(user=request.user, kind=kind, community=community)
    return render(
        request,
        "people/cards.html",
        {
            "kind": kind,
            "title": selectors.CARD_KINDS[kind],
            "members": members,
            "community": community,
            "today": timezone.localdate(),
        },
    )
