"""The station desk: scan or type a code, credit with evidence, household entry, orders, stock."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.excel import describe_filters
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required
from linli.orgs.models import Household, OrgNode

from .. import exports, services
from ..choices import DepositorKind, EarningMethod, OrderChannel, OrderState
from ..codes import code_read
from ..forms import (
    CodeForm,
    DeskOrderForm,
    EarningForm,
    OptionalReasonForm,
    PeriodForm,
    ReasonForm,
    StockForm,
)
from ..models import Depositor, Earning, Order, ShopItem, Station
from ..selectors.depositors import depositor_by_code, depositor_search
from ..selectors.history import entries_of, movements
from ..selectors.rules import home_station
from ..selectors.shop import desk_stations, order_queue, stock_list
from .common import attempt, num, pick_station

DEPOSITOR_RELATED = ("points_account", "hours_account", "node", "community", "person")


@permission_required("bank.earn")
def desk(request):
    stations = desk_stations(request.user)
    waiting = {
        row["station_id"]: row
        for row in order_queue(request.user)
        .values("station_id")
        .order_by()
        .annotate(
            placed=Count("id", filter=Q(state=OrderState.PLACED)),
            ready=Count("id", filter=Q(state=OrderState.READY)),
        )
    }
    return render(
        request,
        "bank/desk.html",
        {"form": CodeForm(), "stations": [(s, waiting.get(s.pk, {})) for s in stations]},
    )


@require_POST
@permission_required("bank.earn")
def desk_lookup(request):
    """A scanned or typed code → that depositor's page, if they are in the worker's scope; else 404."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        return render(request, "bank/desk.html", {"form": form, "stations": []}, status=400)
    read = code_read(form.cleaned_data["code"])
    if read.error:
        form.add_error("code", read.error)
        return render(request, "bank/desk.html", {"form": form, "stations": []}, status=400)
    depositor = depositor_by_code(request.user, read)
    if depositor is None:
        # The same answer for "no such code" and "not in your scope" (a code cannot probe other communities).
        form.add_error("code", "未找到该储户，或该储户不在您的管辖范围内；储户卡作废后旧卡不能再用。")
        return render(request, "bank/desk.html", {"form": form, "stations": []}, status=404)
    return redirect(f"{reverse('bank:depositor_detail', args=[depositor.pk])}?via={read.method}")


@permission_required("bank.view")
def depositor_list(request):
    q, grid, kind = request.GET.get("q", ""), request.GET.get("grid", ""), request.GET.get("kind", "")
    page = Paginator(depositor_search(request.user, q=q, grid_id=grid, kind=kind), 50).get_page(
        request.GET.get("page")
    )
    grids = OrgNode.objects.visible_to(request.user, "bank.view").filter(kind="grid").order_by("path")
    return render(
        request,
        "bank/depositor_list.html",
        {"page": page, "q": q, "grid": grid, "kind": kind, "grids": grids, "kinds": DepositorKind.choices},
    )


def _depositor_page(request, depositor: Depositor, *, earning_form=None, order_form=None, status=200):
    scope = scope_for(request.user)
    station = home_station(depositor)
    path = depositor.get_scope_path()
    may_earn = scope.has_perm_at("bank.earn", path) and station is not None
    may_order = station is not None and scope.has_perm_at("bank.desk", station.get_scope_path())
    via = request.GET.get("via", "")
    if earning_form is None and may_earn:
        earning_form = EarningForm(
            station=station,
            initial={
                "method": via
                if via in EarningMethod.values and via != EarningMethod.BULK
                else EarningMethod.DESK
            },
        )
    if order_form is None and may_order:
        order_form = DeskOrderForm(station=station)
    accounts = [depositor.points_account_id] + (
        [depositor.hours_account_id] if depositor.hours_account_id else []
    )
    page = Paginator(entries_of(accounts), 20).get_page(request.GET.get("page"))
    context = {
        "depositor": depositor,
        "station": station,
        "earning_form": earning_form,
        "order_form": order_form,
        "page": page,
        "rows": movements(list(page.object_list)),
        "open_orders": Order.objects.filter(depositor=depositor).open().select_related("item", "station"),
        "may_revoke": scope.has_perm_at("bank.card", path),
        "may_void": scope.has_perm_at("bank.void", path),
        "recent_earnings": Earning.objects.filter(depositor=depositor).select_related("item")[:10],
        "revoke_form": ReasonForm(),
        "via": via,
    }
    return render(request, "bank/depositor_detail.html", context, status=status)


@permission_required("bank.view")
def depositor_detail(request, pk: int):
    depositor = get_visible_or_404(
        Depositor.objects.select_related(*DEPOSITOR_RELATED), request.user, "bank.view", pk=pk
    )
    return _depositor_page(request, depositor)


@require_POST
@permission_required("bank.earn")
def earning_create(request, pk: int):
    depositor = get_visible_or_404(
        Depositor.objects.select_related(*DEPOSITOR_RELATED), request.user, "bank.earn", pk=pk
    )
    station = home_station(depositor)
    if station is None:
        raise Http404("该储户所在社区尚未设立积分驿站。")
    form = EarningForm(request.POST, request.FILES, station=station)
    if form.is_valid():
        data = form.cleaned_data
        ok, earning = attempt(
            request,
            lambda: services.earning_record(
                actor=request.user,
                depositor=depositor,
                item=data["item"],
                method=data["method"] if data["method"] != EarningMethod.BULK else EarningMethod.DESK,
                quantity=data["quantity"],
                occurred_on=data["occurred_on"],
                evidence=data["evidence"],
                witness=data["witness"],
                note=data["note"],
            ),
            form=form,
            default_field="quantity",
        )
        if ok:
            text = (
                f"已为{depositor.name}记入{num(earning.points)}分（{earning.item.name}×{earning.quantity}）。"
            )
            if earning.member_points_message:
                text += f"党员积分：{earning.member_points_message}"
            messages.success(request, text)
            return redirect("bank:depositor_detail", pk=depositor.pk)
    return _depositor_page(request, depositor, earning_form=form, status=200)


@require_POST
@permission_required("bank.desk")
def desk_order_place(request, pk: int):
    depositor = get_visible_or_404(
        Depositor.objects.select_related(*DEPOSITOR_RELATED), request.user, "bank.view", pk=pk
    )
    station = home_station(depositor)
    if station is None or not scope_for(request.user).has_perm_at("bank.desk", station.get_scope_path()):
        raise PermissionDenied("您不是该储户所在驿站的工作人员。")
    form = DeskOrderForm(request.POST, station=station)
    if form.is_valid():
        ok, order = attempt(
            request,
            lambda: services.order_place(
                actor=request.user,
                depositor=depositor,
                item=form.cleaned_data["item"],
                quantity=form.cleaned_data["quantity"],
                channel=OrderChannel.DESK,
            ),
            form=form,
            default_field="quantity",
        )
        if ok:
            messages.success(request, f"已为{depositor.name}下单{order.number}，扣{num(order.total)}分。")
            return redirect("bank:depositor_detail", pk=depositor.pk)
    return _depositor_page(request, depositor, order_form=form)


@require_POST
@permission_required("bank.card")
def card_revoke(request, pk: int):
    depositor = get_visible_or_404(Depositor, request.user, "bank.card", pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, _ = attempt(
        request,
        lambda: services.depositor_card_revoke(actor=request.user, depositor=depositor, reason=reason),
    )
    if ok:
        messages.success(
            request,
            f"{depositor.name}的旧储户卡已作废，新储户码{depositor.short_code_display}，请重新打印储户卡。",
        )
    return redirect("bank:depositor_detail", pk=depositor.pk)


@permission_required("bank.earn")
def household_list(request):
    q = request.GET.get("q", "").strip()
    households = (
        Household.objects.visible_to(request.user, "bank.earn")
        .select_related("building", "grid", "bank_depositor__points_account")
        .order_by("grid__path", "building__name", "unit_no", "room_no", "pk")
    )
    if q:
        households = households.filter(
            Q(address__icontains=q)
            | Q(building__name__icontains=q)
            | Q(room_no__icontains=q)
            | Q(persons__name__icontains=q)
        ).distinct()
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    return render(request, "bank/household_list.html", {"page": page, "q": q})


@require_POST
@permission_required("bank.earn")
def household_open(request, pk: int):
    household = get_visible_or_404(
        Household.objects.select_related("grid", "building"), request.user, "bank.earn", pk=pk
    )
    ok, depositor = attempt(request, lambda: services.depositor_open(actor=request.user, household=household))
    if not ok:
        return redirect("bank:household_list")
    return redirect(f"{reverse('bank:depositor_detail', args=[depositor.pk])}?via={EarningMethod.HOUSEHOLD}")


def _earnings_filtered(request):
    earnings = Earning.objects.visible_to(request.user, "bank.view").select_related(
        "depositor", "item", "station"
    )
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "item", "since", "until", "method")}
    period = PeriodForm(request.GET)
    since, until = (
        (period.cleaned_data.get("since"), period.cleaned_data.get("until"))
        if period.is_valid()
        else (None, None)
    )
    if filters["q"]:
        earnings = earnings.filter(depositor__name__icontains=filters["q"])
    if filters["item"]:
        earnings = earnings.filter(item__name=filters["item"])
    if filters["method"] in EarningMethod.values:
        earnings = earnings.filter(method=filters["method"])
    if since:
        earnings = earnings.filter(occurred_on__gte=since)
    if until:
        earnings = earnings.filter(occurred_on__lte=until)
    return earnings.order_by("-occurred_on", "-pk"), filters


@permission_required("bank.view")
def earning_list(request):
    earnings, filters = _earnings_filtered(request)
    page = Paginator(earnings, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "bank/earning_list.html",
        {"page": page, "filters": filters, "methods": EarningMethod.choices},
    )


@permission_required("bank.view")
def earning_export(request):
    earnings, filters = _earnings_filtered(request)
    labels = {"q": "储户", "item": "项目", "since": "起", "until": "止", "method": "方式"}
    return exports.earnings_export(request, earnings, note=describe_filters(labels, filters))


@permission_required("bank.view")
def earning_evidence(request, pk: int):
    earning = get_visible_or_404(Earning, request.user, "bank.view", pk=pk)
    if not earning.evidence:
        raise Http404("该记录没有证据照片。")
    return FileResponse(earning.evidence.open("rb"), filename=earning.evidence.name.rsplit("/", 1)[-1])


@require_POST
@permission_required("bank.void")
def earning_void(request, pk: int):
    earning = get_visible_or_404(
        Earning.objects.select_related("depositor"), request.user, "bank.void", pk=pk
    )
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, _ = attempt(
        request, lambda: services.earning_void(actor=request.user, earning=earning, reason=reason)
    )
    if ok:
        messages.success(request, f"已冲正{earning.depositor.name}的{num(earning.points)}分。")
    return redirect("bank:depositor_detail", pk=earning.depositor_id)


@permission_required("bank.desk")
def order_list(request):
    stations = desk_stations(request.user)
    station = pick_station(request, stations)
    state = request.GET.get("state", "open")
    states = {"open": (OrderState.PLACED, OrderState.READY)}.get(
        state, (state,) if state in OrderState.values else ()
    )
    orders = order_queue(request.user, station=station, states=states) if station else Order.objects.none()
    if state != "open":
        orders = orders.order_by("-placed_at", "-pk")
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "bank/order_list.html",
        {
            "page": page,
            "stations": stations,
            "station": station,
            "state": state,
            "states": OrderState.choices,
            "reason_form": OptionalReasonForm(),
        },
    )


ORDER_ACTIONS = {
    "prepare": ("备货完成", lambda actor, order, reason: services.order_prepare(actor=actor, order=order)),
    "collect": ("已发放", lambda actor, order, reason: services.order_collect(actor=actor, order=order)),
    "refuse": ("已拒绝并退回积分和库存", lambda a, o, r: services.order_refuse(actor=a, order=o, reason=r)),
    "cancel": ("已取消并退回积分和库存", lambda a, o, r: services.order_cancel(actor=a, order=o, reason=r)),
}


@require_POST
@permission_required("bank.desk")
def order_act(request, pk: int, action: str):
    if action not in ORDER_ACTIONS:
        raise Http404("未知的操作。")
    order = get_visible_or_404(
        Order.objects.select_related("depositor", "item", "station"), request.user, "bank.desk", pk=pk
    )
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    label, call = ORDER_ACTIONS[action]
    ok, _ = attempt(request, lambda: call(request.user, order, reason))
    if ok:
        messages.success(
            request,
            f"订单{order.number}（{order.depositor.name}：{order.item.name}×{order.quantity}）{label}。",
        )
    target = request.POST.get("next") or f"{reverse('bank:order_list')}?station={order.station_id}"
    return redirect(target if target.startswith("/bank/") else reverse("bank:order_list"))


@permission_required("bank.desk")
def stock(request):
    stations = desk_stations(request.user)
    station = pick_station(request, stations)
    return render(
        request,
        "bank/stock.html",
        {
            "stations": stations,
            "station": station,
            "items": stock_list(station) if station else [],
            "form": StockForm(),
        },
    )


def _stock_change(request, pk: int, *, restock: bool):
    item = get_visible_or_404(
        ShopItem.objects.select_related("stock_account", "station"), request.user, "bank.desk", pk=pk
    )
    form = StockForm(request.POST)
    if form.is_valid():
        quantity, note = form.cleaned_data["quantity"], form.cleaned_data["note"]

        def call():
            if restock:
                return services.stock_restock(actor=request.user, item=item, quantity=quantity, note=note)
            return services.stock_write_off(actor=request.user, item=item, quantity=quantity, reason=note)

        ok, _ = attempt(request, call)
        if ok:
            messages.success(
                request, f"「{item.name}」已{'入库' if restock else '报损'}{quantity}{item.unit}。"
            )
    else:
        messages.error(request, "请填写正确的数量。")
    return redirect(f"{reverse('bank:stock')}?station={item.station_id}")


@require_POST
@permission_required("bank.desk")
def stock_restock(request, pk: int):
    return _stock_change(request, pk, restock=True)


@require_POST
@permission_required("bank.desk")
def stock_write_off(request, pk: int):
    return _stock_change(request, pk, restock=False)


def stations_for(user, permission: str) -> list[Station]:
    return list(
        Station.objects.visible_to(user, permission).select_related("community").order_by("community__path")
    )
