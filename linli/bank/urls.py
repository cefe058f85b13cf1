"""URLs of the bank app: resident pages under me/, the desk, management, bulk credits, time bank, reports."""

from django.urls import path

from .views import bulk, desk, manage, reports, resident, timebank

app_name = "bank"

urlpatterns = [
    # The resident's phone pages
    path("me/", resident.me, name="me"),
    path("me/code/", resident.me_code, name="me_code"),
    path("me/history/", resident.me_history, name="me_history"),
    path("me/shop/", resident.me_shop, name="me_shop"),
    path("me/shop/<int:pk>/order/", resident.me_order_place, name="me_order_place"),
    path("me/orders/", resident.me_orders, name="me_orders"),
    path("me/orders/<int:pk>/cancel/", resident.me_order_cancel, name="me_order_cancel"),
    path("me/timebank/", resident.me_timebank, name="me_timebank"),
    path("me/timebank/claim/", resident.me_service_claim, name="me_service_claim"),
    path("me/timebank/relay/", resident.me_relay, name="me_relay"),
    # The station desk
    path("desk/", desk.desk, name="desk"),
    path("desk/lookup/", desk.desk_lookup, name="desk_lookup"),
    path("depositors/", desk.depositor_list, name="depositor_list"),
    path("depositors/<int:pk>/", desk.depositor_detail, name="depositor_detail"),
    path("depositors/<int:pk>/credit/", desk.earning_create, name="earning_create"),
    path("depositors/<int:pk>/order/", desk.desk_order_place, name="desk_order_place"),
    path("depositors/<int:pk>/revoke-card/", desk.card_revoke, name="card_revoke"),
    path("households/", desk.household_list, name="household_list"),
    path("households/<int:pk>/open/", desk.household_open, name="household_open"),
    path("earnings/", desk.earning_list, name="earning_list"),
    path("earnings/export/", desk.earning_export, name="earning_export"),
    path("earnings/<int:pk>/evidence/", desk.earning_evidence, name="earning_evidence"),
    path("earnings/<int:pk>/void/", desk.earning_void, name="earning_void"),
    path("orders/", desk.order_list, name="order_list"),
    path("orders/<int:pk>/<slug:action>/", desk.order_act, name="order_act"),
    path("stock/", desk.stock, name="stock"),
    path("stock/<int:pk>/restock/", desk.stock_restock, name="stock_restock"),
    path("stock/<int:pk>/write-off/", desk.stock_write_off, name="stock_write_off"),
    # Setting up a station
    path("stations/", manage.station_list, name="station_list"),
    path("stations/new/", manage.station_create, name="station_create"),
    path("stations/<int:pk>/", manage.station_detail, name="station_detail"),
    path("stations/<int:pk>/edit/", manage.station_edit, name="station_edit"),
    path("stations/<int:pk>/earning-items/new/", manage.earning_item_create, name="earning_item_create"),
    path("earning-items/<int:pk>/edit/", manage.earning_item_edit, name="earning_item_edit"),
    path("stations/<int:pk>/shop-items/new/", manage.shop_item_create, name="shop_item_create"),
    path("shop-items/<int:pk>/edit/", manage.shop_item_edit, name="shop_item_edit"),
    path("stations/<int:pk>/expiry/", manage.expiry_rule_edit, name="expiry_rule_edit"),
    # Bulk credits with a second approver
    path("bulk/", bulk.bulk_list, name="bulk_list"),
    path("bulk/new/", bulk.bulk_create, name="bulk_create"),
    path("bulk/<int:pk>/", bulk.bulk_detail, name="bulk_detail"),
    path("bulk/<int:pk>/approve/", bulk.bulk_approve, name="bulk_approve"),
    path("bulk/<int:pk>/reject/", bulk.bulk_reject, name="bulk_reject"),
    # Time bank
    path("timebank/", timebank.timebank_list, name="timebank_list"),
    path("timebank/new/", timebank.timebank_claim, name="timebank_claim"),
    path("timebank/withdraw/", timebank.time_withdraw, name="time_withdraw"),
    path("timebank/relay/", timebank.time_relay, name="time_relay"),
    path("timebank/<int:pk>/", timebank.timebank_detail, name="timebank_detail"),
    path("timebank/<int:pk>/confirm/", timebank.service_confirm, name="service_confirm"),
    path("timebank/<int:pk>/dispute/", timebank.service_dispute, name="service_dispute"),
    path("timebank/<int:pk>/resolve/", timebank.service_resolve, name="service_resolve"),
    path("timebank/<int:pk>/reject/", timebank.service_reject, name="service_reject"),
    # Overview and cards
    path("overview/", reports.overview, name="overview"),
    path("overview/export/", reports.overview_export, name="overview_export"),
    path("cards/", reports.cards, name="cards"),
    path("cards/<int:pk>/open/", reports.cards_open, name="cards_open"),
    path("cards/<int:pk>/print/", reports.cards_print, name="cards_print"),
]
