"""API of the bank (/api/v1/bank/): a resident's balance and history; a station's order queue."""

from __future__ import annotations

from django.urls import path
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from linli.core.drf import has_permission
from linli.core.shortcuts import get_visible_or_404

from .models import Depositor, Station
from .selectors.depositors import own_depositors
from .selectors.history import entries_of, movements
from .selectors.shop import order_queue


class AccountSerializer(serializers.Serializer):
    depositor_id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()
    short_code = serializers.CharField(source="short_code_display")
    points = serializers.DecimalField(source="points_account.balance", max_digits=14, decimal_places=2)
    hours = serializers.SerializerMethodField()

    def get_hours(self, depositor: Depositor) -> str | None:
        return str(depositor.hours_account.balance) if depositor.hours_account_id else None


class MovementSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance_after = serializers.DecimalField(max_digits=14, decimal_places=2)
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    station = serializers.CharField()
    what = serializers.CharField()
    account = serializers.CharField(source="account_label")
    unit = serializers.CharField()


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    depositor = serializers.CharField(source="depositor.name")
    item = serializers.CharField(source="item.name")
    quantity = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=10, decimal_places=2)
    placed_at = serializers.DateTimeField()


@api_view(["GET"])
@permission_classes([has_permission("bank.self")])
def me_balance(request):
    return Response({"accounts": AccountSerializer(own_depositors(request.user), many=True).data})


@api_view(["GET"])
@permission_classes([has_permission("bank.self")])
def me_history(request):
    depositors = own_depositors(request.user)
    accounts = [d.points_account_id for d in depositors] + [
        d.hours_account_id for d in depositors if d.hours_account_id
    ]
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(entries_of(accounts), request)
    return paginator.get_paginated_response(MovementSerializer(movements(page), many=True).data)


@api_view(["GET"])
@permission_classes([has_permission("bank.desk")])
def station_orders(request, pk: int):
    station = get_visible_or_404(Station, request.user, "bank.desk", pk=pk)
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(order_queue(request.user, station=station), request)
    return paginator.get_paginated_response(OrderSerializer(page, many=True).data)


urlpatterns = [
    path("me/", me_balance, name="me"),
    path("me/history/", me_history, name="me_history"),
    path("stations/<int:pk>/orders/", station_orders, name="station_orders"),
]
