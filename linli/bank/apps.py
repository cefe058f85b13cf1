"""Bank: the residents' points station (道德银行/积分驿站) and the time bank (时间银行) (BNK)."""

from django.apps import AppConfig


class BankConfig(AppConfig):
    name = "linli.bank"
    label = "bank"
    verbose_name = "积分驿站与时间银行"
