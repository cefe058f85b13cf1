"""Who may see and change people and members; who may see full ID numbers and phones."""

from linli.core.roles import MANAGERS, STAFF, Role, register_permissions

register_permissions(
    {
        "people.view": ("查看人员和党员", STAFF | {Role.MEMBER, Role.RESIDENT}),
        "people.browse": ("浏览人员、党员和户名单", STAFF),
        "people.change": ("登记和修改人员、党员", MANAGERS | {Role.GRID_WORKER}),
        "people.change_member": ("维护党员组织关系和分类", MANAGERS),
        "people.view_pii": ("查看完整身份证号和电话", MANAGERS),
        "people.import": ("Excel导入花名册", MANAGERS),
        "people.export": ("Excel导出名单", STAFF),
        "people.cadres": ("维护干部任职", MANAGERS),
    }
)
