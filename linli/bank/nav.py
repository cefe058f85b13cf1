"""Menu entries of the points station and time bank."""

from linli.core.navigation import NavItem, register

GROUP = "积分驿站"

register(
    NavItem("我的驿站积分", "bank:me", "bank.self", icon="qr-code", group=GROUP, order=400),
    NavItem("我的时间银行", "bank:me_timebank", "bank.self", icon="hourglass-split", group=GROUP, order=401),
    NavItem("驿站工作台", "bank:desk", "bank.earn", icon="upc-scan", group=GROUP, order=410),
    NavItem("储户", "bank:depositor_list", "bank.view", icon="people", group=GROUP, order=411),
    NavItem("按户记分", "bank:household_list", "bank.earn", icon="house", group=GROUP, order=412),
    NavItem("积分记录", "bank:earning_list", "bank.view", icon="list-check", group=GROUP, order=413),
    NavItem("兑换订单", "bank:order_list", "bank.desk", icon="bag-check", group=GROUP, order=414),
    NavItem("库存", "bank:stock", "bank.desk", icon="box-seam", group=GROUP, order=415),
    NavItem("批量记分", "bank:bulk_list", "bank.bulk", icon="collection", group=GROUP, order=416),
    NavItem(
        "时间银行", "bank:timebank_list", "bank.timebank", icon="hourglass-split", group=GROUP, order=417
    ),
    NavItem("储户卡打印", "bank:cards", "bank.card", icon="printer", group=GROUP, order=418),
    NavItem("驿站概况", "bank:overview", "bank.overview", icon="bar-chart", group=GROUP, order=419),
    NavItem("驿站设置", "bank:station_list", "bank.manage", icon="gear", group=GROUP, order=420),
)
