"""The community's overview of its station (with Excel export) and printable QR cards per grid."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.shortcuts import get_visible_or_404, permission_required
from linli.orgs.models import OrgNode
from linli.people.choices import PersonStatus
from linli.people.models import Person

from .. import exports, services
from ..codes import card_token, qr_svg
from ..forms import PeriodForm
from ..models import Depositor, Station
from ..selectors.overview import station_overview
from .common import attempt, pick_station


def _overview_for(request):
    stations = list(
        Station.objects.visible_to(request.user, "bank.overview")
        .select_related("community")
        .order_by("community__path")
    )
    station = pick_station(request, stations)
    since, until = PeriodForm(request.GET).period()
    return stations, (station_overview(station, since, until) if station else None)


@permission_required("bank.overview")
def overview(request):
    stations, data = _overview_for(request)
    tables = [(key, title) for key, (title, _columns, _rows) in exports.OVERVIEW_TABLES.items()]
    return render(
        request, "bank/overview.html", {"stations": stations, "overview": data, "export_tables": tables}
    )


@permission_required("bank.overview")
def overview_export(request):
    _stations, data = _overview_for(request)
    if data is None:
        raise Http404("没有可导出的驿站。")
    return exports.overview_export(request, data, request.GET.get("table", "items"))


@permission_required("bank.card")
def cards(request):
    grids = list(OrgNode.objects.visible_to(request.user, "bank.card").filter(kind="grid").order_by("path"))
    opened = {
        row["node_id"]: row["n"]
        for row in Depositor.objects.filter(node__in=grids, kind="person")
        .values("node_id")
        .order_by()
        .annotate(n=Count("id"))
    }
    residents = {
        row["node_id"]: row["n"]
        for row in Person.objects.filter(node__in=grids, status=PersonStatus.ACTIVE, is_resident=True)
        .values("node_id")
        .order_by()
        .annotate(n=Count("id"))
    }
    rows = [(g, residents.get(g.pk, 0), opened.get(g.pk, 0)) for g in grids]
    return render(request, "bank/cards.html", {"rows": rows})


@require_POST
@permission_required("bank.card")
def cards_open(request, pk: int):
    grid = get_visible_or_404(OrgNode.objects.filter(kind="grid"), request.user, "bank.card", pk=pk)
    ok, count = attempt(request, lambda: services.depositors_open_for_grid(actor=request.user, grid=grid))
    if ok:
        messages.success(request, f"{grid.name}新开户{count}人。")
    return redirect(reverse("bank:cards"))


@permission_required("bank.card")
def cards_print(request, pk: int):
    grid = get_visible_or_404(OrgNode.objects.filter(kind="grid"), request.user, "bank.card", pk=pk)
    depositors = (
        Depositor.objects.filter(node=grid, kind="person").select_related("community").order_by("name", "pk")
    )
    community = services.community_of(grid)
    station = Station.objects.filter(community=community).first() if community else None
    cards_ = [
        {"depositor": d, "qr": qr_svg(card_token(d.pk, d.card_version), scale=3, title=d.name)}
        for d in depositors
    ]
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, target=grid, note=f"打印储户卡{len(cards_)}张"
    )
    return render(request, "bank/cards_print.html", {"grid": grid, "cards": cards_, "station": station})
