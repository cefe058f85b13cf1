"""`linli ledger verify`: recompute every balance and check every hash chain; exit 1 on any anomaly."""

from django.core.management.base import BaseCommand, CommandError

from linli.ledger.models import Account
from linli.ledger.selectors import ledger_verify


class Command(BaseCommand):
    help = "积分账本工具：verify 核查所有账户的余额与哈希链。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="核查余额与哈希链")
        verify.add_argument("--currency", help="只核查该币种（代码）")
        verify.add_argument("--account", type=int, action="append", help="只核查该账户ID（可多次）")

    def handle(self, *args, **options):
        accounts = Account.objects.all()
        if options.get("currency"):
            accounts = accounts.filter(currency__code=options["currency"])
        if options.get("account"):
            accounts = accounts.filter(pk__in=options["account"])
        report = ledger_verify(accounts=accounts)
        for anomaly in report.anomalies:
            self.stdout.write(f"异常 {anomaly}")
        self.stdout.write(
            f"已核查 {report.accounts} 个账户、{report.entries} 笔分录，发现 {len(report.anomalies)} 处异常。"
        )
        if report.anomalies:
            raise CommandError("积分账本核查未通过。", returncode=1)
