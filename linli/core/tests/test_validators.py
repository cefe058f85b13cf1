"""身份证号 and phone validation, with the Chinese messages a worker sees."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from linli.core.validators import normalize_phone, parse_id_number


def test_valid_id_number_gives_birth_date_gender_and_region():
    parsed = parse_id_number("530102198503150018")
    assert parsed.birth_date == datetime.date(1985, 3, 15)
    assert parsed.gender == "M"
    assert parsed.region == "云南省五华区"


def test_lower_case_x_is_accepted_as_check_digit():
    assert parse_id_number("53010219760708003x").number == "53010219760708003X"


def test_code_older_than_birth_year_rule_is_not_applied():
    # 530102 exists since 1983; a person born in 1968 holds such a number legitimately.
    assert parse_id_number("530102196802140013").birth_date.year == 1968


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("53010219850315001", "身份证号应为18位，实际为17位。"),
        ("530102198503150019", "身份证号校验位错误。"),
        ("530102198502300010", "身份证号中的出生日期无效。"),
        ("999999198503150014", "身份证号中的地区码无效。"),
        ("5301021985031500A8", "身份证号只能由数字和末位X组成。"),
    ],
)
def test_invalid_id_numbers_are_refused_with_the_reason(number, message):
    with pytest.raises(ValidationError) as error:
        parse_id_number(number)
    assert error.value.messages == [message]


def test_phone_numbers_are_normalised():
    assert normalize_phone("+86 138 0013 8000") == "13800138000"
    assert normalize_phone("0871-6123456") == "0871-6123456"


def test_bad_phone_number_is_refused():
    with pytest.raises(ValidationError):
        normalize_phone("12345")
