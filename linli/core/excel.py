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

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .audit import audit_record
from .choices import AuditAction

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
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
    """The value as written: plain values where openpyxl already types them right (fast), a styled
    text cell where a string could be read as a formula."""
    if value is None or (isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: local wall-clock time, shown as yyyy-mm-dd h:mm:ss.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value  # openpyxl gives dates the yyyy-mm-dd format
    text = _ILLEGAL.sub("", str(value))
    if not is_formula_like(text):
        return text  # a str not starting with "=" is written as a text cell
    # Stored as a text cell whatever it looks like: "=1+1" stays the text "=1+1" and is never evaluated.
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _styled(sheet: Any, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_ILLEGAL.sub("", text))
    cell.data_type = "s"
    cell.font = font
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
        sheet.append([_styled(sheet, title, Font(bold=True, size=13))])
    header = []
    for column in columns:
        cell = _styled(sheet, column.header, _HEADER_FONT)
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


def export_queryset(
    request: Any, *, queryset: QuerySet, back_url: str, chunk_size: int = 2000, **kwargs: Any
) -> HttpResponse:
    """Export a filtered list, or send the user back to it when it is longer than one export may be.

    A district-wide list of 300,000 residents would keep a web worker busy for minutes; above
    LINLI_EXPORT_MAX_ROWS rows the user is asked to narrow the list (by street, community, grid).
    """
    limit = settings.LINLI_EXPORT_MAX_ROWS
    total = queryset.count()
    if total > limit:
        messages.error(
            request,
            f"符合条件的记录有{total}条，超过单次导出上限{limit}条，请按街道、社区或网格筛选后分批导出。",
        )
        query = request.GET.urlencode()
        return redirect(f"{back_url}?{query}" if query else back_url)
    return export_response(actor=request.user, rows=queryset.iterator(chunk_size=chunk_size), **kwargs)


def describe_filters(labels: dict[str, str], values: dict[str, Any]) -> str:
    """A short Chinese description of the filters of an export, for the audit log: "社区=复兴社区；分类=离退休"."""
    parts = [f"{labels.get(k, k)}={v}" for k, v in values.items() if v not in (None, "", [], ())]
    return "；".join(parts) if parts else "全部"
