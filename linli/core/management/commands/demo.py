"""`linli demo`: seed the demo district (五华区) once, in one transaction, and print the demo logins.

Every app's `demo.py` runs in `ORDER` (its set-up), then the dated actions they scheduled run on one
timeline in time order (`DemoContext.run_timeline`); a second run finds the record of the first in
the audit log, changes nothing and prints the logins again. `--reset` drops the whole database, migrates it and
seeds afresh.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from linli.core.demo import DEMO_PASSWORD, DemoContext, demo_seeders
from linli.core.seeding import (
    database_is_empty,
    database_reset,
    logins_table,
    marker_find,
    marker_write,
    migrate_if_needed,
)

TITLE = "演示数据（五华区）"


def confirm_reset(command: BaseCommand, options: dict, what: str) -> None:
    """Ask before dropping the database, unless --yes; refuse when the data was not seeded."""
    marker = marker_find()
    if marker is None and not database_is_empty():
        raise CommandError("数据库中已有非演示/测试数据，拒绝重置。请改用一个新的数据库（DATABASE_URL）。")
    if options["yes"]:
        return
    if not sys.stdin.isatty():
        raise CommandError("重置会删除数据库中的全部数据；非交互运行时请加 --yes 确认。")
    name = connection.settings_dict["NAME"]
    answer = input(f"这将删除数据库「{name}」中的全部数据并重新生成{what}。确定吗？请输入 yes 继续：")
    if answer.strip().lower() != "yes":
        raise CommandError("已取消，数据库未作任何修改。")


class Command(BaseCommand):
    help = "生成演示数据（五华区：2个街道、6个社区、约30个网格、约5000名居民、约600名党员）并列出演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="清空数据库后重新生成（需确认）")
        parser.add_argument("--yes", action="store_true", help="重置时不再询问")

    def handle(self, *args, **options):
        if migrate_if_needed():
            self.stdout.write("已执行数据库迁移。")
        if options["reset"]:
            confirm_reset(self, options, "演示数据")
            started = time.monotonic()
            database_reset()
            self.stdout.write(f"数据库已清空并重新迁移（{time.monotonic() - started:.1f} 秒）。")
        marker = marker_find()
        if marker is not None and marker.kind == "demo":
            self.stdout.write("演示数据已存在，未作任何修改。")
            self._print_logins(marker.logins)
            return
        if marker is not None:
            raise CommandError(
                f"数据库中已有「{marker.kind}」规模的测试数据，不能再生成演示数据；"
                "请使用新的数据库，或加 --reset 清空后重新生成。"
            )
        if not database_is_empty():
            raise CommandError("数据库中已有组织或账号数据，演示数据只能生成在空数据库上；请使用新的数据库。")
        now = timezone.now()
        ctx = DemoContext(
            today=timezone.localdate(now), now=now, log=lambda text: self.stdout.write(f"  {text}")
        )
        started = time.monotonic()
        with transaction.atomic():
            for order, label, seed in demo_seeders():
                step = time.monotonic()
                seed(ctx)
                self.stdout.write(f"[{order:>3}] {label} 完成，用时 {time.monotonic() - step:.1f} 秒")
            step = time.monotonic()
            actions = ctx.run_timeline()
            self.stdout.write(f"[时间线] 按日期执行 {actions} 项业务，用时 {time.monotonic() - step:.1f} 秒")
            marker_write(kind="demo", title=TITLE, logins=ctx.logins, counts={})
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成，共用时 {time.monotonic() - started:.1f} 秒。"))
        self._print_logins(ctx.logins)

    def _print_logins(self, logins) -> None:
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}，首次登录无需改密）：")
        self.stdout.write(logins_table(logins))
