"""Chinese identity validators: 身份证号 (GB 11643) and phone numbers, with Chinese error messages."""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    gender: str  # "M" / "F" from the 17th digit
    region: str


def parse_id_number(value: str) -> IdNumber:
    """Validate an 18-digit resident ID: length, check digit, birth date, region code.

    Raises ValidationError with a message a community worker understands.
    """
    number = (value or "").strip().upper().replace(" ", "")
    if not number:
        raise ValidationError("请填写身份证号。", code="required")
    if len(number) != 18:
        raise ValidationError(f"身份证号应为18位，实际为{len(number)}位。", code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号只能由数字和末位X组成。", code="format")
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError("身份证号校验位错误。", code="checksum")
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise ValidationError("身份证号中的出生日期无效。", code="birth_date") from None
    if birth > datetime.date.today() or birth.year < 1900:
        raise ValidationError("身份证号中的出生日期无效。", code="birth_date")
    region = region_name(number[:6])
    if not region:
        raise ValidationError("身份证号中的地区码无效。", code="region")
    gender = "M" if int(number[16]) % 2 else "F"
    return IdNumber(number=number, birth_date=birth, gender=gender, region=region)


@lru_cache(maxsize=4096)  # a pure function of the code; imports and seeding look up the same few codes
def region_name(code: str) -> str:
    """The place a 6-digit administrative division code names, or "" if unknown.

    python-stdnum's own check also requires the code to have existed in the birth year, which
    rejects real numbers: codes are those of the place of issue, and 五华区 (530102, since 1983)
    issued numbers to people born long before 1983. Any code that ever existed is accepted here.
    """
    info = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    if "county" not in info:
        return ""
    county = info["county"].split(",")[-1]
    county = county.split("]", 1)[-1]
    return "".join(p for p in (info.get("province", ""), info.get("prefecture", ""), county) if p)


def validate_id_number(value: str) -> None:
    parse_id_number(value)


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalize_phone(value: str) -> str:
    """Strip spaces, dashes in mobiles, and a +86 prefix; raise ValidationError if not a Chinese number."""
    phone = re.sub(r"[\s()]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if _MOBILE.match(phone.replace("-", "")):
        return phone.replace("-", "")
    if _LANDLINE.match(phone):
        return phone
    raise ValidationError("电话号码格式不正确：手机号为11位数字，固话如 0871-12345678。", code="phone")


def id_check_digit(first17: str) -> str:
    """The GB 11643 check digit for 17 digits (used by the demo data generator)."""
    return ric.calc_check_digit(first17 + "0")
