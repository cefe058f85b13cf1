"""Pinyin for search: full pinyin and initials of a Chinese name, with surname readings fixed.

pypinyin reads 单 as dan and 曾 as ceng; as surnames they are shan and zeng. The override table
covers the common surname polyphones and compound surnames.
"""

from pypinyin import Style, lazy_pinyin

# Compound surnames first (longest match), then single-character surnames whose surname reading
# differs from the most common reading.
SURNAME_OVERRIDES: dict[str, list[str]] = {
    "尉迟": ["yu", "chi"],
    "万俟": ["mo", "qi"],
    "长孙": ["zhang", "sun"],
    "单于": ["chan", "yu"],
    "澹台": ["tan", "tai"],
    "令狐": ["ling", "hu"],
    "欧阳": ["ou", "yang"],
    "司马": ["si", "ma"],
    "诸葛": ["zhu", "ge"],
    "上官": ["shang", "guan"],
    "单": ["shan"],
    "曾": ["zeng"],
    "解": ["xie"],
    "仇": ["qiu"],
    "朴": ["piao"],
    "区": ["ou"],
    "查": ["zha"],
    "盖": ["ge"],
    "召": ["shao"],
    "乐": ["yue"],
    "缪": ["miao"],
    "翟": ["zhai"],
    "覃": ["qin"],
    "黑": ["he"],
    "隗": ["wei"],
    "繁": ["po"],
    "折": ["she"],
    "种": ["chong"],
    "秘": ["bi"],
    "宿": ["su"],
    "薄": ["bo"],
    "能": ["nai"],
    "纪": ["ji"],
    "柏": ["bai"],
    "贲": ["ben"],
    "卜": ["bu"],
    "员": ["yun"],
    "华": ["hua"],
    "任": ["ren"],
    "沈": ["shen"],
    "燕": ["yan"],
    "尉": ["wei"],
    "句": ["gou"],
    "过": ["guo"],
    "阚": ["kan"],
    "牟": ["mou"],
    "洗": ["xian"],
    "冼": ["xian"],
    "都": ["du"],
    "石": ["shi"],
    "盛": ["sheng"],
    "长": ["chang"],
    "藏": ["zang"],
    "相": ["xiang"],
}
_COMPOUND = sorted((k for k in SURNAME_OVERRIDES if len(k) > 1), key=len, reverse=True)


def _syllables(name: str) -> list[str]:
    name = (name or "").strip()
    if not name:
        return []
    for surname in _COMPOUND:
        if name.startswith(surname):
            return SURNAME_OVERRIDES[surname] + lazy_pinyin(name[len(surname) :], errors="ignore")
    first = SURNAME_OVERRIDES.get(name[0])
    if first:
        return first + lazy_pinyin(name[1:], style=Style.NORMAL, errors="ignore")
    return lazy_pinyin(name, style=Style.NORMAL, errors="ignore")


def name_pinyin(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials) in lower case: 张三 → ("zhangsan", "zs"), 单田芳 → ("shantianfang", "stf")."""
    syllables = [s.lower() for s in _syllables(name) if s]
    return "".join(syllables), "".join(s[0] for s in syllables)
