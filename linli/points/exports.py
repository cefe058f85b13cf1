"""Excel exports of points results (RPT-2): masked personal data, no cell a spreadsheet would run as a formula.

Written with openpyxl directly; when a shared `linli.core.excel` lands, these two sheets move onto it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .choices import Grade, Stage
from .selectors.years import MemberRow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """Numbers stay numbers; text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([safe(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append([safe(v) for v in row])
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(str(label)) * 2 + 4)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


YEAR_HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "党员分类",
    "当前积分",
    "公示积分",
    "异议更正",
    "登记积分",
    "考核档次",
    "免于参加",
    "违纪违规记录",
    "待初评申报",
]


def year_rows_sheet(rows: list[MemberRow]) -> list[list[Any]]:
    out = []
    for position, row in enumerate(rows, start=1):
        result = row.result
        grade = ""
        if result is not None and result.graded_at is not None:
            grade = Grade(result.grade).label if result.grade else "不评定"
        out.append(
            [
                position,
                row.member.person.name,
                row.member.person.id_number_masked,
                row.member.get_category_display(),
                row.total,
                row.notice_total,
                result.corrections_total if result else None,
                result.registered_total if result else None,
                grade,
                "是" if row.is_exempt else "",
                row.violations or "",
                row.pending or "",
            ]
        )
    return out


FILED_HEADER = ["党组织", "年度", "当前步骤", "姓名", "身份证号", "登记积分", "考核档次", "免于参加"]


def filed_sheet(branch_years, results_by_year) -> list[list[Any]]:
    out = []
    for branch_year in branch_years:
        for result in results_by_year.get(branch_year.pk, []):
            grade = (Grade(result.grade).label if result.grade else "不评定") if result.graded_at else ""
            out.append(
                [
                    branch_year.branch.name,
                    branch_year.year,
                    Stage(branch_year.stage).label,
                    result.member.person.name,
                    result.member.person.id_number_masked,
                    result.registered_total,
                    grade,
                    "是" if result.is_exempt else "",
                ]
            )
    return out
