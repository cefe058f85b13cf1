"""Bulk credits: one staff member proposes with a reason, a different one approves before anything posts."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required

from .. import services
from ..choices import BulkState
from ..forms import BulkCreditForm, OptionalReasonForm, ReasonForm
from ..machines import BULK_MACHINE
from ..models import BulkCredit, Depositor, Earning, Station
from .common import attempt


@permission_required("bank.bulk")
def bulk_list(request):
    state = request.GET.get("state", "")
    bulks = BulkCredit.objects.visible_to(request.user, "bank.bulk").select_related(
        "station", "item", "created_by"
    )
    if state in BulkState.values:
        bulks = bulks.filter(state=state)
    page = Paginator(bulks.order_by("-created_at", "-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "bank/bulk_list.html", {"page": page, "state": state, "states": BulkState.choices})


@permission_required("bank.bulk")
def bulk_create(request):
    stations = Station.objects.visible_to(request.user, "bank.bulk").filter(is_active=True)
    form = BulkCreditForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        station = data["station"]
        codes = [code for _, code, _ in data["lines"]]
        found = {
            d.short_code: d
            for d in Depositor.objects.visible_to(request.user, "bank.bulk").filter(
                short_code__in=codes, community_id=station.community_id
            )
        }
        missing = [
            f"第{n}行：储户码{code}不是{station.community.name}的储户"
            for n, code, _ in data["lines"]
            if code not in found
        ]
        if missing:
            form.add_error("lines", missing)
        else:
            ok, bulk = attempt(
                request,
                lambda: services.bulk_credit_create(
                    actor=request.user,
                    station=station,
                    item=data["item"],
                    occurred_on=data["occurred_on"],
                    reason=data["reason"],
                    lines=[(found[code], quantity) for _, code, quantity in data["lines"]],
                ),
                form=form,
                default_field="lines",
            )
            if ok:
                messages.success(request, f"批量记分#{bulk.pk}已提交，须由另一位有审批权限的同事审批后入账。")
                return redirect("bank:bulk_detail", pk=bulk.pk)
    return render(
        request, "bank/form.html", {"form": form, "title": "发起批量记分", "back": "bank:bulk_list"}
    )


@permission_required("bank.bulk")
def bulk_detail(request, pk: int):
    bulk = get_visible_or_404(
        BulkCredit.objects.select_related("station", "item", "created_by", "decided_by"),
        request.user,
        "bank.bulk",
        pk=pk,
    )
    # The earnings are looked up through their depositors: SQLite's statistics count the NULLs of the
    # one-to-one bulk_line column as one value shared by every earning, and it would scan them all.
    earnings = Earning.objects.filter(depositor_id__in=bulk.lines.values("depositor_id"))
    lines = (
        bulk.lines.select_related("depositor__node")
        .prefetch_related(Prefetch("earning", queryset=earnings))
        .order_by("pk")
    )
    may_decide = (
        bulk.state == BulkState.PENDING
        and bulk.created_by_id != request.user.pk
        and scope_for(request.user).has_perm_at("bank.bulk_approve", bulk.get_scope_path())
    )
    return render(
        request,
        "bank/bulk_detail.html",
        {
            "bulk": bulk,
            "lines": lines,
            "total": sum(line.points for line in lines),
            "may_decide": may_decide,
            "history": BULK_MACHINE.history(bulk),
            "approve_form": OptionalReasonForm(),
            "reject_form": ReasonForm(),
        },
    )


@require_POST
@permission_required("bank.bulk_approve")
def bulk_approve(request, pk: int):
    bulk = get_visible_or_404(BulkCredit, request.user, "bank.bulk_approve", pk=pk)
    form = OptionalReasonForm(request.POST)
    note = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, _ = attempt(request, lambda: services.bulk_credit_approve(actor=request.user, bulk=bulk, note=note))
    if ok:
        messages.success(request, f"批量记分#{bulk.pk}已审批，全部明细已入账。")
    return redirect("bank:bulk_detail", pk=bulk.pk)


@require_POST
@permission_required("bank.bulk_approve")
def bulk_reject(request, pk: int):
    bulk = get_visible_or_404(BulkCredit, request.user, "bank.bulk_approve", pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, _ = attempt(
        request, lambda: services.bulk_credit_reject(actor=request.user, bulk=bulk, reason=reason)
    )
    if ok:
        messages.success(request, f"批量记分#{bulk.pk}已驳回。")
    return redirect("bank:bulk_detail", pk=bulk.pk)
