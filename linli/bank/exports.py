"""Excel exports of the points station through the shared `core.excel` helper (text cells, audited).

The overview's tables export one sheet each (its figures as the title line); the earning list
exports the filtered records. Only names, grids, items and figures leave — no ID numbers or phones.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404

from linli.core.excel import Column, export_queryset, export_response

from .choices import DepositorKind, EarningCategory, ShopItemKind
from .selectors.overview import Overview

CATEGORIES = dict(EarningCategory.choices)
KINDS = dict(ShopItemKind.choices)
DEPOSITOR_KINDS = dict(DepositorKind.choices)

OVERVIEW_TABLES: dict[str, tuple[str, list[Column], Any]] = {
    "items": (
        "按项目记分",
        [
            Column("积分项目", lambda r: r["item__name"], 16),
            Column("类别", lambda r: CATEGORIES.get(r["item__category"], ""), 10),
            Column("笔数", lambda r: r["count"], 8),
            Column("人数", lambda r: r["people"], 8),
            Column("积分", lambda r: r["points"], 10),
        ],
        lambda o: o.earning_by_item,
    ),
    "shop": (
        "按商品兑换",
        [
            Column("商品", lambda r: r["item__name"], 18),
            Column("类别", lambda r: KINDS.get(r["item__kind"], ""), 10),
            Column("订单数", lambda r: r["orders"], 8),
            Column("数量", lambda r: r["quantity"], 8),
            Column("积分", lambda r: r["points"], 10),
        ],
        lambda o: o.redemption_by_item,
    ),
    "top": (
        "贡献榜",
        [
            Column("储户", lambda r: r["depositor__name"], 16),
            Column("类型", lambda r: DEPOSITOR_KINDS.get(r["depositor__kind"], ""), 8),
            Column("网格/单位", lambda r: r["depositor__node__name"], 16),
            Column("笔数", lambda r: r["count"], 8),
            Column("积分", lambda r: r["points"], 10),
        ],
        lambda o: o.top_contributors,
    ),
    "stock": (
        "库存预警",
        [
            Column("商品", lambda i: i.name, 18),
            Column("库存", lambda i: i.stock_account.balance, 8),
            Column("预警线", lambda i: i.low_stock_threshold, 8),
        ],
        lambda o: o.stock_alerts,
    ),
}


def _n(value) -> str:
    """12.50 → "12.5", 31.00 → "31" (the same on SQLite and PostgreSQL)."""
    return f"{Decimal(value).normalize():f}"


def overview_summary(overview: Overview) -> str:
    return (
        f"{overview.station.name} {overview.since:%Y-%m-%d}至{overview.until:%Y-%m-%d}："
        f"储户{overview.depositors}，记分{overview.earned_count}笔共{_n(overview.earned_total)}分，"
        f"兑换{overview.redeemed_orders}单共{_n(overview.redeemed_total)}分，"
        f"外社区居民在本站兑换{_n(overview.visitors_spent)}分，本社区居民在外站兑换{_n(overview.spent_elsewhere)}分"
    )


def overview_export(request, overview: Overview, table: str):
    if table not in OVERVIEW_TABLES:
        raise Http404("没有这张表。")
    title, columns, rows = OVERVIEW_TABLES[table]
    return export_response(
        actor=request.user,
        filename=f"{overview.station.name}{title}",
        sheet_title=title,
        columns=columns,
        rows=rows(overview),
        target_type="bank.station",
        title=overview_summary(overview),
        note=f"{overview.station.name}{title} {overview.since:%Y-%m-%d}至{overview.until:%Y-%m-%d}",
    )


EARNING_COLUMNS = [
    Column("发生日期", lambda e: e.occurred_on, 12),
    Column("储户", lambda e: e.depositor.name, 16),
    Column("类型", lambda e: e.depositor.get_kind_display(), 8),
    Column("驿站", lambda e: e.station.name, 18),
    Column("积分项目", lambda e: e.item.name, 14),
    Column("数量", lambda e: e.quantity, 6),
    Column("积分", lambda e: e.points, 8),
    Column("记录方式", lambda e: e.get_method_display(), 10),
    Column("证明人", lambda e: e.witness, 10),
    Column("有照片", lambda e: bool(e.evidence), 8),
    Column("记录人", lambda e: e.recorded_by_name, 14),
    Column("记录时间", lambda e: e.recorded_at, 18),
    Column("状态", lambda e: f"已冲正：{e.void_reason}" if e.voided_at else "有效", 14),
]


def earnings_export(request, queryset, *, note: str):
    return export_queryset(
        request,
        queryset=queryset,
        back_url="/bank/earnings/",
        filename="积分记录",
        sheet_title="积分记录",
        columns=EARNING_COLUMNS,
        target_type="bank.earning",
        note=note,
    )
