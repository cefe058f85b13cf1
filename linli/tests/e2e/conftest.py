"""End-to-end harness: a real server on a demo database, driven by Debian's Chromium through Playwright.

The server is started once per session as a separate process on a fresh SQLite file seeded with
`linli demo`, exactly what a community worker gets from `make demo`. Tests talk to it only through
the browser; `server.manage(...)` runs a management command against the same database when a test
needs to check what was (or was not) stored. Any request to a host other than the server fails the
test (NFR-2: no outside URL).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e is a browser test, selected by `-m e2e` and left out of `make test`."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@dataclass
class Server:
    url: str
    env: dict

    def manage(self, *args: str) -> str:
        """Run a management command against the server's database; returns its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def shell(self, code: str) -> str:
        """Run Python against the server's database; returns what it printed (no auto-import banner)."""
        return self.manage("shell", "--no-imports", "-c", code).strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    workdir = Path(tempfile.mkdtemp(prefix="linli-e2e-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.settings.dev",
        "LINLI_VAR_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # `demo` migrates the fresh database itself, then seeds it: one process instead of two.
    with open(workdir / "demo.log", "w") as demo_log:
        subprocess.run(
            [sys.executable, "manage.py", "demo"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=demo_log,
            stderr=subprocess.STDOUT,
        )
    port = _free_port()
    log = open(workdir / "server.log", "w")  # noqa: SIM115 -- closed after the session
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError((workdir / "server.log").read_text())
    yield Server(url=url, env=env)
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(
        base_url=server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    outside: list[str] = []

    def guard(route):
        if (
            route.request.url.startswith(server.url)
            or route.request.url.startswith("data:")
            or route.request.url.startswith("blob:")
        ):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
    assert outside == [], f"pages asked for outside URLs: {outside}"


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
