"""Browser: a community worker uploads a member roster with bad rows, sees every row error, and nothing is imported."""

import datetime
import io
import json

from openpyxl import Workbook

from linli.core.validators import id_check_digit
from linli.tests.e2e.conftest import login

HEADER = [
    "姓名", "身份证号", "手机号", "民族", "学历", "所属网格", "所在党组织", "党员类别", "入党日期", "转正日期",
    "党员分类", "工作单位", "职务", "居住地址",
]  # fmt: skip
FACTS = """
import json
from linli.orgs.models import OrgNode, PartyOrg
from linli.people.models import ImportBatch, Member, Person
community = OrgNode.objects.get(kind="community", name="复兴社区")
grids = OrgNode.objects.filter(kind="grid", path__startswith=community.path, is_active=True).order_by("path")
branches = PartyOrg.objects.filter(node__path__startswith=community.path, kind="branch", is_active=True)
print(json.dumps({
    "grid": grids.values_list("name", flat=True).first(),
    "branch": branches.order_by("id").values_list("name", flat=True).first(),
    "persons": Person.objects.count(),
    "members": Member.objects.count(),
    "batches": list(ImportBatch.objects.values_list("status", flat=True)),
}, ensure_ascii=False))
"""


def facts(server) -> dict:
    return json.loads(server.shell(FACTS).splitlines()[-1])


def id_number(birth: datetime.date, seq: int) -> str:
    first17 = f"110101{birth:%Y%m%d}{seq:03d}"  # 北京东城: far from the demo district's own numbers
    return first17 + id_check_digit(first17)


def roster(grid: str, branch: str) -> bytes:
    def row(name, number, *, grid=grid, branch=branch, joined="2001-07-01"):
        return [
            name,
            number,
            "13900001111",
            "汉族",
            "本科",
            grid,
            branch,
            "正式党员",
            joined,
            "",
            "离退休",
            "",
            "",
            "",
        ]

    good = id_number(datetime.date(1961, 3, 9), 901)
    twin = id_number(datetime.date(1962, 4, 10), 902)
    bad = id_number(datetime.date(1963, 5, 11), 903)
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员花名册"
    for values in [
        HEADER,
        row("钱正清", good),  # 2: fine
        row("孙校验", bad),  # 3: wrong check digit
        row("周重复", twin),  # 4: same ID as row 5
        row("吴重复", twin),  # 5
        row("郑网格", id_number(datetime.date(1964, 6, 12), 904), grid="火星第九网格"),  # 6
        row("冯支部", id_number(datetime.date(1965, 7, 13), 905), branch="不存在的党支部"),  # 7
        row("陈日期", id_number(datetime.date(1966, 8, 14), 906), joined="去年七一"),  # 8
    ]:
        sheet.append(values)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_a_roster_with_bad_rows_lists_every_row_error_and_imports_nothing(page, server):
    before = facts(server)
    assert before["grid"] and before["branch"], before

    login(page, "shequ_fuxing", "Linli@2026")
    page.goto("/people/import/")
    page.get_by_label("党员花名册").check()
    page.get_by_label("Excel文件（.xlsx）").set_input_files(
        files=[
            {
                "name": "党员花名册.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": roster(before["grid"], before["branch"]),
            }
        ]
    )
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_url("**/people/import/*/")

    errors = page.locator("#import-errors tbody tr")
    assert [errors.nth(i).inner_text().split("\t") for i in range(errors.count())] == [
        ["第3行", "身份证号", "110101********9030", "身份证号校验位错误。"],
        ["第4行", "身份证号", "110101********902X", "身份证号与第5行重复。"],
        ["第5行", "身份证号", "110101********902X", "身份证号与第4行重复。"],
        ["第6行", "所属网格", "火星第九网格", "本辖区内没有名为「火星第九网格」的网格。"],
        ["第7行", "所在党组织", "不存在的党支部", "本辖区内没有名为「不存在的党支部」的党组织。"],
        [
            "第8行",
            "入党日期",
            "去年七一",
            "无法识别的日期「去年七一」，请写成 2024-07-01、2024/7/1、2024.7.1、2024年7月1日 或 20240701。",
        ],
    ]
    counts = page.locator("#import-counts")
    assert counts.inner_text().split() == ["7", "数据行", "1", "无误行", "6", "有误行", "6", "错误条数"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").filter(has_text="按规定整批不导入").is_visible()

    after = facts(server)
    assert (after["persons"], after["members"]) == (before["persons"], before["members"])
    assert after["batches"] == [*before["batches"], "draft"]
