"""Menu entries of the accounts app."""

from linli.core.navigation import NavItem, register

register(
    NavItem("账号管理", "accounts:user_list", "accounts.manage", icon="people", group="系统", order=800),
    NavItem(
        "登录安全", "accounts:security", "accounts.security", icon="shield-lock", group="系统", order=850
    ),
)
