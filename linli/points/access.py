"""Who may do what in the points system; the roles follow seed 001's division of the eleven steps.

区管理员 sets the schemes; 党员 self-report and apply for exemption; 社区管理员/书记 review and run the
branch's steps (初评 … 上报, 年底评议, 评定格次); 街道管理员 (the street Party working committee) files,
confirms grades, approves exemptions and verifies; 积分核查 is also open to the district.
"""

from linli.core.roles import MANAGERS, Role, register_permissions

register_permissions(
    {
        "points.self": ("本人积分与自评申报", {Role.MEMBER}),
        "points.view": ("查看党员积分、申报和公示", MANAGERS | {Role.MEMBER}),
        "points.year_view": ("查看各支部年度积分流程", MANAGERS),
        "points.review": ("社区初评：审核申报、记录加扣分、登记违纪违规", {Role.COMMUNITY_ADMIN}),
        "points.run_year": ("推进支部年度积分流程", {Role.COMMUNITY_ADMIN}),
        "points.file": ("街道党工委备案、确认格次", {Role.STREET_ADMIN}),
        "points.verify": ("积分核查", {Role.STREET_ADMIN, Role.DISTRICT_ADMIN}),
        "points.filed_view": ("查看已备案的积分结果", {Role.STREET_ADMIN, Role.DISTRICT_ADMIN}),
        "points.scheme_view": ("查看积分细则", MANAGERS),
        "points.scheme_manage": ("制定积分细则", {Role.DISTRICT_ADMIN}),
        "points.exemption_apply": ("申请免于参加积分活动", {Role.COMMUNITY_ADMIN, Role.MEMBER}),
        "points.exemption_recommend": ("社区党组织推荐免积分申请", {Role.COMMUNITY_ADMIN}),
        "points.exemption_approve": ("党委审核免积分申请", {Role.STREET_ADMIN}),
        "points.export": ("导出积分结果", MANAGERS),
    }
)
