"""Choices of the points station (积分驿站), its shop and the time bank (时间银行)."""

from django.db import models

POINTS_CURRENCY = "bank_points"
HOURS_CURRENCY = "time_hours"
STOCK_CURRENCY = "shop_stock"


class DepositorKind(models.TextChoices):
    PERSON = "person", "居民"
    HOUSEHOLD = "household", "家庭户"
    UNIT = "unit", "驻区单位"


class EarningCategory(models.TextChoices):
    GARBAGE = "garbage", "垃圾分类"
    COMPOST = "compost", "环保堆肥"
    VOLUNTEER = "volunteer", "志愿服务"
    ACTIVITY = "activity", "社区活动"
    HELP = "help", "助贫助困"
    IDEAS = "ideas", "献智献策"
    OTHER = "other", "其他"


class EvidenceKind(models.TextChoices):
    NONE = "none", "无需证据"
    PHOTO = "photo", "需上传照片"
    WITNESS = "witness", "需证明人"


class EarningMethod(models.TextChoices):
    PHONE = "phone", "扫手机码"
    CARD = "card", "扫储户卡"
    CODE = "code", "输入储户码"
    HOUSEHOLD = "household", "按户录入"
    DESK = "desk", "柜台选择"
    BULK = "bulk", "批量记分"


class BulkState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已审批入账"
    REJECTED = "rejected", "已驳回"


class ShopItemKind(models.TextChoices):
    GOODS = "goods", "生活用品"
    PRODUCE = "produce", "蔬菜花卉"
    SERVICE = "service", "便民服务"
    HONOUR = "honour", "荣誉"


class OrderState(models.TextChoices):
    PLACED = "placed", "已下单"
    READY = "ready", "待领取"
    COLLECTED = "collected", "已领取"
    CANCELLED = "cancelled", "已取消"
    REFUSED = "refused", "已拒绝"


OPEN_ORDER_STATES = (OrderState.PLACED, OrderState.READY)


class OrderChannel(models.TextChoices):
    SELF = "self", "居民手机下单"
    DESK = "desk", "柜台代下单"


class ServiceState(models.TextChoices):
    CLAIMED = "claimed", "待确认"
    CONFIRMED = "confirmed", "已确认入账"
    DISPUTED = "disputed", "有异议"
    RESOLVED = "resolved", "异议已处理(入账)"
    REJECTED = "rejected", "异议已处理(不入账)"


class ConfirmedAs(models.TextChoices):
    RECIPIENT = "recipient", "受助人本人"
    FAMILY = "family", "家庭成员代为确认"
    GRID_WORKER = "grid_worker", "网格员/社区代为确认"


class RelayRelation(models.TextChoices):
    FAMILY = "family", "家庭成员"
    IN_NEED = "in_need", "困难群众"
