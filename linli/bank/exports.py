"""Excel export of a station's overview (openpyxl), with formula-injection protection.

Cells that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return at the start)
are prefixed with an apostrophe. Only names, grids, items and figures are exported — no ID numbers
or phones, so nothing needs masking.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .choices import DepositorKind, EarningCategory, ShopItemKind
from .selectors.overview import Overview

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Numbers stay numbers; text that could be read as a formula is neutralised."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(name) * 2 + 4)
    sheet.freeze_panes = "A2"
    return sheet


def overview_workbook(overview: Overview) -> bytes:
    categories = dict(EarningCategory.choices)
    kinds = dict(ShopItemKind.choices)
    depositor_kinds = dict(DepositorKind.choices)
    workbook = Workbook()
    period = f"{overview.since:%Y-%m-%d}至{overview.until:%Y-%m-%d}"
    _sheet(
        workbook,
        "概况",
        [
            "驿站",
            "统计期间",
            "储户数",
            "记分笔数",
            "记入积分",
            "兑换订单",
            "兑换积分",
            "外社区居民在本站兑换",
            "本社区居民在外站兑换",
        ],
        [
            [
                overview.station.name,
                period,
                overview.depositors,
                overview.earned_count,
                overview.earned_total,
                overview.redeemed_orders,
                overview.redeemed_total,
                overview.visitors_spent,
                overview.spent_elsewhere,
            ]
        ],
        first=True,
    )
    _sheet(
        workbook,
        "按项目记分",
        ["积分项目", "类别", "笔数", "人数", "积分"],
        [
            [r["item__name"], categories.get(r["item__category"], ""), r["count"], r["people"], r["points"]]
            for r in overview.earning_by_item
        ],
    )
    _sheet(
        workbook,
        "按商品兑换",
        ["商品", "类别", "订单数", "数量", "积分"],
        [
            [r["item__name"], kinds.get(r["item__kind"], ""), r["orders"], r["quantity"], r["points"]]
            for r in overview.redemption_by_item
        ],
    )
    _sheet(
        workbook,
        "贡献榜",
        ["名次", "储户", "类型", "网格/单位", "笔数", "积分"],
        [
            [
                n,
                r["depositor__name"],
                depositor_kinds.get(r["depositor__kind"], ""),
                r["depositor__node__name"],
                r["count"],
                r["points"],
            ]
            for n, r in enumerate(overview.top_contributors, start=1)
        ],
    )
    _sheet(
        workbook,
        "库存预警",
        ["商品", "库存", "预警线"],
        [[i.name, i.stock_account.balance, i.low_stock_threshold] for i in overview.stock_alerts],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
