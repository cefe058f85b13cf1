"""A resident's phone pages: balance and QR code, history, shop, orders, time bank, expiry notice."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from linli.core.shortcuts import get_visible_or_404, permission_required

from .. import services
from ..codes import phone_token, qr_svg
from ..forms import FamilyRelayForm, OptionalReasonForm, ResidentOrderForm, ServiceClaimForm
from ..models import Depositor, ExpiryRule, Order, ShopItem
from ..selectors.depositors import own_depositors
from ..selectors.expiry import expiry_notice_for
from ..selectors.history import entries_of, movements
from ..selectors.rules import stations_open_to
from ..selectors.shop import own_orders, shop_listing
from ..selectors.timebank import resident_timebank
from .common import attempt, my_depositor, num


def _qr(depositor: Depositor) -> dict:
    token = phone_token(depositor.pk)
    return {"qr": qr_svg(token, scale=5, title="我的储户码"), "token": token}


@permission_required("bank.self")
def me(request):
    depositor = my_depositor(request)
    depositors = own_depositors(request.user)
    rule = ExpiryRule.objects.filter(station__community_id=depositor.community_id).first()
    accounts = [d.points_account_id for d in depositors]
    context = {
        "depositor": depositor,
        "depositors": depositors,
        # Expiry notices for the resident's own points and their household's, in the notice period only.
        "notices": [
            (d, notice) for d in depositors if (notice := expiry_notice_for(d, rule, timezone.localdate()))
        ],
        "recent": movements(list(entries_of(accounts)[:5])),
        "open_orders": Order.objects.visible_to(request.user, "bank.self").open().count(),
        **_qr(depositor),
    }
    return render(request, "bank/me.html", context)


@permission_required("bank.self")
def me_code(request):
    """A fresh phone code (the page asks for one every few minutes, before the old one expires)."""
    depositor = my_depositor(request)
    return render(request, "bank/_me_code.html", {"depositor": depositor, **_qr(depositor)})


@permission_required("bank.self")
def me_history(request):
    my_depositor(request)
    depositors = own_depositors(request.user)
    currency = request.GET.get("account", "points")
    if currency == "hours":
        accounts = [d.hours_account_id for d in depositors if d.hours_account_id]
    else:
        accounts = [d.points_account_id for d in depositors]
    page = Paginator(entries_of(accounts), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "bank/me_history.html",
        {
            "page": page,
            "rows": movements(list(page.object_list)),
            "currency": currency,
            "depositors": depositors,
        },
    )


@permission_required("bank.self")
def me_shop(request):
    depositor = my_depositor(request)
    depositors = own_depositors(request.user)
    return render(
        request,
        "bank/me_shop.html",
        {
            "depositor": depositor,
            "listing": shop_listing(depositor),
            "form": ResidentOrderForm(depositors=depositors),
            "depositors": depositors,
        },
    )


@require_POST
@permission_required("bank.self")
def me_order_place(request, pk: int):
    depositor = my_depositor(request)
    item = ShopItem.objects.filter(pk=pk, is_active=True, station__in=stations_open_to(depositor)).first()
    if item is None:
        raise Http404("未找到该商品，或您所在社区不能在该驿站兑换。")
    depositors = own_depositors(request.user)
    form = ResidentOrderForm(request.POST, depositors=depositors)
    if form.is_valid():
        payer = next(d for d in depositors if d.pk == form.cleaned_data["depositor"])
        ok, order = attempt(
            request,
            lambda: services.order_place(
                actor=request.user, depositor=payer, item=item, quantity=form.cleaned_data["quantity"]
            ),
        )
        if ok:
            messages.success(
                request,
                f"已下单{order.number}：{item.name}×{order.quantity}，扣{num(order.total)}分。请到{item.station.name}领取。",
            )
            return redirect("bank:me_orders")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("bank:me_shop")


@permission_required("bank.self")
def me_orders(request):
    my_depositor(request)
    page = Paginator(own_orders(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "bank/me_orders.html", {"page": page, "cancel_form": OptionalReasonForm()})


@require_POST
@permission_required("bank.self")
def me_order_cancel(request, pk: int):
    order = get_visible_or_404(
        Order.objects.select_related("depositor", "item"), request.user, "bank.self", pk=pk
    )
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, _ = attempt(request, lambda: services.order_cancel(actor=request.user, order=order, reason=reason))
    if ok:
        messages.success(request, f"订单{order.number}已取消，{num(order.total)}分已退回。")
    return redirect("bank:me_orders")


@permission_required("bank.self")
def me_timebank(request):
    depositor = my_depositor(request)
    view = resident_timebank(request.user, depositor)
    return render(
        request,
        "bank/me_timebank.html",
        {
            "view": view,
            "depositor": depositor,
            "claim_form": ServiceClaimForm(),
            "relay_form": FamilyRelayForm(family=view.family),
            "dispute_form": OptionalReasonForm(),
        },
    )


@permission_required("bank.self")
def me_service_claim(request):
    depositor = my_depositor(request)
    form = ServiceClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The recipient shows the provider their code; only a resident of the same community can be named.
        code = form.cleaned_data["recipient_code"].replace("-", "").replace(" ", "").upper()
        recipient = (
            Depositor.objects.filter(short_code=code, kind="person", community_id=depositor.community_id)
            .select_related("person")
            .first()
        )
        if recipient is None:
            form.add_error("recipient_code", "未找到该储户码，受助人须是本社区居民。")
        else:
            ok, record = attempt(
                request,
                lambda: services.service_claim(
                    actor=request.user,
                    provider=depositor,
                    recipient=recipient,
                    what=form.cleaned_data["what"],
                    served_on=form.cleaned_data["served_on"],
                    hours=form.cleaned_data["hours"],
                ),
                form=form,
                default_field="hours",
            )
            if ok:
                messages.success(
                    request,
                    f"已登记为{recipient.name}服务{num(record.hours)}小时，待对方或其家人确认后入账。",
                )
                return redirect("bank:me_timebank")
    return render(request, "bank/me_service_claim.html", {"form": form})


@require_POST
@permission_required("bank.self")
def me_relay(request):
    depositor = my_depositor(request)
    view = resident_timebank(request.user, depositor)
    form = FamilyRelayForm(request.POST, family=view.family)
    if form.is_valid():
        person = next(p for p in view.family if p.pk == form.cleaned_data["recipient"])

        def relay():
            recipient = services.depositor_open(actor=request.user, person=person)
            return services.time_relay(
                actor=request.user,
                donor=depositor,
                recipient=recipient,
                hours=form.cleaned_data["hours"],
                reason=form.cleaned_data["reason"],
            )

        ok, record = attempt(request, relay)
        if ok:
            messages.success(request, f"已将{num(record.hours)}小时转赠给{person.name}。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("bank:me_timebank")
