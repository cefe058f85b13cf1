"""The Excel import framework: cell parsers, header matching, file errors, row numbers, templates."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from linli.core import excel_import as xl
from linli.core.excel_import import CellError, ImportFileError

VALID_ID = "530102198503150018"

SPEC = xl.SheetSpec(
    "名单",
    (
        xl.Column("name", "姓名", xl.text(4), required=True, example="张三"),
        xl.Column("id_number", "身份证号", xl.id_number, required=True, sensitive=True, example=VALID_ID),
        xl.Column("phone", "手机号", xl.phone, aliases=("联系电话",), sensitive=True),
        xl.Column("day", "日期", xl.parse_date),
        xl.Column("kind", "类别", xl.choice([("a", "正式党员"), ("b", "预备党员")], aliases={"正式": "a"})),
        xl.Column("flag", "是否困难", xl.parse_bool),
    ),
)


def xlsx(*rows, title="名单", start_row=1) -> io.BytesIO:
    """A workbook whose rows start at `start_row`; a row of None stays blank in the sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for offset, row in enumerate(rows):
        for column, value in enumerate(row or (), start=1):
            if value is not None:
                sheet.cell(row=start_row + offset, column=column, value=value)
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


def parse_error(parser, value) -> str:
    with pytest.raises(CellError) as caught:
        parser(value)
    return str(caught.value)


def file_error(upload, **kwargs) -> str:
    with pytest.raises(ImportFileError) as caught:
        xl.read_sheet(upload, SPEC, **kwargs)
    return caught.value.messages[0]


# --- parsers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "2024-07-01",
        "2024/7/1",
        "2024.7.1",
        "2024年7月1日",
        "2024年07月01日",
        "20240701",
        20240701,
        "２０２４年７月１日",
        " 2024 - 7 - 1 ",
        "2024-07-01 00:00:00",
        45474,
        45474.0,
        datetime.datetime(2024, 7, 1, 0, 0),
        datetime.date(2024, 7, 1),
    ],
)
def test_dates_are_read_in_every_form_chinese_users_type(typed):
    assert xl.parse_date(typed) == datetime.date(2024, 7, 1)


def test_an_unreadable_date_says_how_to_write_it():
    assert parse_error(xl.parse_date, "七月一日") == (
        "无法识别的日期「七月一日」，请写成 2024-07-01、2024/7/1、2024.7.1、2024年7月1日 或 20240701。"
    )
    assert parse_error(xl.parse_date, "2024-07").startswith("无法识别的日期「2024-07」")


def test_a_date_that_does_not_exist_is_named():
    assert parse_error(xl.parse_date, "2023年2月30日") == "日期「2023年2月30日」不存在。"
    assert parse_error(xl.parse_date, 20231340) == "日期「20231340」不存在。"


def test_dates_before_1900_are_refused():
    assert parse_error(xl.parse_date, "1899-12-31") == "日期「1899-12-31」早于1900年，请核对。"


@pytest.mark.parametrize(
    ("typed", "expected"), [("是", True), ("否", False), ("Y", True), ("n", False), (True, True)]
)
def test_booleans_read_shi_and_fou(typed, expected):
    assert xl.parse_bool(typed) is expected


def test_label_matching_tells_true_from_one():
    assert (xl.normalize_label(True), xl.normalize_label(1), xl.normalize_label(1.0)) == ("是", "1", "1")


def test_a_bad_boolean_asks_for_shi_or_fou():
    assert parse_error(xl.parse_bool, "可能") == "请填写「是」或「否」，不能填「可能」。"


def test_choices_are_read_by_chinese_label_or_alias_ignoring_spaces_and_width():
    kind = SPEC.column("kind").parser
    assert (kind("预备党员"), kind(" 正式 党员 "), kind("正式")) == ("b", "a", "a")
    assert parse_error(kind, "党员") == "「党员」不是可选的值，可选：正式党员、预备党员。"


def test_text_longer_than_allowed_is_refused_with_its_length():
    assert parse_error(xl.text(4), "欧阳娜娜娜") == "不能超过4个字，实际5个字。"
    assert xl.text()(101.0) == "101"


def test_text_lists_split_on_chinese_and_latin_separators():
    assert xl.text_list()("低保、独居老人,残疾，低保") == ["低保", "独居老人", "残疾"]


def test_id_numbers_are_checked_and_numeric_cells_get_a_hint():
    assert xl.id_number(VALID_ID).birth_date == datetime.date(1985, 3, 15)
    assert xl.id_number(int(VALID_ID)).number == VALID_ID
    assert parse_error(xl.id_number, "530102198503150019") == "身份证号校验位错误。"
    assert parse_error(xl.id_number, 530102198503150019) == (
        "身份证号校验位错误（该单元格是数字格式，Excel只保留15位有效数字；请把该列设为「文本」格式后重新填写）。"
    )
    assert parse_error(xl.id_number, 5.301021985031501e17) == (
        "身份证号被Excel存成了数字，后几位已丢失（该单元格是数字格式，Excel只保留15位有效数字；"
        "请把该列设为「文本」格式后重新填写）。"
    )


def test_phones_are_normalised_and_numeric_cells_accepted():
    assert xl.phone(13800138000) == "13800138000"
    assert xl.phone("+86 138-0013-8000") == "13800138000"
    assert parse_error(xl.phone, "12345") == "电话号码格式不正确：手机号为11位数字，固话如 0871-12345678。"


# --- sheets ------------------------------------------------------------------------------------


def test_headers_match_despite_spaces_full_width_marks_and_notes():
    upload = xlsx(
        ["姓 名*", "身份证号（必填）", "联系电话", "　日期", "备注"],
        ["张三", VALID_ID, "13800138000", "2024/7/1", "x"],
    )
    sheet = xl.read_sheet(upload, SPEC)
    assert sheet.present == {"name", "id_number", "phone", "day"}
    assert sheet.ignored_headers == ["备注"]
    assert sheet.rows[0].values["day"] == datetime.date(2024, 7, 1)
    assert sheet.rows[0].values["kind"] is None  # an optional column that is absent


def test_row_numbers_are_those_excel_shows_with_a_title_row_and_blank_rows():
    upload = xlsx(
        ["复兴社区名单"],
        ["姓名", "身份证号"],
        ["张三", VALID_ID],
        None,
        ["李四", "123"],
        start_row=2,
    )
    sheet = xl.read_sheet(upload, SPEC)
    assert sheet.header_row == 3
    assert [r.number for r in sheet.rows] == [4, 6]
    assert [e.as_dict() for e in sheet.errors] == [
        {"row": 6, "column": "身份证号", "message": "身份证号应为18位，实际为3位。", "value": "***"}
    ]


def test_every_bad_cell_of_every_row_is_reported_and_sensitive_values_masked():
    upload = xlsx(
        ["姓名", "身份证号", "手机号", "日期"],
        [None, "530102198503150019", "1380013800", "2024-02-30"],
        ["王五", VALID_ID, "13800138000", "2024-07-01"],
    )
    sheet = xl.read_sheet(upload, SPEC)
    assert [(e.row, e.column, e.message, e.value) for e in sheet.errors] == [
        (2, "姓名", "姓名不能为空。", ""),
        (2, "身份证号", "身份证号校验位错误。", "530102********0019"),
        (2, "手机号", "电话号码格式不正确：手机号为11位数字，固话如 0871-12345678。", "******3800"),
        (2, "日期", "日期「2024-02-30」不存在。", "2024-02-30"),
    ]
    assert [r.number for r in sheet.good_rows] == [3]


def test_the_template_example_row_is_skipped_and_counted():
    upload = xlsx(["姓名", "身份证号"], ["示例张三", "bad"], ["张三", VALID_ID])
    sheet = xl.read_sheet(upload, SPEC)
    assert (sheet.skipped_examples, [r.number for r in sheet.rows], len(sheet.errors)) == (1, [3], 0)


def test_the_sheet_named_in_the_spec_is_read_before_the_first_sheet():
    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active["A1"] = "请看第二页"
    sheet = workbook.create_sheet("名单")
    sheet.append(["姓名", "身份证号"])
    sheet.append(["张三", VALID_ID])
    output = io.BytesIO()
    workbook.save(output)
    assert [r.values["name"] for r in xl.read_sheet(output, SPEC).rows] == ["张三"]


def test_a_missing_required_column_is_named():
    assert file_error(xlsx(["姓名", "手机号"], ["张三", "13800138000"])) == (
        "缺少必填列：身份证号。请使用下载的模板填写。"
    )


def test_a_column_given_twice_is_refused():
    upload = xlsx(["姓名", "身份证号", "姓名"], ["张三", VALID_ID, "张三"])
    assert file_error(upload) == "「姓名」列出现了两次（第A列和第C列），请删去一列。"


def test_a_sheet_without_a_recognisable_header_is_refused():
    assert file_error(xlsx(["甲", "乙"], ["1", "2"])) == (
        "在前10行中没有找到表头。表头应包含：姓名、身份证号等列，请使用下载的模板填写。"
    )


def test_files_that_are_not_xlsx_are_refused_in_chinese():
    assert file_error(io.BytesIO(b"name,id\n")) == "文件不是有效的Excel（.xlsx）文件，请使用下载的模板填写。"
    assert file_error(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)) == (
        "这是旧版Excel（.xls）文件，请在Excel或WPS中「另存为」.xlsx格式后再上传。"
    )
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "不是表格")
    assert file_error(broken) == "文件不是有效的Excel（.xlsx）文件，请使用下载的模板填写。"


def test_empty_files_sheets_and_header_only_sheets_are_refused():
    assert file_error(io.BytesIO(b"")) == "上传的文件是空的。"
    assert file_error(xlsx()) == "表格是空的，没有表头和数据。"
    assert file_error(xlsx(["姓名", "身份证号"], None, None)) == "表格中没有数据行（表头下面是空的）。"


def test_files_over_the_size_limit_are_refused():
    upload = xlsx(["姓名", "身份证号"], ["张三", VALID_ID])
    assert file_error(upload, max_bytes=1024) == "文件过大（0.0MB），上限为0MB，请分批导入。"


def test_more_rows_than_the_limit_are_refused():
    upload = xlsx(["姓名", "身份证号"], *[["张三", VALID_ID]] * 4)
    assert file_error(upload, max_rows=3) == "数据超过3行的上限，请分批导入。"


# --- templates ---------------------------------------------------------------------------------


def test_the_template_has_marked_headers_an_example_drop_downs_and_instructions():
    data = xl.build_template(SPEC, instructions=["名单填写说明"], options={"phone": ["13800138000"]})
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["名单", "填写说明", "可选值"]
    sheet = workbook["名单"]
    assert [c.value for c in sheet[1]] == ["姓名*", "身份证号*", "手机号", "日期", "类别", "是否困难"]
    assert [c.value for c in sheet[2]][:2] == ["示例张三", VALID_ID]
    assert sorted((str(v.sqref), v.formula1) for v in sheet.data_validations.dataValidation) == [
        ("C2:C5001", "'可选值'!$A$2:$A$2"),
        ("E2:E5001", "'可选值'!$B$2:$B$3"),
    ]
    assert [c.value for c in workbook["可选值"]["B"]] == ["类别", "正式党员", "预备党员"]
    guide = list(workbook["填写说明"].iter_rows(values_only=True))
    assert guide[0][0] == "名单填写说明"
    assert ("身份证号", "必填", None) in guide


def test_an_untouched_template_reads_back_as_having_no_data_rows():
    data = xl.build_template(SPEC, instructions=[])
    assert file_error(io.BytesIO(data)) == "表格中没有数据行（表头下面是空的）。"
