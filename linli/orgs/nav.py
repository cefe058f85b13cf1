"""Menu entries of the orgs app."""

from linli.core.navigation import NavItem, register

register(
    NavItem("组织架构", "orgs:tree", "orgs.browse", icon="diagram-3", group="组织与人员", order=100),
    NavItem(
        "户信息", "orgs:household_list", "people.browse", icon="house-door", group="组织与人员", order=130
    ),
    NavItem(
        "组织覆盖",
        "orgs:coverage",
        "orgs.coverage",
        icon="exclamation-diamond",
        group="组织与人员",
        order=190,
    ),
    NavItem("户标签", "orgs:tag_list", "orgs.manage_tags", icon="tags", group="组织与人员", order=195),
)
