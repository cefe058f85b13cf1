"""Excel export shared by every list: streaming .xlsx, Chinese headers, dates as dates, no formula injection.

A cell whose text starts with = + - @, a tab or a carriage return could be read by a spreadsheet as
a formula (CSV/formula injection). Every string is therefore written as a text cell (type "s") with
the quote-prefix flag, so Excel and WPS show it as typed and never evaluate it. Lists pass values
that are already masked (`id_number_masked`, `phone_masked`); this module never decrypts anything.
"""

from __future__ import annotations

import datetime
import decimal
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .audit import audit_record
from .choices import AuditAction

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Control characters an .xlsx file cannot hold (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Column:
    """One exported column: a Chinese header, how to get the value from a row, and a width in characters."""

    header: str
    value: Callable[[Any], Any]
    width: int = 14


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def _cell(sheet: Any, value: Any) -> Any:
    if value is None:
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, bool):
        return WriteOnlyCell(sheet, value="是" if value else "否")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, int | float | decimal.Decimal):
        return WriteOnlyCell(sheet, value=value)
    text = _ILLEGAL.sub("", str(value))
    cell = WriteOnlyCell(sheet, value=text)
    # Stored as a text cell whatever it looks like: "=1+1" stays the text "=1+1".
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def write_xlsx(
    target: Any, *, sheet_title: str, columns: list[Column], rows: Iterable[Any], title: str = ""
) -> int:
    """Stream rows into an .xlsx written to `target` (a path or binary file); returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Sheet1")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3" if title else "A2"
    if title:
        title_cell = _cell(sheet, title)
        title_cell.font = Font(bold=True, size=13)
        sheet.append([title_cell])
    header = []
    for column in columns:
        cell = _cell(sheet, column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, column.value(row)) for column in columns])
        count += 1
    workbook.save(target)
    return count


def export_response(
    *,
    actor: Any,
    filename: str,
    sheet_title: str,
    columns: list[Column],
    rows: Iterable[Any],
    target_type: str,
    title: str = "",
    note: str = "",
) -> FileResponse:
    """An .xlsx download of `rows`; the export itself is written to the audit log (who, what, how many).

    The file is spooled to a temporary file, so a list of hundreds of thousands of rows does not sit
    in memory; the audit entry records the row count and the filters described in `note`.
    """
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by FileResponse when sent
    count = write_xlsx(spool, sheet_title=sheet_title, columns=columns, rows=rows, title=title)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        target_type=target_type,
        target_repr=filename,
        changes={"rows": [None, count]},
        note=note or f"导出{count}条",
    )
    spool.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{filename}_{stamp}.xlsx"
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE, as_attachment=True, filename=name)
    # RFC 5987 name for browsers, so the Chinese file name survives.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def describe_filters(labels: dict[str, str], values: dict[str, Any]) -> str:
    """A short Chinese description of the filters of an export, for the audit log: "社区=复兴社区；分类=离退休"."""
    parts = [f"{labels.get(k, k)}={v}" for k, v in values.items() if v not in (None, "", [], ())]
    return "；".join(parts) if parts else "全部"
