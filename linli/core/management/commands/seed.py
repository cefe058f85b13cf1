"""`linli seed --scale tiny|tenth|district`: a generated district for benchmarks, written in bulk.

`district` is the size the seeds describe (100 communities over 8 streets, 500 grids, 30,000 Party
members, 300,000 residents); `tenth` is a tenth of it; `tiny` a few hundred rows for CI. Each
`<app>/seeding.py` with `seed_scale(ctx)` runs in `ORDER` inside one transaction. The same scale
seeded again is left as it is; another scale or the demo is refused unless `--reset`.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from linli.core.demo import DEMO_PASSWORD
from linli.core.seeding import (
    SCALES,
    ScaleContext,
    database_is_empty,
    database_reset,
    logins_table,
    marker_find,
    marker_write,
    migrate_if_needed,
    scale_seeders,
)

from .demo import confirm_reset


class Command(BaseCommand):
    help = "生成规模测试数据：district（100个社区、500个网格、3万党员、30万居民）、tenth（十分之一）或 tiny（CI用）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True, help="数据规模")
        parser.add_argument("--reset", action="store_true", help="清空数据库后重新生成（需确认）")
        parser.add_argument("--yes", action="store_true", help="重置时不再询问")

    def handle(self, *args, **options):
        scale = options["scale"]
        if migrate_if_needed():
            self.stdout.write("已执行数据库迁移。")
        if options["reset"]:
            confirm_reset(self, options, f"「{scale}」规模数据")
            started = time.monotonic()
            database_reset()
            self.stdout.write(f"数据库已清空并重新迁移（{time.monotonic() - started:.1f} 秒）。")
        marker = marker_find()
        if marker is not None and marker.kind == scale:
            self.stdout.write(f"「{scale}」规模数据已存在，未作任何修改。")
            self._report(marker.counts, marker.logins)
            return
        if marker is not None:
            what = "演示数据" if marker.kind == "demo" else f"「{marker.kind}」规模数据"
            raise CommandError(f"数据库中已有{what}；请使用新的数据库，或加 --reset 清空后重新生成。")
        if not database_is_empty():
            raise CommandError("数据库中已有组织或账号数据，规模数据只能生成在空数据库上；请使用新的数据库。")
        ctx = ScaleContext(
            today=timezone.localdate(), scale=scale, log=lambda text: self.stdout.write(f"  {text}")
        )
        self.stdout.write(f"生成「{scale}」规模数据：{ctx.plan.totals}（数据库：{connection.vendor}）")
        started = time.monotonic()
        if connection.vendor == "sqlite":
            # One transaction writes hundreds of megabytes; with SQLite's default 2 MB page cache the
            # random-order index inserts (ID hash, pinyin) spill and re-read pages all the time.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        with transaction.atomic():
            for order, label, seed in scale_seeders():
                step = time.monotonic()
                seed(ctx)
                self.stdout.write(f"[{order:>3}] {label} 完成，用时 {time.monotonic() - step:.1f} 秒")
            marker_write(kind=scale, title=f"规模测试数据（{scale}）", logins=ctx.logins, counts=ctx.counts)
        # Fresh statistics: without them the planners guess row counts from nothing and pick scans
        # (SQLite has no statistics at all until ANALYZE; PostgreSQL's autovacuum catches up later).
        step = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"已更新数据库统计信息（ANALYZE），用时 {time.monotonic() - step:.1f} 秒")
        self.stdout.write(
            self.style.SUCCESS(f"「{scale}」规模数据已生成，共用时 {time.monotonic() - started:.1f} 秒。")
        )
        self._report(ctx.counts, ctx.logins)

    def _report(self, counts, logins) -> None:
        self.stdout.write("；".join(f"{label} {n}" for label, n in counts.items()))
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(logins_table(logins))
