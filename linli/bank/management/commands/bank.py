"""`linli bank expire [--date YYYY-MM-DD] [--dry-run]`: expire old points by each community's rule.

For every active rule, the latest expiry date on or before --date (default today) is applied:
points earned on or before the cutoff (expiry date minus the months kept) and not yet spent —
spending is taken from the oldest earnings first (FIFO) — are debited with an `expiry` entry.
A depositor is expired at most once per expiry date, so the command can run daily from cron.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from linli.bank.services import expiry_run


class Command(BaseCommand):
    help = "积分驿站工具：expire 按各社区规则清理过期积分（先进先出）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        expire = sub.add_parser("expire", help="按规则清理过期积分")
        expire.add_argument("--date", help="按此日期计算（默认今天），格式 YYYY-MM-DD")
        expire.add_argument("--dry-run", action="store_true", help="只计算并列出，不记账")

    def handle(self, *args, **options):
        on = None
        if options.get("date"):
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        dry_run = options["dry_run"]
        runs = expiry_run(on=on, dry_run=dry_run)
        if not runs:
            self.stdout.write("没有启用的积分过期规则。")
        for run in runs:
            head = f"{run.rule.station.name}：{run.expires_on:%Y-%m-%d}到期，{run.cutoff:%Y-%m-%d}及以前获得的积分"
            if not run.applies:
                self.stdout.write(f"{head}——规则公布未满{run.rule.notice_days}天，本次不清理。")
                continue
            total = sum((line.amount for line in run.lines), 0)
            self.stdout.write(f"{head}：{len(run.lines)}位储户共{total:f}分")
            for line in run.lines:
                self.stdout.write(f"  {line.name}：余额{line.balance:f}分，过期{line.amount:f}分")
            if dry_run:
                self.stdout.write("  （试算，未记账）")
            else:
                self.stdout.write(f"  已记账{run.posted}位。")
