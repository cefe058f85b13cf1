"""Time every page and API endpoint in-process, through the full middleware stack, against the floor view.

Each bench case (linli/bench/cases.py) is requested with `django.test.Client` as its user (logged in
once per user), with `ROOT_URLCONF = "linli.bench.urls"` and DEBUG off: a few warm-ups, then timed
requests (median and p95), then one more request under `CaptureQueriesContext` for the query count,
so counting never slows the timed ones. The floor view is timed the same way several times through
the run; every page's ratio is to the median of those floor runs.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from .cases import BENCH_CASES, BenchData, BenchRequest, load_cases
from .figures import Figure, percentile

FLOOR_URL = "/bench/floor/"
FLOOR_USER = "shequ_fuxing"


@dataclass(frozen=True)
class Rounds:
    warmups: int
    timed: int
    exports: int  # timed requests for an export (a whole workbook per request)
    floor_every: int  # cases between two floor runs


FULL = Rounds(warmups=3, timed=30, exports=10, floor_every=15)
QUICK = Rounds(warmups=1, timed=5, exports=3, floor_every=40)


class PagesFailed(Exception):
    """Some pages did not answer 200 (or their data was missing); the figures of the others are kept."""

    def __init__(self, failures: list[str], figures: list[Figure]):
        super().__init__("以下页面未能测量：\n" + "\n".join(f"  - {line}" for line in failures))
        self.failures = failures
        self.figures = figures


@dataclass
class _Timer:
    clients: dict[str | None, Client] = field(default_factory=dict)

    def client(self, user) -> Client:
        key = user.get_username() if user is not None else None
        if key not in self.clients:
            client = Client()
            if user is not None:
                client.force_login(user)
            self.clients[key] = client
        return self.clients[key]

    def get(self, request: BenchRequest) -> tuple[int, float]:
        """One request; the body is read in full (streamed exports too) inside the timing."""
        client = self.client(request.user)
        started = time.perf_counter()
        response = client.get(request.url, follow=request.follow)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        else:
            _ = response.content
        elapsed = (time.perf_counter() - started) * 1000
        response.close()
        return response.status_code, elapsed

    def queries(self, request: BenchRequest) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.get(request)
        return len(captured.captured_queries)

    def measure(self, request: BenchRequest, *, warmups: int, timed: int) -> tuple[list[float], int]:
        """Warm-ups (the first must answer 200), timed samples, then the query count."""
        for _ in range(warmups):
            status, _ = self.get(request)
            if status != 200:
                raise AssertionError(
                    f"{request.url} 以 {request.user or '未登录访客'} 访问返回 {status}，应为 200"
                )
        samples = []
        for _ in range(timed):
            status, elapsed = self.get(request)
            if status != 200:
                raise AssertionError(f"{request.url} 返回 {status}，应为 200")
            samples.append(elapsed)
        return samples, self.queries(request)


def run(*, quick: bool, log: Callable[[str], None]) -> list[Figure]:
    rounds = QUICK if quick else FULL
    load_cases()
    data = BenchData()
    timer = _Timer()
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    floor_request = BenchRequest(data.user(FLOOR_USER), FLOOR_URL, "框架基线（登录、一次索引查询、最小模板）")
    floor_runs: list[list[float]] = []
    floor_queries = 0
    measured: list[tuple[str, str, BenchRequest, list[float], int]] = []
    failures: list[str] = []

    def floor_run() -> None:
        nonlocal floor_queries
        samples, floor_queries = timer.measure(floor_request, warmups=rounds.warmups, timed=rounds.timed)
        floor_runs.append(samples)

    names = sorted(BENCH_CASES)
    with override_settings(DEBUG=False, ROOT_URLCONF="linli.bench.urls", ALLOWED_HOSTS=hosts):
        floor_run()
        log(f"框架基线：中位 {statistics.median(floor_runs[0]):.1f} ms（共 {len(names)} 个页面待测）")
        for number, name in enumerate(names, 1):
            case = BENCH_CASES[name]
            timed = rounds.exports if case.kind == "export" else rounds.timed
            try:
                request = case.build(data)
                samples, queries = timer.measure(request, warmups=rounds.warmups, timed=timed)
            except Exception as error:  # every failure is reported at the end, the other pages still run
                failures.append(f"{name}：{type(error).__name__}: {error}")
                log(f"[{number:>3}/{len(names)}] {name} 失败：{error}")
                continue
            measured.append((name, case.kind, request, samples, queries))
            log(
                f"[{number:>3}/{len(names)}] {request.label}：中位 {statistics.median(samples):.1f} ms，"
                f"查询 {queries} 次"
            )
            if number % rounds.floor_every == 0:
                floor_run()
        floor_run()

    floor_medians = [statistics.median(samples) for samples in floor_runs]
    floor_ms = statistics.median(floor_medians)
    all_floor = [ms for samples in floor_runs for ms in samples]
    figures = [
        Figure(
            key="page:floor",
            label=floor_request.label,
            kind="floor",
            median_ms=floor_ms,
            p95_ms=statistics.median(percentile(samples, 95) for samples in floor_runs),
            queries=floor_queries,
            n=len(all_floor),
            extra={"runs": len(floor_runs), "run_medians_ms": [round(ms, 2) for ms in floor_medians]},
        )
    ]
    for name, kind, request, samples, queries in measured:
        figures.append(
            Figure.from_samples(
                f"page:{name}",
                request.label,
                kind,
                samples,
                floor_ms=floor_ms,
                queries=queries,
                extra={"url": request.url, "user": request.user.get_username() if request.user else ""},
            )
        )
    if failures:
        raise PagesFailed(failures, figures)
    return figures
