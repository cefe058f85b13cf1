"""Writes of the points station, shop and time bank; every one keyword-only, atomic, checked and audited."""

from .catalogue import (
    earning_item_save,
    expiry_rule_save,
    shop_item_save,
    station_create,
    station_update,
    stock_restock,
    stock_write_off,
)
from .depositors import community_of, depositor_card_revoke, depositor_open, depositors_open_for_grid
from .earning import bulk_credit_approve, bulk_credit_create, bulk_credit_reject, earning_record, earning_void
from .expiry import ExpiryRun, expiry_run
from .shop import order_cancel, order_collect, order_place, order_prepare, order_refuse
from .timebank import (
    relay_relation,
    service_claim,
    service_confirm,
    service_dispute,
    service_reject,
    service_resolve,
    time_relay,
    time_withdraw,
)

__all__ = [
    "ExpiryRun",
    "bulk_credit_approve",
    "bulk_credit_create",
    "bulk_credit_reject",
    "community_of",
    "depositor_card_revoke",
    "depositor_open",
    "depositors_open_for_grid",
    "earning_item_save",
    "earning_record",
    "earning_void",
    "expiry_rule_save",
    "expiry_run",
    "order_cancel",
    "order_collect",
    "order_place",
    "order_prepare",
    "order_refuse",
    "relay_relation",
    "service_claim",
    "service_confirm",
    "service_dispute",
    "service_reject",
    "service_resolve",
    "shop_item_save",
    "station_create",
    "station_update",
    "stock_restock",
    "stock_write_off",
    "time_relay",
    "time_withdraw",
]
