"""Community admins set up their station: the station, earning catalogue, shop items, expiry rule."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from linli.core.shortcuts import get_visible_or_404, permission_required
from linli.orgs.models import OrgNode

from .. import services
from ..forms import EarningItemForm, ExpiryRuleForm, ShopItemForm, StationCreateForm, StationForm
from ..models import EarningItem, ExpiryRule, ShopItem, Station
from ..selectors.expiry import expiry_applies, expiry_cutoff, next_expiry_date
from .common import attempt


def _communities_without_station(user):
    return OrgNode.objects.visible_to(user, "bank.manage").filter(kind="community", bank_station__isnull=True)


@permission_required("bank.manage")
def station_list(request):
    stations = Station.objects.visible_to(request.user, "bank.manage").select_related("community__parent")
    return render(
        request,
        "bank/station_list.html",
        {"stations": stations, "can_create": _communities_without_station(request.user).exists()},
    )


@permission_required("bank.manage")
def station_create(request):
    form = StationCreateForm(request.POST or None, communities=_communities_without_station(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ok, station = attempt(
            request,
            lambda: services.station_create(actor=request.user, **data),
            form=form,
            default_field="name",
        )
        if ok:
            messages.success(request, f"已设立{station.name}。")
            return redirect("bank:station_detail", pk=station.pk)
    return render(
        request, "bank/form.html", {"form": form, "title": "设立积分驿站", "back": "bank:station_list"}
    )


@permission_required("bank.manage")
def station_detail(request, pk: int):
    station = get_visible_or_404(
        Station.objects.select_related("community"), request.user, "bank.manage", pk=pk
    )
    rule = ExpiryRule.objects.filter(station=station).first()
    expiry = None
    if rule is not None:
        from django.utils import timezone

        upcoming = next_expiry_date(rule, timezone.localdate())
        expiry = {
            "date": upcoming,
            "cutoff": expiry_cutoff(rule, upcoming),
            "applies": expiry_applies(rule, upcoming),
        }
    return render(
        request,
        "bank/station_detail.html",
        {
            "station": station,
            "earning_items": station.earning_items.order_by("sort_order", "pk"),
            "shop_items": station.shop_items.select_related("stock_account").order_by("sort_order", "pk"),
            "rule": rule,
            "expiry": expiry,
        },
    )


@permission_required("bank.manage")
def station_edit(request, pk: int):
    station = get_visible_or_404(Station, request.user, "bank.manage", pk=pk)
    form = StationForm(request.POST or None, instance=Station.objects.get(pk=station.pk))
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(
            request,
            lambda: services.station_update(actor=request.user, station=station, **form.cleaned_data),
            form=form,
            default_field="name",
        )
        if ok:
            messages.success(request, "驿站信息已保存。")
            return redirect("bank:station_detail", pk=station.pk)
    return render(
        request, "bank/form.html", {"form": form, "title": f"修改{station.name}", "station": station}
    )


def _item_form(request, *, station: Station, form_class, instance, save, title: str, done: str):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(request, lambda: save(form.cleaned_data), form=form, default_field="name")
        if ok:
            messages.success(request, done)
            return redirect("bank:station_detail", pk=station.pk)
    return render(request, "bank/form.html", {"form": form, "title": title, "station": station})


@permission_required("bank.manage")
def earning_item_create(request, pk: int):
    station = get_visible_or_404(Station, request.user, "bank.manage", pk=pk)
    return _item_form(
        request,
        station=station,
        form_class=EarningItemForm,
        instance=None,
        save=lambda data: services.earning_item_save(actor=request.user, station=station, **data),
        title=f"{station.name}：新增积分项目",
        done="积分项目已添加。",
    )


@permission_required("bank.manage")
def earning_item_edit(request, pk: int):
    item = get_visible_or_404(
        EarningItem.objects.select_related("station"), request.user, "bank.manage", pk=pk
    )
    return _item_form(
        request,
        station=item.station,
        form_class=EarningItemForm,
        instance=EarningItem.objects.get(pk=item.pk),
        save=lambda data: services.earning_item_save(
            actor=request.user, station=item.station, item=item, **data
        ),
        title=f"修改积分项目：{item.name}",
        done="积分项目已保存，今后的记分按新规则执行。",
    )


@permission_required("bank.manage")
def shop_item_create(request, pk: int):
    station = get_visible_or_404(
        Station.objects.select_related("community"), request.user, "bank.manage", pk=pk
    )
    return _item_form(
        request,
        station=station,
        form_class=ShopItemForm,
        instance=None,
        save=lambda data: services.shop_item_save(actor=request.user, station=station, **data),
        title=f"{station.name}：新增兑换商品",
        done="商品已添加，请在“库存”中入库。",
    )


@permission_required("bank.manage")
def shop_item_edit(request, pk: int):
    item = get_visible_or_404(ShopItem.objects.select_related("station"), request.user, "bank.manage", pk=pk)
    return _item_form(
        request,
        station=item.station,
        form_class=ShopItemForm,
        instance=ShopItem.objects.get(pk=item.pk),
        save=lambda data: services.shop_item_save(
            actor=request.user, station=item.station, item=item, **data
        ),
        title=f"修改商品：{item.name}",
        done="商品已保存。",
    )


@permission_required("bank.manage")
def expiry_rule_edit(request, pk: int):
    station = get_visible_or_404(Station, request.user, "bank.manage", pk=pk)
    rule = ExpiryRule.objects.filter(station=station).first()
    form = ExpiryRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        is_active = data.pop("is_active")
        ok, saved = attempt(
            request,
            lambda: services.expiry_rule_save(
                actor=request.user, station=station, is_active=is_active, **data
            ),
            form=form,
            default_field="keep_months",
        )
        if ok:
            messages.success(request, f"积分过期规则已保存（公布日期{saved.announced_on:%Y-%m-%d}）。")
            return redirect("bank:station_detail", pk=station.pk)
    return render(
        request,
        "bank/form.html",
        {"form": form, "title": f"{station.name}：积分过期规则", "station": station},
    )
