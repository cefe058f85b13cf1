"""Depositor codes: the phone QR token (signed, expiring), the card token (revocable) and the short code.

The phone page shows a token signed with a timestamp that expires after a few minutes, so a
screenshot passed around stops working; the printed card carries a token bound to the card
version, so revoking a lost card invalidates it. Both are rendered as inline SVG on the server
(segno), with no outside service. The eight-character short code, printed on the card and shown on
the phone, is the typed fallback; its alphabet leaves out 0/O, 1/I/L so it reads unambiguously.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import segno
from django.core import signing
from django.utils.safestring import SafeString, mark_safe

from .choices import EarningMethod

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 8
PHONE_TOKEN_MAX_AGE = 300  # seconds
PHONE_SALT = "linli.bank.phone-code"
CARD_SALT = "linli.bank.card-code"
_SHORT_CODE_RE = re.compile(f"^[{ALPHABET}]{{{SHORT_CODE_LENGTH}}}$")


def short_code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def short_code_normalize(raw: str) -> str:
    """'abcd-efgh ' → 'ABCDEFGH'."""
    return re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()


def phone_token(depositor_id: int) -> str:
    nonce = secrets.token_urlsafe(4)
    return "P" + signing.TimestampSigner(salt=PHONE_SALT).sign(f"{depositor_id}.{nonce}")


def card_token(depositor_id: int, card_version: int) -> str:
    return "C" + signing.Signer(salt=CARD_SALT).sign(f"{depositor_id}.{card_version}")


@dataclass(frozen=True)
class ReadCode:
    """What a scanned or typed code names; `error` is the Chinese message when it names nothing."""

    method: str
    depositor_id: int | None = None
    card_version: int | None = None
    short_code: str = ""
    error: str = ""


def code_read(raw: str) -> ReadCode:
    """Tell a phone token, a card token and a typed short code apart and check signature and age."""
    raw = (raw or "").strip()
    if raw[:1] in ("P", "C") and ":" in raw:
        method = EarningMethod.PHONE if raw[0] == "P" else EarningMethod.CARD
        try:
            if raw[0] == "P":
                value = signing.TimestampSigner(salt=PHONE_SALT).unsign(raw[1:], max_age=PHONE_TOKEN_MAX_AGE)
            else:
                value = signing.Signer(salt=CARD_SALT).unsign(raw[1:])
        except signing.SignatureExpired:
            return ReadCode(method, error="手机二维码已过期，请居民刷新页面后重新扫码。")
        except signing.BadSignature:
            return ReadCode(method, error="二维码无法识别，不是本系统的储户码。")
        depositor_id, _, second = value.partition(".")
        return ReadCode(
            method,
            depositor_id=int(depositor_id),
            card_version=int(second) if method == EarningMethod.CARD else None,
        )
    code = short_code_normalize(raw)
    if not _SHORT_CODE_RE.match(code):
        return ReadCode(EarningMethod.CODE, error="储户码应为8位字母或数字（不含0、1、I、L、O）。")
    return ReadCode(EarningMethod.CODE, short_code=code)


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> SafeString:
    """An inline SVG QR code; nothing leaves the server."""
    svg = segno.make(data, error="m", micro=False).svg_inline(scale=scale, border=2, title=title or None)
    # segno writes the markup itself; the data is encoded as path geometry, never as text.
    return mark_safe(svg)
