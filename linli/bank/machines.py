"""The bank's state machines: bulk credits, orders and time-bank service records, one table each."""

from linli.core.statemachine import StateMachine, transition

from .choices import BulkState, OrderState, ServiceState

BULK_MACHINE = StateMachine(
    name="bank_bulk_credit",
    state_field="state",
    states=BulkState,
    transitions=[
        transition("approve", "审批通过并入账", BulkState.PENDING, BulkState.APPROVED, "bank.bulk_approve"),
        transition(
            "reject", "驳回", BulkState.PENDING, BulkState.REJECTED, "bank.bulk_approve", requires_note=True
        ),
    ],
)

OPEN = (OrderState.PLACED, OrderState.READY)

ORDER_MACHINE = StateMachine(
    name="bank_order",
    state_field="state",
    states=OrderState,
    transitions=[
        transition("prepare", "备货完成", OrderState.PLACED, OrderState.READY, "bank.desk"),
        transition("collect", "发放", OPEN, OrderState.COLLECTED, "bank.desk"),
        transition("refuse", "拒绝", OPEN, OrderState.REFUSED, "bank.desk", requires_note=True),
        transition(
            "cancel", "取消订单", OPEN, OrderState.CANCELLED, "bank.desk", self_permission="bank.self"
        ),
    ],
)

SERVICE_MACHINE = StateMachine(
    name="bank_service_record",
    state_field="state",
    states=ServiceState,
    transitions=[
        transition(
            "confirm",
            "确认服务",
            ServiceState.CLAIMED,
            ServiceState.CONFIRMED,
            "bank.timebank",
            self_permission="bank.self",
        ),
        transition(
            "dispute",
            "提出异议",
            ServiceState.CLAIMED,
            ServiceState.DISPUTED,
            "bank.timebank",
            requires_note=True,
            self_permission="bank.self",
        ),
        transition(
            "resolve",
            "异议处理：入账",
            ServiceState.DISPUTED,
            ServiceState.RESOLVED,
            "bank.timebank_resolve",
            requires_note=True,
        ),
        transition(
            "reject",
            "异议处理：不入账",
            ServiceState.DISPUTED,
            ServiceState.REJECTED,
            "bank.timebank_resolve",
            requires_note=True,
        ),
    ],
)
