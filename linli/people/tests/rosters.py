"""Roster workbooks for import tests and the import benchmark: valid ID numbers, headers, rows in bulk."""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from linli.core.validators import id_check_digit

RESIDENT_HEADER = [
    "姓名", "身份证号", "手机号", "民族", "学历", "所属网格", "楼栋", "单元", "户号", "与户主关系", "户标签",
    "居住地址", "备注",
]  # fmt: skip
MEMBER_HEADER = [
    "姓名", "身份证号", "手机号", "民族", "学历", "所属网格", "所在党组织", "党员类别", "入党日期", "转正日期",
    "党员分类", "工作单位", "职务", "居住地址",
]  # fmt: skip

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅玉珍志德文斌波宇浩欣怡子涵雨轩"


def valid_id(birth: datetime.date, seq: int, region: str = "530102") -> str:
    """An 18-digit ID number with a correct check digit; `seq` (0–999) tells people born the same day apart."""
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_digit(first17)


def bad_checksum(number: str) -> str:
    """The same number with a wrong check digit."""
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def workbook_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "Sheet1") -> io.BytesIO:
    """An .xlsx in memory with `header` on row 1 and `rows` below (ID and phone cells stay text)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    output.name = "花名册.xlsx"
    return output


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def member_rows(
    count: int, *, grid: str, branch: str, seed: int = 1, region: str = "530102"
) -> list[list[Any]]:
    """`count` good member rows: distinct valid ID numbers, adults at joining, mixed date spellings."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=(i // 1000) * 7 + rng.randrange(5))
        join = datetime.date(birth.year + 25, 7, 1)
        rows.append(
            [
                _name(rng),
                valid_id(birth, i % 1000, region),
                f"139{rng.randrange(10**8):08d}",
                "汉族",
                rng.choice(("本科", "大专", "高中", "初中")),
                grid,
                branch,
                "正式党员",
                (f"{join:%Y-%m-%d}", f"{join.year}年{join.month}月{join.day}日", f"{join:%Y%m%d}")[i % 3],
                f"{join.year + 1}/7/1",
                rng.choice(("离退休", "在职", "下岗失业")),
                "",
                "",
                f"复兴路{i % 200 + 1}号",
            ]
        )
    return rows


def resident_rows(count: int, *, grid: str, seed: int = 1, region: str = "530102") -> list[list[Any]]:
    """`count` good resident rows, three people to a household (户主 first), some households tagged."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=(i // 1000) * 7 + rng.randrange(5))
        household = i // 3
        rows.append(
            [
                _name(rng),
                valid_id(birth, i % 1000, region),
                f"138{rng.randrange(10**8):08d}",
                "汉族",
                rng.choice(("本科", "大专", "高中", "初中")),
                grid,
                f"{household // 60 + 1}栋",
                f"{household // 20 % 3 + 1}单元",
                f"{household % 20 + 101}",
                ("户主", "配偶", "子女")[i % 3],
                "低保" if household % 10 == 0 else "",
                f"复兴路{household // 60 + 1}号",
                "",
            ]
        )
    return rows
