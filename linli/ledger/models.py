"""Currencies, accounts and append-only entries chained by a keyed hash per account."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from linli.core import clock
from linli.core.models import AppendOnlyModel, AppendOnlyQuerySet
from linli.core.scope import Scope, ScopedQuerySet

GENESIS_HASH = "0" * 64


class Currency(models.Model):
    """A points or hours currency: 党员积分, 道德银行积分, 时间银行小时, a shop item's stock…"""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50)
    unit = models.CharField("单位", max_length=10, default="分")
    is_annual = models.BooleanField("按年度建账", default=False)
    allow_negative = models.BooleanField("允许负余额", default=False)

    class Meta:
        verbose_name = "积分币种"
        verbose_name_plural = "积分币种"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AccountQuerySet(ScopedQuerySet):
    scope_path_field = "scope_path"
    default_permission = "ledger.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(holder_person_id=scope.person_id) if scope.person_id else None


class Account(models.Model):
    """One owner's balance in one currency (and year, for annual currencies).

    `balance`, `entry_count`, `last_hash` and `last_entry_at` are maintained under a row lock by the
    posting service; `ledger verify` recomputes them from the entries. `last_entry_at` lets the
    service keep an account's entries in time order without reading the last entry. `scope_path` is
    the tree path of the owner's node, so the account can be scoped without the ledger knowing the
    owner's model.
    """

    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="accounts", verbose_name="币种"
    )
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField("年度", default=0, help_text="0 表示不分年度")
    label = models.CharField("账户名称", max_length=100, blank=True)
    scope_path = models.CharField("所属组织路径", max_length=255, db_index=True)
    holder_person_id = models.BigIntegerField("本人(人员ID)", null=True, blank=True, db_index=True)
    balance = models.DecimalField("余额", max_digits=14, decimal_places=2, default=0)
    entry_count = models.PositiveIntegerField("分录数", default=0)
    last_hash = models.CharField("链尾哈希", max_length=64, default=GENESIS_HASH)
    last_entry_at = models.DateTimeField("最后记账时间", null=True, blank=True)
    created_at = models.DateTimeField("开户时间", default=clock.now)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = "积分账户"
        verbose_name_plural = "积分账户"
        ordering = ["currency_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "owner_type", "owner_id", "year"], name="ledger_account_unique_owner"
            ),
        ]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="ledger_account_owner_idx")]

    def __str__(self) -> str:
        return f"{self.label or self.owner_id} · {self.currency}{f' · {self.year}年' if self.year else ''}"

    def get_scope_path(self) -> str:
        return self.scope_path


class EntryQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    scope_path_field = "account__scope_path"
    default_permission = "ledger.view"

    def scope_self_q(self, scope: Scope) -> Q | None:
        return Q(account__holder_person_id=scope.person_id) if scope.person_id else None


class Entry(AppendOnlyModel):
    """One movement on an account; never updated or deleted. Corrections are reversing entries.

    An account's entries are in time order: `at` never decreases as `seq` grows.

    `hash` is an HMAC over the entry's content and `prev_hash`, the hash of the account's previous
    entry, so an edited, removed or inserted row breaks the chain where it happened.
    """

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name="账户"
    )
    seq = models.PositiveIntegerField("序号")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    balance_after = models.DecimalField("记账后余额", max_digits=14, decimal_places=2)
    kind = models.CharField("类型", max_length=30)
    memo = models.CharField("摘要", max_length=200, blank=True)
    source_type = models.CharField("来源类型", max_length=100, blank=True)
    source_id = models.CharField("来源ID", max_length=64, blank=True)
    idempotency_key = models.CharField("幂等键", max_length=200, null=True, blank=True, unique=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="冲正对象",
    )
    transfer_id = models.UUIDField("转移批次", null=True, blank=True, db_index=True)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    at = models.DateTimeField("记账时间", default=clock.now)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "积分分录"
        verbose_name_plural = "积分分录"
        ordering = ["account_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["account", "seq"], name="ledger_entry_unique_seq")]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="ledger_entry_source_idx"),
            models.Index(fields=["account", "at"], name="ledger_entry_account_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.amount:+} {self.memo}"

    def get_scope_path(self) -> str:
        return self.account.scope_path
