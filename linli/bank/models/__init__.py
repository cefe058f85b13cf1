"""Models of the points station (道德银行/积分驿站), its shop and the time bank (时间银行)."""

from .depositors import Depositor, DepositorQuerySet
from .shop import Order, ShopItem
from .station import (
    BulkCredit,
    BulkCreditLine,
    Earning,
    EarningItem,
    ExpiryPosting,
    ExpiryRule,
    Station,
)
from .timebank import ServiceRecord, TimeRelay, TimeWithdrawal

__all__ = [
    "BulkCredit",
    "BulkCreditLine",
    "Depositor",
    "DepositorQuerySet",
    "Earning",
    "EarningItem",
    "ExpiryPosting",
    "ExpiryRule",
    "Order",
    "ServiceRecord",
    "ShopItem",
    "Station",
    "TimeRelay",
    "TimeWithdrawal",
]
