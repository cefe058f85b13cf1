"""Entry kinds shared by every currency; domain apps may use their own kinds too (free text)."""

from django.db import models


class EntryKind(models.TextChoices):
    CREDIT = "credit", "记入"
    DEBIT = "debit", "扣减"
    REVERSAL = "reversal", "冲正"
    TRANSFER = "transfer", "转移"
    EXPIRY = "expiry", "过期"
    REDEMPTION = "redemption", "兑换"
    RESTOCK = "restock", "入库"
