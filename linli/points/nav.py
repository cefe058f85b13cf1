"""Menu entries of the points system."""

from linli.core.navigation import NavItem, register

register(
    NavItem("我的积分", "points:my_points", "points.self", icon="award", group="党员积分", order=200),
    NavItem(
        "积分初评", "points:review_queue", "points.review", icon="check2-square", group="党员积分", order=210
    ),
    NavItem(
        "支部年度积分", "points:year_list", "points.year_view", icon="list-ol", group="党员积分", order=220
    ),
    NavItem(
        "免于参加积分",
        "points:exemption_list",
        "points.year_view",
        icon="person-dash",
        group="党员积分",
        order=230,
    ),
    NavItem("备案结果", "points:filed", "points.filed_view", icon="archive", group="党员积分", order=240),
    NavItem(
        "积分细则",
        "points:scheme_list",
        "points.scheme_view",
        icon="journal-check",
        group="党员积分",
        order=250,
    ),
)
