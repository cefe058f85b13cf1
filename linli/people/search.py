"""Finding people the way Chinese users type (PPL-1): name, full pinyin, initials, ID number, phone.

张三 is found by "张三", "zhangsan", "zhang", "zs"; 单田芳 by "shantianfang" and "stf" (the surname
override table in core.pinyin reads 单 as shan). An 18-character ID number is looked up exactly by its
keyed hash, a full phone number by its hash, four digits by the last four digits of the masked phone.
Nothing is ever decrypted to search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower, Right

from linli.core.validators import normalize_phone

from .services import id_number_hash, phone_hash

_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_LAST_FOUR = re.compile(r"^\d{4}$")
_PHONE = re.compile(r"^(\+?86)?(1\d{10}|0\d{2,3}-?\d{7,8})$")
_LETTERS = re.compile(r"^[a-z]+$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class SearchTerm:
    """What a search box held, understood: `kind` is id_number, phone, last4, pinyin, name or empty."""

    kind: str
    value: str


def parse_term(raw: str) -> SearchTerm:
    text = re.sub(r"\s+", "", raw or "")
    if not text:
        return SearchTerm("empty", "")
    upper = text.upper()
    if _ID_NUMBER.match(upper):
        return SearchTerm("id_number", upper)
    if _LAST_FOUR.match(text):
        return SearchTerm("last4", text)
    # A mobile number may be typed with dashes (138-0013-8000); a landline keeps its area-code dash.
    mobile = text.replace("-", "")
    for candidate in (text, mobile):
        if _PHONE.match(candidate):
            try:
                return SearchTerm("phone", normalize_phone(candidate))
            except ValidationError:
                break
    lower = text.lower()
    if _LETTERS.match(lower):
        return SearchTerm("pinyin", lower)
    return SearchTerm("name", text)


def apply_search(queryset: QuerySet, raw: str, person: str = "") -> QuerySet:
    """Filter a Person queryset (or one reaching Person through `person`, e.g. "person__") by a search box."""
    term = parse_term(raw)
    if term.kind == "empty":
        return queryset
    if term.kind == "id_number":
        return queryset.filter(**{f"{person}id_number_hash": id_number_hash(term.value)})
    if term.kind == "phone":
        return queryset.filter(**{f"{person}phone_hash": phone_hash(term.value)})
    if term.kind == "last4":
        # Matches the functional index people_person_phone_last4_idx on RIGHT(phone_masked, 4).
        return queryset.alias(_phone_last4=Right(f"{person}phone_masked", 4)).filter(_phone_last4=term.value)
    if term.kind == "pinyin":
        sqlite = connections[queryset.db].vendor == "sqlite"
        return queryset.filter(
            _prefix(f"{person}name_pinyin", term.value, sqlite)
            | _prefix(f"{person}name_initials", term.value, sqlite)
        )
    return queryset.filter(**{f"{person}name__contains": term.value})


def _prefix(field: str, letters: str, sqlite: bool) -> Q:
    """`field` starts with `letters` (lower-case a-z), in a form the database answers from the field's index.

    SQLite's LIKE ignores case, so `startswith` there never uses an ordinary index and scans the table
    (300,000 residents at district scale). Pinyin is stored in lower-case ASCII, so the range
    [letters, letters + "{") — "{" follows "z" — holds exactly the same rows and is an index range.
    PostgreSQL answers `startswith` from the `varchar_pattern_ops` index Django adds, whatever the collation.
    """
    if sqlite:
        return Q(**{f"{field}__gte": letters, f"{field}__lt": letters + "{"})
    return Q(**{f"{field}__startswith": letters})


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def name_order(raw: str, person: str = "") -> list:
    """Pinyin order for a list; while searching, by an expression no index provides.

    Without a search, walking the pinyin index gives the first page at once. With one, PostgreSQL
    would walk the same index hoping to meet 50 matches early, and scan most of the table when the
    matches sit at the end of the alphabet (all the "z…" names); sorting the few matches found
    through the prefix indexes is faster. Pinyin is stored in lower case, so the order is the same.
    """
    if parse_term(raw).kind == "empty":
        return [f"{person}name_pinyin", "id"]
    return [Lower(f"{person}name_pinyin"), "id"]
