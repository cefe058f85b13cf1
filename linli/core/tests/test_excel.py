"""Excel export: headers in Chinese, dates as dates, every string a text cell, formulas never evaluated."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from linli.core.choices import AuditAction
from linli.core.excel import Column, describe_filters, export_response, write_xlsx
from linli.core.models import AuditEntry

COLUMNS = [
    Column("姓名", lambda r: r["name"]),
    Column("入党日期", lambda r: r["joined"]),
    Column("补助(元)", lambda r: r["money"]),
    Column("在册", lambda r: r["active"]),
]


def _read(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def _write(rows, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheet_title="党员", columns=COLUMNS, rows=rows, **kwargs)
    return buffer.getvalue()


def test_headers_dates_numbers_and_booleans_read_back_as_written():
    sheet = _read(
        _write(
            [
                {
                    "name": "李建国",
                    "joined": datetime.date(1995, 7, 1),
                    "money": Decimal("1100.00"),
                    "active": True,
                }
            ]
        )
    )
    assert [c.value for c in sheet[1]] == ["姓名", "入党日期", "补助(元)", "在册"]
    name, joined, money, active = sheet[2]
    assert name.value == "李建国"
    assert joined.value == datetime.datetime(1995, 7, 1)
    assert joined.number_format == "yyyy-mm-dd"
    assert money.value == 1100
    assert active.value == "是"


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|'/C calc'!A0"],
)
def test_formula_like_text_is_stored_as_text_with_quote_prefix(text):
    sheet = _read(_write([{"name": text, "joined": None, "money": None, "active": False}]))
    cell = sheet["A2"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


def test_ordinary_text_is_a_text_cell_without_prefix():
    sheet = _read(_write([{"name": "138****8000", "joined": None, "money": None, "active": False}]))
    assert sheet["A2"].value == "138****8000"
    assert sheet["A2"].data_type == "s"
    assert not sheet["A2"].quotePrefix


def test_control_characters_are_dropped_instead_of_breaking_the_file():
    sheet = _read(_write([{"name": "张\x07三", "joined": None, "money": None, "active": False}]))
    assert sheet["A2"].value == "张三"


def test_a_title_row_goes_above_the_headers():
    sheet = _read(_write([], title="复兴社区党员名单"))
    assert sheet["A1"].value == "复兴社区党员名单"
    assert sheet["A2"].value == "姓名"
    assert sheet.max_row == 2


def test_export_response_is_an_attachment_and_is_audited(db):
    rows = [{"name": f"党员{i}", "joined": None, "money": i, "active": True} for i in range(3)]
    response = export_response(
        actor=None,
        filename="党员名单",
        sheet_title="党员",
        columns=COLUMNS,
        rows=rows,
        target_type="people.member",
        note="社区=复兴社区",
    )
    data = b"".join(response.streaming_content)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''%E5%85%9A%E5%91%98%E5%90%8D%E5%8D%95_" in response["Content-Disposition"]
    assert _read(data).max_row == 4
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_type, entry.changes, entry.note) == (
        AuditAction.EXPORT,
        "people.member",
        {"rows": [None, 3]},
        "社区=复兴社区",
    )


def test_describe_filters_names_only_the_filters_in_use():
    labels = {"community": "社区", "category": "分类"}
    assert describe_filters(labels, {"community": "复兴社区", "category": ""}) == "社区=复兴社区"
    assert describe_filters(labels, {"community": None}) == "全部"


def test_datetimes_are_written_in_local_time(db):
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime(2025, 7, 1, 1, 30), datetime.UTC)
    sheet = _read(_write([{"name": "x", "joined": moment, "money": None, "active": True}]))
    assert sheet["B2"].value == datetime.datetime(2025, 7, 1, 9, 30)
    assert sheet["B2"].is_date
