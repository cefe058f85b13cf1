"""Ledger: currencies, accounts, append-only entries with a keyed hash chain, verification (PTS-6, BNK).

Every points or hours currency in Linli moves only through `ledger.services`; the ledger knows
owners by generic reference (content type and id), never by model, and imports `core` only.
"""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "linli.ledger"
    label = "ledger"
    verbose_name = "积分账本"
