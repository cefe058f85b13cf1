"""Who may use the points station, its shop and the time bank (BNK-1 … BNK-3)."""

from linli.core.roles import MANAGERS, STAFF, Role, register_permissions

register_permissions(
    {
        "bank.self": ("本人积分、二维码、兑换和时间银行", {Role.RESIDENT, Role.MEMBER}),
        "bank.view": ("查看储户、积分流水和订单", STAFF | {Role.UNIT_CONTACT}),
        "bank.earn": ("记录积分（扫码、输码、按户）", STAFF),
        "bank.desk": ("驿站柜台：备货、发放、库存", MANAGERS),
        "bank.manage": ("维护驿站、积分目录、商品和过期规则", MANAGERS),
        "bank.bulk": ("发起批量记分", MANAGERS),
        "bank.bulk_approve": ("审批批量记分", MANAGERS),
        "bank.void": ("冲正积分记录", MANAGERS),
        "bank.overview": ("积分驿站概况与导出", MANAGERS),
        "bank.card": ("开户和打印、作废储户卡", STAFF),
        "bank.timebank": ("时间银行登记、代为确认、支取和转赠", STAFF),
        "bank.timebank_resolve": ("处理时间银行异议", MANAGERS),
    }
)
