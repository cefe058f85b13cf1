"""Who may see and change the organisation tree."""

from linli.core.roles import MANAGERS, STAFF, Role, register_permissions

register_permissions(
    {
        "orgs.view": ("查看组织架构", STAFF | {Role.UNIT_CONTACT, Role.MEMBER}),
        "orgs.browse": ("浏览组织架构树", STAFF | {Role.UNIT_CONTACT}),
        "orgs.change": ("维护组织架构、楼栋和户", MANAGERS),
        "orgs.coverage": ("查看组织覆盖情况", MANAGERS),
        "orgs.manage_tags": ("维护户标签", {Role.DISTRICT_ADMIN}),
    }
)
