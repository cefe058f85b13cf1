"""The station's shop: items priced in points with stock kept as its own ledger, and orders."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from linli.core.scope import Scope, ScopedQuerySet
from linli.ledger.models import Account, Entry

from ..choices import OPEN_ORDER_STATES, OrderChannel, OrderState, ShopItemKind
from .depositors import Depositor, own_depositor_q
from .station import Station


class ShopItemQuerySet(ScopedQuerySet):
    scope_path_field = "station__community__path"
    default_permission = "bank.view"


class ShopItem(models.Model):
    """Goods, vegetables and flowers from the neighbourhood centre, a convenience service or an honour.

    Stock is the balance of the item's own `shop_stock` ledger account: restocking posts to it,
    an order takes from it, a cancellation gives back; it can never go below zero.
    """

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="shop_items", verbose_name="驿站"
    )
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类别", max_length=10, choices=ShopItemKind.choices)
    description = models.CharField("说明", max_length=200, blank=True)
    price = models.DecimalField("所需积分", max_digits=8, decimal_places=2)
    unit = models.CharField("单位", max_length=10, default="件")
    per_order_limit = models.PositiveSmallIntegerField("每单限购", default=5)
    low_stock_threshold = models.PositiveSmallIntegerField("库存预警线", default=3)
    is_active = models.BooleanField("上架", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    # Opened by the service right after the item is saved (the item is the account's owner).
    stock_account = models.OneToOneField(
        Account, on_delete=models.PROTECT, null=True, related_name="bank_shop_item", verbose_name="库存账户"
    )

    objects = ShopItemQuerySet.as_manager()

    class Meta:
        verbose_name = "兑换商品"
        verbose_name_plural = "兑换商品"
        ordering = ["station_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="bank_shop_item_unique_name"),
            models.CheckConstraint(condition=Q(price__gt=0), name="bank_shop_item_price_positive"),
            models.CheckConstraint(condition=Q(per_order_limit__gte=1), name="bank_shop_item_limit_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_scope_path(self) -> str:
        return self.station.community.path


class OrderQuerySet(ScopedQuerySet):
    """Staff see the orders placed at stations in their scope (whoever placed them); residents their own."""

    scope_path_field = "station__community__path"
    default_permission = "bank.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return own_depositor_q(scope, "depositor__")

    def open(self) -> "OrderQuerySet":
        return self.filter(state__in=OPEN_ORDER_STATES)


class Order(models.Model):
    """A redemption: placed → ready → collected, or cancelled/refused with points and stock given back.

    Placing debits the depositor's points and the item's stock in one transaction under row locks
    (`points_entry`, `stock_entry`); a cancellation reverses both entries with the reason.
    """

    depositor = models.ForeignKey(
        Depositor, on_delete=models.PROTECT, related_name="orders", verbose_name="储户"
    )
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="orders", verbose_name="驿站")
    item = models.ForeignKey(ShopItem, on_delete=models.PROTECT, related_name="orders", verbose_name="商品")
    quantity = models.PositiveSmallIntegerField("数量")
    unit_price = models.DecimalField("单价(分)", max_digits=8, decimal_places=2)
    total = models.DecimalField("合计(分)", max_digits=10, decimal_places=2)
    state = models.CharField("状态", max_length=10, choices=OrderState.choices, default=OrderState.PLACED)
    channel = models.CharField("下单方式", max_length=10, choices=OrderChannel.choices)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="下单人",
    )
    placed_by_name = models.CharField("下单人", max_length=150)
    placed_at = models.DateTimeField("下单时间", db_index=True)
    # Posted in the transaction that creates the order, citing it as their source.
    points_entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, related_name="+")
    stock_entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, related_name="+")
    closed_at = models.DateTimeField("完结时间", null=True, blank=True)
    closed_by_name = models.CharField("经办人", max_length=150, blank=True)
    close_reason = models.CharField("取消/拒绝原因", max_length=200, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = "兑换订单"
        verbose_name_plural = "兑换订单"
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["station", "state"], name="bank_order_station_state_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="bank_order_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item} ×{self.quantity}"

    @property
    def number(self) -> str:
        return f"DH{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ORDER_STATES

    def get_scope_path(self) -> str:
        return self.station.community.path

    def self_may(self, scope: Scope, transition: str) -> bool:
        """A resident may cancel their own (or their household's) open order."""
        return transition == "cancel" and self.depositor.belongs_to(scope)
