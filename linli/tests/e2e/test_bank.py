"""Points station in the browser: a worker credits a resident by code, the resident orders, the worker hands it over.

Also: the desk's camera reads a resident's card QR code (Chromium's fake camera plays a video of it).
"""

import re
import tempfile
from pathlib import Path

import segno
from playwright.sync_api import expect

from .conftest import CHROMIUM, CHROMIUM_ARGS, login

PASSWORD = "Linli@2026"


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)


def test_worker_credits_by_code_resident_orders_worker_hands_over_history_shows_both(page, server):
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions

    switch_to(page, "jumin_demo")
    page.goto("/bank/me/")
    code = page.get_by_test_id("short-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    switch_to(page, "shequ_fuxing")
    page.goto("/bank/desk/")
    page.get_by_label("储户码").fill(code.lower())
    page.get_by_role("button", name="查找储户").click()
    expect(page).to_have_url(re.compile(r"/bank/depositors/\d+/\?via=code$"))
    expect(page.get_by_text("已输入储户码")).to_be_visible()
    page.get_by_label("积分项目").select_option(label="社区活动（3分/次）")
    page.get_by_label("数量").first.fill("2")
    page.get_by_role("button", name="记入积分").click()
    expect(page.get_by_role("alert")).to_contain_text("记入6分（社区活动×2）")

    switch_to(page, "jumin_demo")
    page.goto("/bank/me/shop/")
    page.locator(".card", has_text="时令蔬菜一份").get_by_role("button", name="兑换").click()
    expect(page).to_have_url(re.compile(r"/bank/me/orders/$"))
    placed = page.get_by_role("alert").inner_text()
    number = re.search(r"DH\d{6}", placed).group(0)
    assert "时令蔬菜一份×1，扣5分" in placed

    switch_to(page, "shequ_fuxing")
    page.goto("/bank/orders/")
    row = page.get_by_role("row").filter(has_text=number)
    row.get_by_role("button", name="发放").click()
    expect(page.get_by_role("alert")).to_contain_text(f"订单{number}")
    expect(page.get_by_role("alert")).to_contain_text("已发放")

    switch_to(page, "jumin_demo")
    page.goto("/bank/me/history/")
    history = page.locator(".bank-movements")
    expect(history).to_contain_text("社区活动×2")
    expect(history).to_contain_text(f"兑换时令蔬菜一份×1（{number}）")
    page.goto("/bank/me/orders/")
    expect(page.locator(".list-group-item", has_text=number)).to_contain_text("已领取")
    assert "发现 0 处异常" in server.manage("ledger", "verify")


def _qr_video(text: str, path: Path, width: int = 640, height: int = 480, frames: int = 20) -> None:
    """A short Y4M video of a QR code, for Chromium's fake camera."""
    matrix = [list(row) for row in segno.make(text, error="m", micro=False).matrix_iter(scale=1, border=4)]
    scale = min(width, height) * 9 // 10 // len(matrix)
    left, top = (width - len(matrix) * scale) // 2, (height - len(matrix) * scale) // 2
    luma = bytearray([235]) * (width * height)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + r * scale + dy) * width + left + c * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 4)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_desk_camera_reads_a_residents_card(browser, server):
    token = server.shell(
        "from linli.bank.models import Depositor; from linli.bank.codes import card_token; "
        "d = Depositor.objects.get(person__user__username='jumin_demo'); print(card_token(d.pk, d.card_version))"
    ).splitlines()[-1]  # the shell may print a banner line first
    video = Path(tempfile.mkdtemp(prefix="linli-qr-")) / "card.y4m"
    _qr_video(token, video)
    camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    outside: list[str] = []
    # A browser of its own (same Playwright, same Chromium) whose camera plays the video.
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *camera])
    try:
        context = camera_browser.new_context(base_url=server.url, locale="zh-CN", permissions=["camera"])

        def guard(route):
            if route.request.url.startswith((server.url, "data:", "blob:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, "wangge_fuxing1", PASSWORD)
        page.goto("/bank/desk/")
        page.get_by_role("button", name="打开摄像头扫码").click()
        # Starting the camera and decoding its frames can take a while on a busy machine.
        expect(page).to_have_url(re.compile(r"/bank/depositors/\d+/\?via=card$"), timeout=20000)
        expect(page.get_by_text("已扫储户卡")).to_be_visible()
    finally:
        camera_browser.close()
    assert outside == []
