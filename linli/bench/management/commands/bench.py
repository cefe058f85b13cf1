"""`linli bench run|all|report`: the benchmark (see docs/performance.md).

linli bench run [--quick] [--only pages,ledger,import,http]
    measures against the current DATABASE_URL (a `linli seed --scale …` data set) and writes
    var/bench/<vendor>-<scale>.json with the machine it ran on;
linli bench all [--sizes tenth,district] [--quick]
    for each size seeds (or reuses) a dedicated database, runs `bench run` on it in a subprocess
    (settings are fixed per process), then `bench report`;
linli bench report [--sizes …]
    prints one table of every figure at every size with the targets it misses, and writes it as
    var/bench/<vendor>.json.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from linli.bench.figures import Figure
from linli.core.seeding import SCALES, marker_find

PARTS = ("pages", "ledger", "import", "http")
# The parts written in parallel by other modules: linli/bench/<module>.py with run(*, quick, log).
PART_MODULES = {"pages": "pages", "ledger": "ledger", "import": "importing", "http": "http"}
DEFAULT_SIZES = ("tenth", "district")

# Targets of issue 5, checked at the largest size of the report ("1×"); a short code per target.
TARGETS = {
    "Q": "每次请求的查询数在各规模下相同",
    "G": "1× 中位数不超过 0.1× 的 1.5 倍",
    "P": "列表/详情 p95 ≤ 200 ms，首页/看板 p95 ≤ 300 ms（1×）",
    "L": "记账不超过裸插入基线的 3 倍",
    "I": "3 万行导入 ≤ 60 秒且不超过 openpyxl 解析基线的 4 倍",
    "H": "HTTP 压测：本人积分页吞吐量 ≥ 基线的一半；worker 内存峰值 < 300 MB",
}
P95_LIMIT_MS = {"list": 200, "detail": 200, "dashboard": 300}


def bench_dir() -> Path:
    return Path(settings.VAR_DIR) / "bench"


class Command(BaseCommand):
    help = "性能基准：run 测量当前数据库，all 按规模生成数据库并逐个测量，report 汇总成一张表。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{run,all,report}")
        run = sub.add_parser(
            "run", help="测量当前 DATABASE_URL 数据库（须是 `linli seed --scale` 生成的数据）"
        )
        run.add_argument("--quick", action="store_true", help="每页只测少量请求（CI 用）")
        run.add_argument("--only", default=",".join(PARTS), help=f"只测这些部分，逗号分隔：{','.join(PARTS)}")
        every = sub.add_parser("all", help="按规模生成（或复用）专用数据库，逐个测量后汇总")
        every.add_argument(
            "--sizes", default=",".join(DEFAULT_SIZES), help="规模，逗号分隔：tiny、tenth、district"
        )
        every.add_argument("--quick", action="store_true", help="每页只测少量请求（CI 用）")
        every.add_argument("--only", default=",".join(PARTS), help="只测这些部分，逗号分隔")
        report = sub.add_parser("report", help="读取各规模的结果，打印一张表并写入 var/bench/<数据库>.json")
        report.add_argument("--sizes", default="", help="规模，逗号分隔（默认：已有结果的全部规模）")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "run":
            self.run(quick=options["quick"], parts=_split(options["only"], PARTS, "部分"))
        elif action == "all":
            sizes = _split(options["sizes"], tuple(SCALES), "规模")
            self.run_all(sizes=sizes, quick=options["quick"], only=options["only"])
        else:
            sizes = _split(options["sizes"], tuple(SCALES), "规模") if options["sizes"] else None
            self.report(sizes)

    # ------------------------------------------------------------------ run

    def log(self, text: str) -> None:
        self.stdout.write(f"  {text}")
        self.stdout.flush()

    def run(self, *, quick: bool, parts: list[str]) -> None:
        marker = marker_find()
        if marker is None or marker.kind not in SCALES:
            raise CommandError(
                f"当前数据库（{connection.settings_dict['NAME']}）没有规模测试数据。请先运行 "
                "`linli seed --scale tiny|tenth|district`，或用 `linli bench all` 自动生成专用数据库。"
            )
        scale = marker.kind
        # As in production: with DEBUG on (the dev settings) every statement would also be formatted and
        # logged by Django's debug cursor, which costs the four-statement service more than the floor.
        settings.DEBUG = False
        self.stdout.write(f"性能基准：{connection.vendor}，规模「{scale}」{'（快速）' if quick else ''}")
        figures: list[Figure] = []
        missing: list[str] = []
        failures: list[str] = []
        for part in parts:
            module_name = f"linli.bench.{PART_MODULES[part]}"
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                missing.append(part)
                self.stdout.write(self.style.WARNING(f"【{part}】尚未实现（缺少 {module_name}），跳过。"))
                continue
            self.stdout.write(f"【{part}】")
            started = time.monotonic()
            try:
                figures += module.run(quick=quick, log=self.log)
            except Exception as error:
                figures += getattr(error, "figures", [])
                failures.append(f"{part}：{error}")
                self.stdout.write(self.style.ERROR(f"【{part}】失败：{error}"))
            self.stdout.write(f"【{part}】用时 {time.monotonic() - started:.1f} 秒")
        path = bench_dir() / f"{connection.vendor}-{scale}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        result = {
            "vendor": connection.vendor,
            "scale": scale,
            "quick": quick,
            "machine": machine_info(),
            "counts": marker.counts,
            "parts": parts,
            "missing": missing,
            "failures": failures,
            "figures": [figure.as_dict() for figure in figures],
        }
        path.write_text(json.dumps(result, ensure_ascii=False, indent=1))
        self.stdout.write(f"已写入 {path}（{len(figures)} 项）")
        if failures:
            raise CommandError("性能基准有部分失败：\n" + "\n".join(failures))

    # ------------------------------------------------------------------ all

    def run_all(self, *, sizes: list[str], quick: bool, only: str) -> None:
        vendor = connection.vendor
        if vendor not in ("sqlite", "postgresql"):
            raise CommandError(f"不支持的数据库：{vendor}")
        failed = []
        for size in sizes:
            url = self.size_database(size)
            env = {**os.environ, "DATABASE_URL": url}
            self.stdout.write(self.style.MIGRATE_HEADING(f"== 规模「{size}」：{_safe(url)} =="))
            manage = [sys.executable, "-m", "linli.manage"]
            steps = [
                [*manage, "seed", "--scale", size],
                [*manage, "bench", "run", "--only", only, *(["--quick"] if quick else [])],
            ]
            for step in steps:
                started = time.monotonic()
                completed = subprocess.run(step, env=env, cwd=settings.BASE_DIR, check=False)
                command = f"linli {' '.join(step[3:])}"
                self.stdout.write(f"`{command}` 用时 {time.monotonic() - started:.1f} 秒")
                if completed.returncode != 0:
                    failed.append(f"规模「{size}」：`{command}` 失败（退出码 {completed.returncode}）")
                    break
        # A run that failed part-way still wrote its figures; the report shows them beside the failures.
        done = [size for size in sizes if (bench_dir() / f"{connection.vendor}-{size}.json").exists()]
        if done:
            self.report(done)
        if failed:
            raise CommandError("\n".join(failed))

    def size_database(self, size: str) -> str:
        """The DATABASE_URL of the dedicated database of one size (created on PostgreSQL if absent)."""
        if connection.vendor == "sqlite":
            path = bench_dir() / f"linli-{size}.sqlite3"
            path.parent.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{path}"
        import psycopg
        from psycopg import sql

        params = connection.settings_dict
        name = f"{params['NAME']}_bench_{size}"
        server = {
            "host": params.get("HOST") or None,
            "port": params.get("PORT") or None,
            "user": params.get("USER") or None,
            "password": params.get("PASSWORD") or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                self.stdout.write(f"已创建数据库 {name}")
        auth = server["user"] or ""
        if server["password"]:
            auth += f":{server['password']}"
        host = f"{server['host'] or ''}" + (f":{server['port']}" if server["port"] else "")
        return f"postgres://{auth}{'@' if auth else ''}{host}/{name}"

    # ------------------------------------------------------------------ report

    def report(self, sizes: list[str] | None) -> None:
        vendor = connection.vendor
        runs = {}
        for size in sizes or list(SCALES):
            path = bench_dir() / f"{vendor}-{size}.json"
            if path.exists():
                runs[size] = json.loads(path.read_text())
            elif sizes:
                raise CommandError(
                    f"没有规模「{size}」的结果 {path}：请先运行 `linli bench run` 或 `linli bench all`。"
                )
        if not runs:
            raise CommandError(f"{bench_dir()} 下没有 {vendor} 的结果：请先运行 `linli bench all`。")
        table = build_report(vendor, runs)
        self.stdout.write(render_report(table))
        path = bench_dir() / f"{vendor}.json"
        path.write_text(json.dumps(table, ensure_ascii=False, indent=1))
        self.stdout.write(f"\n已写入 {path}")


# ---------------------------------------------------------------------- helpers


def _split(value: str, allowed: tuple[str, ...], what: str) -> list[str]:
    items = [item.strip() for item in value.split(",") if item.strip()]
    wrong = [item for item in items if item not in allowed]
    if wrong or not items:
        raise CommandError(f"未知的{what}：{','.join(wrong) or '（空）'}；可选：{','.join(allowed)}")
    return items


def _safe(url: str) -> str:
    """A database URL without its password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        auth, host = rest.rsplit("@", 1)
        return f"{scheme}://{auth.split(':', 1)[0]}@{host}"
    return url


def machine_info() -> dict:
    memory_mb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_mb = int(line.split()[1]) // 1024
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        database_version = cursor.fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cores": os.cpu_count(),
        "memory_mb": memory_mb,
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {database_version}",
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": commit,
    }


def _misses(key: str, size_figures: dict[str, dict], sizes: list[str]) -> list[str]:
    """The target codes a figure misses; size-dependent targets need two sizes, the rest use the largest."""
    largest = size_figures.get(sizes[-1])
    if largest is None:
        return []
    kind, extra = largest["kind"], largest.get("extra") or {}
    misses = []
    present = [size_figures[s] for s in sizes if s in size_figures]
    counts = {f["queries"] for f in present if f.get("queries") is not None}
    if len(present) > 1 and len(counts) > 1:
        misses.append("Q")
    smaller = size_figures.get(sizes[-2]) if len(sizes) > 1 else None
    paged = kind not in ("floor", "ledger", "import", "http")
    if paged and smaller is not None and largest["median_ms"] > 1.5 * smaller["median_ms"]:
        misses.append("G")
    if kind in P95_LIMIT_MS and largest["p95_ms"] > P95_LIMIT_MS[kind]:
        misses.append("P")
    ratio = largest.get("ratio")
    if kind == "ledger" and ratio is not None and ratio > 3:
        misses.append("L")
    # The import target is on the whole job (preview + commit); its parts are shown for the diagnosis.
    if key == "import:total" and ((ratio is not None and ratio > 4) or largest["median_ms"] > 60_000):
        misses.append("I")
    # HTTP figures carry in extra "throughput_ratio" (page ÷ floor requests per second) and
    # "worker_peak_mb" (the largest worker's peak RSS); the throughput target is the member's own page.
    ratio_ok = extra.get("throughput_ratio")
    slow = key == "http:points:my_points" and ratio_ok is not None and ratio_ok < 0.5
    peak = extra.get("worker_peak_mb")
    heavy = peak is not None and peak >= 300
    if kind == "http" and (slow or heavy):
        misses.append("H")
    return misses


def build_report(vendor: str, runs: dict[str, dict]) -> dict:
    sizes = list(runs)
    by_key: dict[str, dict[str, dict]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for size, run in runs.items():
        for figure in run["figures"]:
            by_key.setdefault(figure["key"], {})[size] = figure
            labels[figure["key"]] = (figure["label"], figure["kind"])
    rows = []
    for key in sorted(by_key, key=lambda k: (not k.startswith("page:floor"), k)):
        size_figures = by_key[key]
        growth = None
        if len(sizes) > 1 and sizes[-1] in size_figures and sizes[-2] in size_figures:
            growth = size_figures[sizes[-1]]["median_ms"] / size_figures[sizes[-2]]["median_ms"]
        rows.append(
            {
                "key": key,
                "label": labels[key][0],
                "kind": labels[key][1],
                "sizes": {
                    size: {
                        f: figure.get(f) for f in ("median_ms", "p95_ms", "floor_ms", "ratio", "queries", "n")
                    }
                    | {"extra": figure.get("extra") or {}}
                    for size, figure in size_figures.items()
                },
                "growth": growth,
                "misses": _misses(key, size_figures, sizes),
            }
        )
    return {
        "vendor": vendor,
        "sizes": sizes,
        "machine": runs[sizes[-1]]["machine"],
        "missing": {size: run.get("missing", []) for size, run in runs.items()},
        "failures": {size: run.get("failures", []) for size, run in runs.items()},
        "targets": TARGETS,
        "rows": rows,
    }


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def render_report(table: dict) -> str:
    """One plain-text table: ASCII keys and figures (aligned), the Chinese meaning in the legend below."""
    sizes = table["sizes"]
    header = ["figure", "kind"]
    for size in sizes:
        header += [f"{size} med", "p95", "floor", "ratio", "q"]
    if len(sizes) > 1:
        header.append(f"{sizes[-1]}/{sizes[-2]}")
    header.append("miss")
    lines = [header]
    for row in table["rows"]:
        cells = [row["key"], row["kind"]]
        for size in sizes:
            figure = row["sizes"].get(size)
            if figure is None:
                cells += ["-"] * 5
            else:
                cells += [
                    _number(figure["median_ms"]),
                    _number(figure["p95_ms"]),
                    _number(figure["floor_ms"]),
                    _number(figure["ratio"], 2),
                    _number(figure["queries"]),
                ]
        if len(sizes) > 1:
            cells.append(_number(row["growth"], 2))
        cells.append(",".join(row["misses"]) or "ok")
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [
        f"性能基准汇总：{table['vendor']}，规模 {' / '.join(sizes)}；{table['machine']['cores']} 核，"
        f"{table['machine']['memory_mb']} MB 内存，{table['machine']['database']}，提交 {table['machine']['commit']}",
        "",
    ]
    for line in lines:
        out.append(
            "  ".join(
                cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(line)
            )
        )
    out += [
        "",
        "说明：med/p95/floor 为毫秒（页面为每次请求，记账为每条，导入为每次），ratio = 中位数 ÷ 同次运行的基线，"
        "q = 每次请求的 SQL 查询数；miss 为未达到的目标（以最大规模为 1×）：",
    ]
    out += [f"  {code}  {text}" for code, text in TARGETS.items()]
    for size in sizes:
        if table["missing"].get(size):
            out.append(f"规模「{size}」尚未实现的部分：{'、'.join(table['missing'][size])}")
        for failure in table["failures"].get(size, []):
            out.append(f"规模「{size}」失败：{failure}")
    return "\n".join(out)
