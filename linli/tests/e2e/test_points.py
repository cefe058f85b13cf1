"""One member's path through the points year in the browser (PTS-2): self-report with evidence → the
community approves it in the review queue → the points appear on the member's page."""

import re
import struct
import zlib

from playwright.sync_api import expect

from .conftest import login

PASSWORD = "Linli@2026"
ITEM = "思想政治｜撰写学习心得体会（每次加2分，全年累计不超过8分）"
DESCRIPTION = "学习党的二十届三中全会精神，撰写心得体会一篇（浏览器测试）"


def png() -> bytes:
    raw = b"".join(b"\x00" + b"\xc8\x16\x1d" * 4 for _ in range(4))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("networkidle")


def total(page) -> int:
    page.goto("/points/me/")
    return int(re.match(r"-?\d+", page.get_by_test_id("points-total").inner_text()).group())


def test_self_report_with_evidence_is_approved_and_appears_on_the_member_page(page, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    evidence = tmp_path / "学习心得.png"
    evidence.write_bytes(png())

    login(page, "dangyuan_demo", PASSWORD)
    before = total(page)
    page.get_by_test_id("self-report").click()
    page.get_by_label("积分项目").select_option(label=ITEM)
    page.get_by_label("事项说明").fill(DESCRIPTION)
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交「撰写学习心得体会」，等待社区党组织初评。")
    expect(page.get_by_text("待初评的申报")).to_be_visible()
    assert total(page) == before
    logout(page)

    login(page, "shequ_fuxing", PASSWORD)
    page.goto("/points/review/")
    row = page.locator("tr", has_text=DESCRIPTION[:20])
    expect(row.locator("a[href^='/points/evidence/']")).to_have_count(1)
    row.locator("input[name=claims]").check()
    page.get_by_label("批量操作（勾选的申报）").select_option(label="通过")
    page.get_by_role("button", name="执行").click()
    expect(page.get_by_role("alert")).to_contain_text("已通过1条申报。")
    logout(page)

    login(page, "dangyuan_demo", PASSWORD)
    assert total(page) == before + 2
    expect(page.get_by_test_id("entries")).to_contain_text("撰写学习心得体会")
    expect(page.get_by_test_id("entries").locator(".list-group-item").first).to_contain_text("+2")
