"""Time a roster import (preview + commit) against the floor: openpyxl read-only parsing of the same file.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 .venv/bin/python -m linli.people.tests.bench_import --rows 30000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/python -m linli.people.tests.bench_import

Runs on a fresh test database made from DATABASE_URL (created, migrated and dropped; for SQLite a
file next to it, never an in-memory database) seeded with the standard test world. Each repeat
imports a new file with its own ID numbers. Prints seconds (median of the repeats) and the ratio,
by the clock and by CPU time: this process's plus, on PostgreSQL running on the same machine, its
backend's (on a busy machine the clock also counts waiting for a core).
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from linli.people import importing  # noqa: E402
from linli.people.tests import rosters  # noqa: E402
from linli.testing.world import build_world  # noqa: E402

# A different place per run, so the ID numbers of one run never clash with another's.
REGIONS = ("110101", "310104", "440106", "510107", "330106", "420106", "320102", "610113", "370102", "210102")


def parse_floor(path: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) to read every row of the file with openpyxl in read-only mode."""
    wall, cpu = time.perf_counter(), time.process_time()
    workbook = load_workbook(path, read_only=True, data_only=True)
    for _ in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - wall, time.process_time() - cpu


def server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend, when it runs on this machine (else 0)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_roster(kind: str, rows: int, region: str, directory: Path) -> Path:
    if kind == "member":
        data = rosters.member_rows(
            rows, grid="复兴一网格", branch="复兴社区第一党支部", seed=7, region=region
        )
        header = rosters.MEMBER_HEADER
    else:
        data = rosters.resident_rows(rows, grid="复兴二网格", seed=7, region=region)
        header = rosters.RESIDENT_HEADER
    path = directory / f"{kind}-{region}.xlsx"
    path.write_bytes(rosters.workbook_bytes(header, data).getvalue())
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kind", choices=("member", "resident", "both"), default="both")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="linli-bench-"))
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(directory / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        world = build_world()
        actor, node = world.community_admin_a, world.community_a
        kinds = ("member", "resident") if args.kind == "both" else (args.kind,)
        for number, kind in enumerate(kinds):
            preview_service = (
                importing.member_roster_import_preview
                if kind == "member"
                else importing.resident_roster_import_preview
            )
            floors, previews, commits, totals, cpu_floors, cpu_totals = [], [], [], [], [], []
            for repeat in range(args.repeat):
                run = number * args.repeat + repeat
                if run >= len(REGIONS):
                    raise SystemExit(f"at most {len(REGIONS)} runs: one region code each")
                path = write_roster(kind, args.rows, REGIONS[run], directory)
                floor, cpu_floor = parse_floor(path)
                start, cpu_start, server_start = time.perf_counter(), time.process_time(), server_cpu()
                with path.open("rb") as upload:
                    batch = preview_service(actor=actor, node=node, upload=upload, file_name=path.name)
                middle = time.perf_counter()
                outcome = importing.import_batch_commit(actor=actor, batch=batch)
                end, cpu_end = time.perf_counter(), time.process_time() + server_cpu() - server_start
                assert batch.error_row_count == 0 and outcome.imported == args.rows, (
                    batch.errors[:3],
                    outcome,
                )
                floors.append(floor)
                previews.append(middle - start)
                commits.append(end - middle)
                totals.append(end - start)
                cpu_floors.append(cpu_floor)
                cpu_totals.append(cpu_end - cpu_start)
            floor, total = statistics.median(floors), statistics.median(totals)
            cpu_floor, cpu_total = statistics.median(cpu_floors), statistics.median(cpu_totals)
            print(
                f"{connection.vendor} {kind} {args.rows} rows (load {os.getloadavg()[0]:.1f}): "
                f"floor {floor:.2f}s, preview {statistics.median(previews):.2f}s, "
                f"commit {statistics.median(commits):.2f}s, preview+commit {total:.2f}s, ratio {total / floor:.2f}; "
                f"CPU (this process + its PostgreSQL backend): floor {cpu_floor:.2f}s, preview+commit {cpu_total:.2f}s, "
                f"ratio {cpu_total / cpu_floor:.2f} "
                f"(wall runs: floor {[round(x, 2) for x in floors]}, total {[round(x, 2) for x in totals]})",
                flush=True,
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
