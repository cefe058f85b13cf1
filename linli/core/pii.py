"""Personal data at rest and on screen: AES-GCM encryption, keyed look-up hashes and masks (NFR-3)."""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION = "v1"


@lru_cache(maxsize=4)
def _cipher(key_b64: str) -> AESGCM:
    key = base64.b64decode(key_b64)
    if len(key) != 32:
        raise ValueError("LINLI_FIELD_KEY 必须是32字节密钥的base64编码")
    return AESGCM(key)


@lru_cache(maxsize=4)
def _hash_key(key_b64: str) -> bytes:
    key = base64.b64decode(key_b64)
    if len(key) < 32:
        raise ValueError("LINLI_HASH_KEY 必须至少32字节")
    return key


def encrypt(plaintext: str) -> str:
    """Encrypt with AES-256-GCM and a fresh nonce; the result is text safe for a database column."""
    if not plaintext:
        return ""
    nonce = os.urandom(12)
    sealed = _cipher(settings.LINLI_FIELD_KEY).encrypt(nonce, plaintext.encode(), _VERSION.encode())
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    if not token:
        return ""
    version, _, payload = token.partition(":")
    if version != _VERSION:
        raise ValueError(f"未知的加密版本 {version}")
    raw = base64.b64decode(payload)
    return _cipher(settings.LINLI_FIELD_KEY).decrypt(raw[:12], raw[12:], _VERSION.encode()).decode()


def lookup_hash(value: str, purpose: str) -> str:
    """A keyed hash (HMAC-SHA256) for exact look-up and duplicate detection without storing the value."""
    if not value:
        return ""
    digest = hmac.new(_hash_key(settings.LINLI_HASH_KEY), f"{purpose}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()


def mask_id_number(number: str) -> str:
    """110105199001010020X → 110105********002X (region kept, birth date hidden)."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """13800138000 → 138****8000; landlines keep their last four digits."""
    if not phone:
        return ""
    if len(phone) == 11 and phone.isdigit():
        return phone[:3] + "****" + phone[-4:]
    if len(phone) <= 4:
        return "*" * len(phone)
    return "*" * (len(phone) - 4) + phone[-4:]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜: for public notices."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
