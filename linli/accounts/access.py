"""Account permissions: the system administrator manages accounts, the security administrator unlocks."""

from linli.core.roles import Role, register_permissions

register_permissions(
    {
        "accounts.manage": ("管理账号和角色授权", {Role.SYSADMIN}),
        "accounts.security": ("解锁账号、查看登录安全", {Role.SECADMIN}),
    }
)
