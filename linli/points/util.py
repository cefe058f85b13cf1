"""Small pure helpers shared by the points services, selectors and pages."""

from decimal import Decimal

MEMBER_POINTS = "member_points"


def district_id_of(path: str) -> int:
    """The district is the root of the tree: the first id of a materialised path."""
    return int(path.strip("/").split("/")[0])


def fmt(value: Decimal | int | str | None) -> str:
    """2.00 → "2", 2.50 → "2.5", -3.00 → "-3": points as people write them."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value).normalize():f}"


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
