"""Reading Excel (.xlsx) uploads row by row with Chinese headers, typed cell parsers and row-level errors.

An importer declares its sheet once as a `SheetSpec` of `Column`s; `read_sheet` streams the upload
with openpyxl (read-only, cached values), finds the header row by the Chinese column names, runs
each cell through its column's parser and collects every problem as a `RowError` (row number as
Excel shows it, column, reason in Chinese). Problems with the file itself raise `ImportFileError`.
`build_template` writes the matching template workbook. Nothing here knows about people: the
roster, bank and points catalogues all build on it.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from .pii import mask_id_number, mask_phone
from .validators import IdNumber, normalize_phone, parse_id_number

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 10
TEMPLATE_VALIDATION_ROWS = 5000


class ImportFileError(ValidationError):
    """The upload cannot be read as a sheet at all (not .xlsx, empty, too large, required column missing)."""


class CellError(Exception):
    """Raised by a parser: the message says in Chinese what is wrong with this one cell."""


# ---------------------------------------------------------------------------------------------
# Cell parsers. Each takes the raw value openpyxl gives (str, int, float, datetime, bool) that is
# not blank, and returns the typed value or raises CellError.


def cell_text(value: Any) -> str:
    """The cell as text the way a user sees it: 101 not 101.0, dates as 2024-07-01."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=8192, typed=True)  # values repeat down a column; typed: True and 1 read differently
def normalize_label(text: Any) -> str:
    """For matching what users type against names: full-width → half-width, no spaces, latin casefolded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(text))).casefold()


def text(max_length: int | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        result = cell_text(value)
        if max_length is not None and len(result) > max_length:
            raise CellError(f"不能超过{max_length}个字，实际{len(result)}个字。")
        return result

    return parse


def text_list(separators: str = "、,，;；") -> Callable[[Any], list[str]]:
    """Several values in one cell, separated by 、 or a comma (full-width or not); blanks dropped."""
    pattern = re.compile("[" + re.escape(separators) + r"\s]+")

    def parse(value: Any) -> list[str]:
        items: list[str] = []
        for item in pattern.split(cell_text(value)):
            if item and item not in items:
                items.append(item)
        return items

    return parse


_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DATE_HINT = "请写成 2024-07-01、2024/7/1、2024.7.1、2024年7月1日 或 20240701。"


def _make_date(year: int, month: int, day: int, shown: str) -> datetime.date:
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"日期「{shown}」不存在。") from None
    if result.year < 1900:
        raise CellError(f"日期「{shown}」早于1900年，请核对。")
    return result


def parse_date(value: Any) -> datetime.date:
    """Dates as Chinese users type them, Excel date cells, Excel serial numbers and 20240701."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"无法识别的日期「{cell_text(value)}」，{DATE_HINT}")
    if isinstance(value, int | float):
        if isinstance(value, int) or value.is_integer():
            number = int(value)
            match = _DATE_DIGITS.match(str(number))
            if match:
                return _make_date(*map(int, match.groups()), shown=str(number))
        if 1 <= value < 2958466:  # Excel's serial range (1900-01-01 … 9999-12-31)
            return from_excel(value).date()
        raise CellError(f"无法识别的日期「{cell_text(value)}」，{DATE_HINT}")
    shown = cell_text(value)
    normal = unicodedata.normalize("NFKC", shown).strip()
    match = _DATE_TEXT.match(normal) or _DATE_DIGITS.match(normal)
    if not match:
        raise CellError(f"无法识别的日期「{shown}」，{DATE_HINT}")
    return _make_date(*map(int, match.groups()), shown=shown)


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无"}


def parse_bool(value: Any) -> bool:
    """是/否 (also Y/N, √/×, 1/0, and Excel TRUE/FALSE)."""
    if isinstance(value, bool):
        return value
    key = normalize_label(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(f"请填写「是」或「否」，不能填「{cell_text(value)}」。")


def choice(options: Iterable[tuple[Any, str]], aliases: dict[str, Any] | None = None) -> Callable[[Any], Any]:
    """A value chosen by its Chinese label (`TextChoices.choices` fits); aliases map other spellings."""
    options = list(options)
    lookup = {normalize_label(label): value for value, label in options}
    for alias, value in (aliases or {}).items():
        lookup.setdefault(normalize_label(alias), value)
    listed = "、".join(label for _, label in options)

    def parse(value: Any) -> Any:
        key = normalize_label(value)
        if key in lookup:
            return lookup[key]
        raise CellError(f"「{cell_text(value)}」不是可选的值，可选：{listed}。")

    parse.labels = tuple(label for _, label in options)  # type: ignore[attr-defined]
    return parse


_EXCEL_NUMBER_HINT = "（该单元格是数字格式，Excel只保留15位有效数字；请把该列设为「文本」格式后重新填写）"


def id_number(value: Any) -> IdNumber:
    """A 身份证号 checked by GB 11643; numeric cells get a hint, since Excel drops digits after the 15th."""
    if isinstance(value, float):
        raise CellError("身份证号被Excel存成了数字，后几位已丢失" + _EXCEL_NUMBER_HINT + "。")
    numeric = isinstance(value, int) and not isinstance(value, bool)
    try:
        return parse_id_number(cell_text(value))
    except ValidationError as error:
        message = error.messages[0]
        if numeric:
            message = message.rstrip("。") + _EXCEL_NUMBER_HINT + "。"
        raise CellError(message) from None


def phone(value: Any) -> str:
    """A mobile or landline number, normalised (spaces, dashes in mobiles and +86 removed)."""
    try:
        return normalize_phone(cell_text(value))
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


# ---------------------------------------------------------------------------------------------
# Sheets, columns and errors.


def mask_text(value: str) -> str:
    return mask_id_number(value) if len(value) >= 15 else mask_phone(value)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Chinese header, how its cells are read, and how the template shows it.

    required: the column must be present and every row must fill it.
    sensitive: values are masked wherever they are echoed back (error lists, previews).
    The template offers a drop-down list when the parser is a `choice(...)` (its labels).
    """

    key: str
    label: str
    parser: Callable[[Any], Any] = field(default=text())
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: Any = ""
    sensitive: bool = False
    width: int = 14
    text_format: bool = False  # the template formats the column as text (ID numbers, phones)

    def labels(self) -> list[str]:
        return [self.label, *self.aliases]


@dataclass(frozen=True)
class SheetSpec:
    title: str
    columns: tuple[Column, ...]
    example_prefix: str = "示例"  # rows whose first cell starts with this are the template's example

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message, "value": self.value}


class RowErrors:
    """Every problem found, by row; a row with any problem is a bad row."""

    def __init__(self) -> None:
        self._by_row: dict[int, list[RowError]] = {}

    @property
    def bad_rows(self) -> set[int]:
        return set(self._by_row)

    def add(self, row: int, column: str, message: str, value: str = "") -> None:
        self._by_row.setdefault(row, []).append(RowError(row, column, message, value))

    def has(self, row: int) -> bool:
        return row in self._by_row

    def for_row(self, row: int) -> list[RowError]:
        return list(self._by_row.get(row, ()))

    def __len__(self) -> int:
        return sum(len(errors) for errors in self._by_row.values())

    def __iter__(self) -> Iterator[RowError]:
        return iter(self.sorted())

    def sorted(self) -> list[RowError]:
        """By row; within a row in the order found (cells left to right, then checks across rows)."""
        return [error for row in sorted(self._by_row) for error in self._by_row[row]]

    def as_json(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.sorted()]


@dataclass
class ParsedRow:
    number: int  # as Excel shows it
    values: dict[str, Any]  # column key → parsed value; None when blank, absent or unreadable
    cells: dict[str, Any]  # column key → the cell as given; blank cells left out
    sensitive: frozenset[str] = frozenset()

    def filled(self, key: str) -> bool:
        return key in self.cells

    def shown(self, key: str) -> str:
        """The cell as the user typed it, for echoing back in errors and previews; sensitive ones masked."""
        if key not in self.cells:
            return ""
        shown = cell_text(self.cells[key])
        return mask_text(shown) if key in self.sensitive else shown


@dataclass
class ParsedSheet:
    header_row: int
    present: frozenset[str]
    ignored_headers: list[str]
    rows: list[ParsedRow]
    errors: RowErrors
    skipped_examples: int = 0

    @property
    def good_rows(self) -> list[ParsedRow]:
        return [r for r in self.rows if not self.errors.has(r.number)]


def _header_key(text_value: Any) -> str:
    """姓名* / 姓 名 / 入党日期（必填） / ＩＤ all match their plain label."""
    key = normalize_label(text_value).strip("*＊")
    key = re.sub(r"[(（][^()（）]*[)）]$", "", key)
    return key.strip("*＊")


def _file_size(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is not None:
        return int(size)
    position = upload.tell()
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(position)
    return size


def _open_workbook(upload: IO[bytes], max_bytes: int):
    size = _file_size(upload)
    if size == 0:
        raise ImportFileError("上传的文件是空的。", code="empty")
    if size > max_bytes:
        raise ImportFileError(
            f"文件过大（{size / 1024 / 1024:.1f}MB），上限为{max_bytes / 1024 / 1024:.0f}MB，请分批导入。",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "这是旧版Excel（.xls）文件，请在Excel或WPS中「另存为」.xlsx格式后再上传。", code="xls"
        )
    if not zipfile.is_zipfile(upload):
        raise ImportFileError("文件不是有效的Excel（.xlsx）文件，请使用下载的模板填写。", code="invalid")
    upload.seek(0)
    try:
        return load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken or foreign zip
        raise ImportFileError(
            "文件不是有效的Excel（.xlsx）文件，请使用下载的模板填写。", code="invalid"
        ) from None


def _find_header(rows: Iterator[tuple[Any, ...]], spec: SheetSpec) -> tuple[int, tuple[Any, ...]]:
    """The header is the first of the top rows naming at least two known columns (a title row may sit above)."""
    known = {_header_key(label) for col in spec.columns for label in col.labels()}
    seen: list[tuple[Any, ...]] = []
    for number in range(1, HEADER_SEARCH_ROWS + 1):
        try:
            row = next(rows)
        except StopIteration:
            break
        seen.append(row)
        matches = sum(1 for cell in row if not is_blank(cell) and _header_key(cell) in known)
        if matches >= min(2, len(spec.columns)):
            return number, row
    if not any(any(not is_blank(c) for c in row) for row in seen):
        raise ImportFileError("表格是空的，没有表头和数据。", code="empty")
    required = "、".join(c.label for c in spec.columns if c.required)
    raise ImportFileError(
        f"在前{HEADER_SEARCH_ROWS}行中没有找到表头。表头应包含：{required}等列，请使用下载的模板填写。",
        code="no_header",
    )


def _map_header(header: tuple[Any, ...], spec: SheetSpec) -> tuple[dict[int, Column], list[str]]:
    by_label = {_header_key(label): col for col in spec.columns for label in col.labels()}
    positions: dict[int, Column] = {}
    first_seen: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        col = by_label.get(_header_key(cell))
        if col is None:
            ignored.append(cell_text(cell))
            continue
        if col.key in first_seen:
            first, second = get_column_letter(first_seen[col.key] + 1), get_column_letter(index + 1)
            raise ImportFileError(
                f"「{col.label}」列出现了两次（第{first}列和第{second}列），请删去一列。",
                code="duplicate_column",
            )
        first_seen[col.key] = index
        positions[index] = col
    missing = [c.label for c in spec.columns if c.required and c.key not in first_seen]
    if missing:
        raise ImportFileError(
            f"缺少必填列：{'、'.join(missing)}。请使用下载的模板填写。", code="missing_column"
        )
    return positions, ignored


def read_sheet(
    upload: IO[bytes],
    spec: SheetSpec,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ParsedSheet:
    """Read the sheet titled `spec.title` (or the first sheet) of an .xlsx upload.

    Blank rows are skipped; rows whose first column starts with the example prefix are the
    template's example and are skipped and counted. Every cell goes through its column's parser;
    a problem becomes a RowError and the value None. Raises ImportFileError for the file itself.
    """
    workbook = _open_workbook(upload, max_bytes)
    try:
        sheet = workbook[spec.title] if spec.title in workbook.sheetnames else workbook.worksheets[0]
        # Some programs write a wrong <dimension>; without this openpyxl would cut rows short.
        sheet.reset_dimensions()
        try:
            return _read_rows(sheet.iter_rows(values_only=True), spec, max_rows)
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError("文件内容已损坏，无法读取，请重新保存后上传。", code="corrupt") from None
    finally:
        workbook.close()


def _read_rows(rows: Iterator[tuple[Any, ...]], spec: SheetSpec, max_rows: int) -> ParsedSheet:
    header_row, header = _find_header(rows, spec)
    positions, ignored = _map_header(header, spec)
    present = [col for _, col in sorted(positions.items())]
    where = [(index, col.key) for index, col in sorted(positions.items())]
    sensitive = frozenset(col.key for col in present if col.sensitive)
    all_blank = dict.fromkeys((c.key for c in spec.columns), None)
    first_key = spec.columns[0].key
    errors = RowErrors()
    parsed: list[ParsedRow] = []
    skipped = 0
    number = header_row
    # The hot loop of every import: one pass per row, cells kept as given, text made only when echoed.
    for row in rows:
        number += 1
        width = len(row)
        cells: dict[str, Any] = {}
        for index, key in where:
            if index < width:
                value = row[index]
                if value is not None and not (type(value) is str and not value.strip()):
                    cells[key] = value
        if not cells:
            continue
        if spec.example_prefix and cell_text(cells.get(first_key, "")).startswith(spec.example_prefix):
            skipped += 1
            continue
        parsed_row = ParsedRow(number, dict(all_blank), cells, sensitive)
        values = parsed_row.values
        for col in present:
            if col.key not in cells:
                if col.required:
                    errors.add(number, col.label, f"{col.label}不能为空。")
                continue
            try:
                values[col.key] = col.parser(cells[col.key])
            except CellError as error:
                errors.add(number, col.label, str(error), parsed_row.shown(col.key))
        parsed.append(parsed_row)
        if len(parsed) > max_rows:
            raise ImportFileError(f"数据超过{max_rows}行的上限，请分批导入。", code="too_many_rows")
    if not parsed:
        raise ImportFileError("表格中没有数据行（表头下面是空的）。", code="no_rows")
    return ParsedSheet(
        header_row=header_row,
        present=frozenset(col.key for col in present),
        ignored_headers=ignored,
        rows=parsed,
        errors=errors,
        skipped_examples=skipped,
    )


# ---------------------------------------------------------------------------------------------
# Templates.

_HEADER_FILL = PatternFill("solid", fgColor="FDE2E2")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FONT = Font(bold=True)
_EXAMPLE_FONT = Font(italic=True, color="808080")


def build_template(
    spec: SheetSpec,
    *,
    instructions: Sequence[str] = (),
    options: dict[str, Sequence[str]] | None = None,
    example: bool = True,
) -> bytes:
    """An .xlsx template: the header row (required columns marked *), one example row, drop-down lists
    for choice columns, and a 填写说明 sheet in Chinese. `options` adds lists known only at run time
    (the grids of the user's community…) keyed by column key; they go on a 可选值 sheet."""
    options = dict(options or {})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.title
    guide = workbook.create_sheet("填写说明")
    lists = workbook.create_sheet("可选值")

    list_columns = 0
    list_ranges: dict[str, str] = {}
    for col in spec.columns:
        values = list(options.get(col.key) or getattr(col.parser, "labels", ()))
        if not values:
            continue
        list_columns += 1
        letter = get_column_letter(list_columns)
        lists.cell(row=1, column=list_columns, value=col.label).font = _HEADER_FONT
        for offset, value in enumerate(values, start=2):
            lists.cell(row=offset, column=list_columns, value=value)
        lists.column_dimensions[letter].width = max(12, min(40, max(len(str(v)) for v in values) * 2 + 2))
        list_ranges[col.key] = f"'可选值'!${letter}$2:${letter}${len(values) + 1}"

    for index, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=f"{col.label}*" if col.required else col.label)
        cell.font = _REQUIRED_FONT if col.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[letter].width = col.width
        if example:
            sample = col.example
            if index == 1 and spec.example_prefix:
                sample = f"{spec.example_prefix}{sample}"
            cell = sheet.cell(row=2, column=index, value=sample if sample != "" else None)
            cell.font = _EXAMPLE_FONT
        if col.text_format:
            for row in range(2, TEMPLATE_VALIDATION_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if col.key in list_ranges:
            validation = DataValidation(
                type="list",
                formula1=list_ranges[col.key],
                allow_blank=not col.required,
                showErrorMessage=True,
                # a warning, not a stop: parsers also accept other spellings and full paths
                errorStyle="warning",
                errorTitle="请核对",
                error=f"「{col.label}」建议从下拉列表中选择；其他写法以导入预览的检查结果为准。",
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_VALIDATION_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 70
    line = 1
    for note in instructions:
        guide.cell(row=line, column=1, value=note)
        line += 1
    if example and spec.example_prefix:
        guide.cell(
            row=line,
            column=1,
            value=f"第2行是示例（姓名以「{spec.example_prefix}」开头），导入时自动跳过，可以保留也可以删除。",
        )
        line += 1
    line += 1
    for col_index, title in enumerate(("列名", "是否必填", "填写要求"), start=1):
        guide.cell(row=line, column=col_index, value=title).font = _HEADER_FONT
    for col in spec.columns:
        line += 1
        guide.cell(row=line, column=1, value=col.label)
        guide.cell(row=line, column=2, value="必填" if col.required else "选填")
        note = col.help
        if col.key in list_ranges:
            note = (note + " " if note else "") + "可从下拉列表选择（见「可选值」工作表）。"
        guide.cell(row=line, column=3, value=note).alignment = Alignment(wrap_text=True)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
