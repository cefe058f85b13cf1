"""The keyed hash that chains an account's entries (HMAC-SHA256 with a key derived from LINLI_HASH_KEY).

A keyed hash means someone who can write to the database but does not hold the key cannot
re-forge the chain after editing a row.
"""

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

from django.conf import settings

_CENT = Decimal("0.01")


@lru_cache(maxsize=4)
def _key(hash_key_b64: str) -> bytes:
    return hmac.new(base64.b64decode(hash_key_b64), b"linli-ledger-chain-v1", hashlib.sha256).digest()


def money(value: Decimal | int | str) -> str:
    return str(Decimal(value).quantize(_CENT))


def entry_digest(
    *,
    account_id: int,
    seq: int,
    amount: Decimal,
    balance_after: Decimal,
    kind: str,
    memo: str,
    source_type: str,
    source_id: str,
    idempotency_key: str | None,
    reverses_id: int | None,
    transfer_id: object | None,
    actor_id: int | None,
    at: datetime,
    prev_hash: str,
) -> str:
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    parts = [
        str(account_id),
        str(seq),
        money(amount),
        money(balance_after),
        kind,
        memo,
        source_type,
        source_id,
        idempotency_key or "",
        str(reverses_id or ""),
        str(transfer_id or ""),
        str(actor_id or ""),
        stamp,
        prev_hash,
    ]
    message = "\x1f".join(parts).encode()
    return hmac.new(_key(settings.LINLI_HASH_KEY), message, hashlib.sha256).hexdigest()


def digest_of(entry) -> str:
    """Recompute an entry's hash from its stored fields."""
    return entry_digest(
        account_id=entry.account_id,
        seq=entry.seq,
        amount=entry.amount,
        balance_after=entry.balance_after,
        kind=entry.kind,
        memo=entry.memo,
        source_type=entry.source_type,
        source_id=entry.source_id,
        idempotency_key=entry.idempotency_key,
        reverses_id=entry.reverses_id,
        transfer_id=entry.transfer_id,
        actor_id=entry.actor_id,
        at=entry.at,
        prev_hash=entry.prev_hash,
    )
