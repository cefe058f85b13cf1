"""An HTTP load on the production app server: gunicorn with two sync workers on 127.0.0.1, against the floor view.

How it runs:
- `collectstatic` with the benchmark settings first (production serves its static files through
  WhiteNoise's manifest; a missing or stale manifest would turn every page into a 500).
- gunicorn (`linli.wsgi`, `linli/bench/gunicorn_conf.py`: 2 sync workers, like a 2-core server) on a
  free port of 127.0.0.1 with `DJANGO_SETTINGS_MODULE=linli.settings.bench`: production settings,
  plain HTTP, the floor view mounted. It gets this process's database (`DATABASE_URL`, or the SQLite
  file as one), `LINLI_VAR_DIR`, and this process's SECRET_KEY, LINLI_FIELD_KEY and LINLI_HASH_KEY:
  the seeded personal data must decrypt, and the sessions made here must be valid there.
- Each page is requested as the real user of its role (`dangyuan_demo`, `shequ_fuxing`,
  `quwei_admin` of the seeded logins). Their sessions are made in this process with Django's
  SessionStore, exactly as `login()` fills one, and sent as the session cookie; they are deleted
  at the end. Logging in through the form would only add the password hasher's cost to set-up.
- The load: a bounded number of GETs per page (600 at full size, 60 quick) from 4 client threads,
  each with its own `http.client` connection (keep-alive is asked for; sync workers close after
  each response and the client reconnects, as a browser would). Pages are loaded in turn in rounds
  of a sixth of the requests, so a burst elsewhere on the machine hits every page alike. Every
  response must be 200, or the run fails. A few warm-up requests per page are not counted.
- Throughput is requests over the wall time the page's rounds took; latency is per request as the
  client saw it. The peak memory of each worker is its VmHWM (/proc/<pid>/status) after the load.
- gunicorn is always stopped (SIGTERM, then SIGKILL to its own process group after a grace period).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection

from .figures import Figure

FULL_REQUESTS, QUICK_REQUESTS = 600, 60
CONCURRENCY = 4
ROUNDS = 6
WARMUP = 8
START_TIMEOUT = 60
CONFIG = Path(__file__).with_name("gunicorn_conf.py")


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    kind: str
    path: str
    username: str


FLOOR = Target(
    "http:floor", "HTTP底线：登录+一次索引查询+最简模板", "floor", "/bench/floor/", "dangyuan_demo"
)
TARGETS = (
    FLOOR,
    Target(
        "http:points:my_points",
        "HTTP：党员本人积分页（dangyuan_demo）",
        "http",
        "/points/me/",
        "dangyuan_demo",
    ),
    Target(
        "http:people:member_list",
        "HTTP：社区党员名单（shequ_fuxing）",
        "http",
        "/people/members/",
        "shequ_fuxing",
    ),
    Target("http:reports:home", "HTTP：区级首页（quwei_admin）", "http", "/", "quwei_admin"),
)


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    wall_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def add(self, other: LoadResult) -> None:
        self.latencies_ms.extend(other.latencies_ms)
        self.wall_seconds += other.wall_seconds
        self.failures.extend(other.failures)

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_seconds if self.wall_seconds else 0.0


def load(
    host: str, port: int, path: str, *, requests: int, concurrency: int, headers: dict[str, str]
) -> LoadResult:
    """GET `path` `requests` times from `concurrency` threads, one connection each; every non-200 is a failure."""
    result = LoadResult()
    lock = threading.Lock()
    issued = 0

    def client() -> None:
        nonlocal issued
        conn = http.client.HTTPConnection(host, port, timeout=60)
        try:
            while True:
                with lock:
                    if issued >= requests:
                        return
                    issued += 1
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers={"Connection": "keep-alive", **headers})
                    response = conn.getresponse()
                    response.read()
                    status, location = response.status, response.getheader("Location", "")
                except (OSError, http.client.HTTPException) as error:
                    conn.close()
                    status, location = 0, f"{type(error).__name__}: {error}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    result.latencies_ms.append(elapsed)
                    if status != 200:
                        result.failures.append(f"{path} → {status} {location}".strip())
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_seconds = time.perf_counter() - started
    return result


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """The direct child processes of `pid` (gunicorn's workers, for its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces; the parent id follows its state.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"/proc/{pid}/status 中没有 VmHWM")


def server_environment() -> dict[str, str]:
    """The environment gunicorn runs in: this process's database, data directory and keys."""
    database = settings.DATABASES["default"]
    env = dict(os.environ)
    if database["ENGINE"].endswith("sqlite3"):
        name = str(database["NAME"])
        if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
            raise RuntimeError(
                "HTTP负载需要一个文件或服务器数据库；内存中的SQLite（测试数据库）无法被另一个进程打开。"
            )
        env["DATABASE_URL"] = f"sqlite:///{Path(name).resolve()}"
    elif "DATABASE_URL" not in os.environ:
        raise RuntimeError("请通过 DATABASE_URL 指定数据库，以便应用服务器连接同一个数据库。")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "linli.settings.bench",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "LINLI_FIELD_KEY": settings.LINLI_FIELD_KEY,
            "LINLI_HASH_KEY": settings.LINLI_HASH_KEY,
            "LINLI_VAR_DIR": str(settings.VAR_DIR),
            "LINLI_HTTPS": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def collect_static(env: dict[str, str], log: Callable[[str], None]) -> None:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"collectstatic 失败：{done.stderr[-2000:]}")
    log(f"HTTP：已收集静态文件（{time.perf_counter() - started:.1f}秒）。")


class Server:
    """gunicorn started in its own process group; `stop()` always leaves no process behind."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.port = port
        descriptor, name = tempfile.mkstemp(prefix="linli-bench-gunicorn-", suffix=".log")
        self.log_path = Path(name)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "linli.wsgi:application",
                "--config",
                str(CONFIG),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=descriptor,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.close(descriptor)  # gunicorn holds its own copy

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn 启动失败（退出码{self.process.returncode}）：\n{self.log_tail()}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                conn.getresponse().read()
                conn.close()
                return  # any answer means a worker is serving; the warm-up checks the pages themselves
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn 在{START_TIMEOUT}秒内未就绪：\n{self.log_tail()}")

    def workers(self) -> list[int]:
        return children_of(self.process.pid)

    def stop(self) -> None:
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=10)
            # Workers left behind by a killed master are in the same process group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        finally:
            self.log_path.unlink(missing_ok=True)


def session_cookies(usernames: set[str]) -> tuple[dict[str, str], list]:
    """A logged-in session per user, filled as `django.contrib.auth.login` fills one; cookie header by user."""
    from importlib import import_module

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    missing = sorted(usernames - set(users))
    if missing:
        raise RuntimeError(f"找不到演示账号：{'、'.join(missing)}（请先运行 linli seed）。")
    headers, stores = {}, []
    for username, user in users.items():
        store = store_class()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["linli_last_seen"] = int(time.time())
        store.save(must_create=True)
        stores.append(store)
        headers[username] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    return headers, stores


def run(*, quick: bool, log: Callable[[str], None]) -> list[Figure]:
    requests = QUICK_REQUESTS if quick else FULL_REQUESTS
    env = server_environment()
    cookies, stores = session_cookies({t.username for t in TARGETS})
    # The server must see the sessions: end any transaction of ours (autocommit has already written them).
    connection.close()
    results = {t.key: LoadResult() for t in TARGETS}
    peaks: dict[int, float] = {}
    try:
        collect_static(env, log)
        server = Server(env, free_port())
        try:
            server.wait_ready()
            log(
                f"HTTP：gunicorn 已在 127.0.0.1:{server.port} 启动（2个同步worker），每页{requests}次请求，并发{CONCURRENCY}……"
            )
            for target in TARGETS:
                warm = load(
                    "127.0.0.1",
                    server.port,
                    target.path,
                    requests=WARMUP,
                    concurrency=CONCURRENCY,
                    headers={"Cookie": cookies[target.username]},
                )
                if warm.failures:
                    raise RuntimeError(f"{target.key} 预热请求失败：{warm.failures[:3]}\n{server.log_tail()}")
            per_round = [requests // ROUNDS + (1 if i < requests % ROUNDS else 0) for i in range(ROUNDS)]
            for number, count in enumerate(per_round):
                # Alternate the order of pages between rounds, so none always follows the same one.
                order = TARGETS if number % 2 == 0 else TARGETS[::-1]
                for target in order:
                    results[target.key].add(
                        load(
                            "127.0.0.1",
                            server.port,
                            target.path,
                            requests=count,
                            concurrency=CONCURRENCY,
                            headers={"Cookie": cookies[target.username]},
                        )
                    )
            peaks = {pid: peak_memory_mb(pid) for pid in server.workers()}
            failed = {key: r.failures for key, r in results.items() if r.failures}
            if failed:
                details = "；".join(f"{key}: {len(f)}次失败，如 {f[0]}" for key, f in failed.items())
                raise RuntimeError(f"HTTP负载中有非200响应：{details}\n{server.log_tail()}")
        finally:
            server.stop()
    finally:
        for store in stores:
            store.delete()
    if not peaks:
        raise RuntimeError("没有找到 gunicorn 的 worker 进程，无法读取内存峰值。")

    worker_peak = round(max(peaks.values()), 1)
    floor = results[FLOOR.key]
    floor_ms = statistics.median(floor.latencies_ms)
    figures = []
    for target in TARGETS:
        result = results[target.key]
        is_floor = target is FLOOR
        figures.append(
            Figure.from_samples(
                target.key,
                target.label,
                target.kind,
                result.latencies_ms,
                floor_ms=None if is_floor else floor_ms,
                extra={
                    "throughput_rps": round(result.throughput, 1),
                    "floor_rps": round(floor.throughput, 1),
                    "throughput_ratio": round(result.throughput / floor.throughput, 3),
                    "requests": len(result.latencies_ms),
                    "concurrency": CONCURRENCY,
                    "workers": len(peaks),
                    "worker_peak_mb": worker_peak,
                    "workers_peak_mb": sorted(round(v, 1) for v in peaks.values()),
                    "user": target.username,
                    "path": target.path,
                },
            )
        )
    return figures


__all__ = ["TARGETS", "children_of", "load", "peak_memory_mb", "run"]
