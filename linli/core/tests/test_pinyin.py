"""Pinyin for search, with surnames read as surnames."""

import pytest

from linli.core.pinyin import name_pinyin


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhangsan", "zs"),
        ("单田芳", "shantianfang", "stf"),
        ("曾国藩", "zengguofan", "zgf"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("朴永哲", "piaoyongzhe", "pyz"),
        ("欧阳修", "ouyangxiu", "oyx"),
        ("尉迟恭", "yuchigong", "ycg"),
    ],
)
def test_name_pinyin_uses_surname_readings(name, full, initials):
    assert name_pinyin(name) == (full, initials)


def test_empty_name_gives_empty_pinyin():
    assert name_pinyin("") == ("", "")
