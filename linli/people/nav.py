"""Menu entries of the people app."""

from linli.core.navigation import NavItem, register

register(
    NavItem(
        "党员", "people:member_list", "people.browse", icon="person-badge", group="组织与人员", order=110
    ),
    NavItem("居民", "people:person_list", "people.browse", icon="people", group="组织与人员", order=120),
    NavItem(
        "在职党员报到",
        "people:inservice_list",
        "people.browse",
        icon="briefcase",
        group="党员管理",
        order=210,
    ),
    NavItem(
        "流动党员",
        "people:floating_list",
        "people.browse",
        icon="signpost-split",
        group="党员管理",
        order=220,
    ),
    NavItem("党员责任区", "people:zone_list", "people.browse", icon="geo-alt", group="党员管理", order=230),
    NavItem(
        "设岗定责/示范岗", "people:post_list", "people.browse", icon="award", group="党员管理", order=235
    ),
    NavItem("党员五卡", "people:card_index", "people.browse", icon="card-list", group="党员管理", order=240),
    NavItem(
        "干部队伍",
        "people:cadre_overview",
        "people.browse",
        icon="person-workspace",
        group="党员管理",
        order=250,
    ),
)
