"""Who may read ledger accounts directly (domain pages use their own doors)."""

from linli.core.roles import MANAGERS, Role, register_permissions

register_permissions(
    {
        "ledger.view": ("查看积分账户和分录", MANAGERS | {Role.MEMBER, Role.RESIDENT}),
        "ledger.verify": ("积分账本核查", {Role.DISTRICT_ADMIN}),
    }
)
