"""Forms of the points station, shop and time bank; rules live in services, forms only shape input."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone

from .choices import EarningMethod
from .codes import short_code_normalize
from .models import EarningItem, ExpiryRule, ShopItem, Station

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="储户码",
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autofocus": True,
                "placeholder": "扫码，或输入8位储户码",
                "inputmode": "text",
            }
        ),
    )


class EarningForm(forms.Form):
    item = forms.ModelChoiceField(label="积分项目", queryset=EarningItem.objects.none(), empty_label=None)
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=99, initial=1)
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    evidence = forms.FileField(
        label="证据照片",
        required=False,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "gif", "webp", "heic"])],
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text="可直接用手机拍照；不超过5MB。",
    )
    witness = forms.CharField(label="证明人", max_length=50, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)
    method = forms.ChoiceField(
        choices=EarningMethod.choices, widget=forms.HiddenInput, initial=EarningMethod.DESK
    )

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence and evidence.size > 5 * 1024 * 1024:
            raise forms.ValidationError("照片不能超过5MB。")
        return evidence

    def __init__(self, *args, station: Station | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if station is not None:
            self.fields["item"].queryset = EarningItem.objects.filter(
                station=station, is_active=True
            ).order_by("sort_order", "pk")
        self.fields["item"].label_from_instance = _item_label
        self.fields["occurred_on"].initial = timezone.localdate()


def _item_label(item: EarningItem) -> str:
    extra = {"photo": "·需照片", "witness": "·需证明人"}.get(item.evidence, "")
    return f"{item.name}（{item.points.normalize():f}分/{item.unit}{extra}）"


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=99, initial=1)


class ResidentOrderForm(QuantityForm):
    depositor = forms.TypedChoiceField(label="使用账户", coerce=int)

    def __init__(self, *args, depositors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depositor"].choices = [
            (
                d.pk,
                f"{'本人' if d.kind == 'person' else '家庭'}：{d.name}（余额{d.points_account.balance.normalize():f}分）",
            )
            for d in depositors
        ]


class DeskOrderForm(QuantityForm):
    item = forms.ModelChoiceField(label="兑换商品", queryset=ShopItem.objects.none(), empty_label=None)

    def __init__(self, *args, station: Station | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if station is not None:
            self.fields["item"].queryset = (
                ShopItem.objects.filter(station=station, is_active=True)
                .select_related("stock_account")
                .order_by("sort_order", "pk")
            )
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.name}（{i.price.normalize():f}分，库存{i.stock_account.balance.normalize():f}{i.unit}）"
        )
        self.order_fields(["item", "quantity"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, required=False)


class StockForm(forms.Form):
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=100000)
    note = forms.CharField(label="说明", max_length=100, required=False)


class StationForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = ["name", "address", "opening_hours", "allows_cross_redemption", "is_active"]
        help_texts = {
            "allows_cross_redemption": "开通后，同一街道内也开通的驿站之间可以互相兑换（通存通兑）。"
        }


class StationCreateForm(StationForm):
    community = forms.ModelChoiceField(label="社区", queryset=None, empty_label=None)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.order_fields(["community", "name"])


class EarningItemForm(forms.ModelForm):
    class Meta:
        model = EarningItem
        fields = [
            "name",
            "category",
            "points",
            "unit",
            "daily_cap",
            "monthly_cap",
            "evidence",
            "evidence_hint",
            "counts_as_community_service",
            "is_active",
            "sort_order",
        ]


class ShopItemForm(forms.ModelForm):
    class Meta:
        model = ShopItem
        fields = [
            "name",
            "kind",
            "description",
            "price",
            "unit",
            "per_order_limit",
            "low_stock_threshold",
            "is_active",
            "sort_order",
        ]


class ExpiryRuleForm(forms.ModelForm):
    class Meta:
        model = ExpiryRule
        fields = ["is_active", "keep_months", "expires_month", "expires_day", "notice_days"]
        help_texts = {
            "keep_months": "到期日时，早于此月数获得且尚未使用的积分过期（先进先出：兑换先用最早的积分）。",
            "notice_days": "到期日前多少天起在居民页面提醒；规则公布（或修改）后须满此天数，当年到期才生效。",
        }


class BulkCreditForm(forms.Form):
    station = forms.ModelChoiceField(label="积分驿站", queryset=Station.objects.none(), empty_label=None)
    item = forms.ModelChoiceField(label="积分项目", queryset=EarningItem.objects.none(), empty_label=None)
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    lines = forms.CharField(
        label="储户名单",
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "每行一位：储户码 数量，例如\nABCD-EFGH 1\nJKMN-PQRS 2"}
        ),
        help_text="每行一位储户：8位储户码，空格，数量（不写数量按1计）。",
    )

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        self.fields["item"].queryset = EarningItem.objects.filter(
            station__in=stations, is_active=True
        ).select_related("station")
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.station.name}·{i.name}（{i.points.normalize():f}分）"
        )
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_lines(self) -> list[tuple[int, str, int]]:
        """[(line number, short code, quantity)]; every bad line is reported with its number."""
        parsed, errors = [], []
        for number, raw in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            parts = raw.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            code = short_code_normalize(parts[0])
            quantity = parts[1] if len(parts) > 1 else "1"
            if len(code) != 8 or not quantity.isdigit() or len(parts) > 2:
                errors.append(f"第{number}行格式不对：「{raw.strip()}」")
                continue
            parsed.append((number, code, int(quantity)))
        if errors:
            raise forms.ValidationError(errors)
        if not parsed:
            raise forms.ValidationError("请至少填写一位储户。")
        return parsed

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("item")
            and cleaned.get("station")
            and cleaned["item"].station_id != cleaned["station"].pk
        ):
            self.add_error("item", "积分项目不属于所选驿站。")
        return cleaned


class HoursForm(forms.Form):
    hours = forms.DecimalField(label="时长(小时)", min_value=Decimal("0.1"), max_digits=5, decimal_places=1)


class ServiceClaimForm(HoursForm):
    recipient_code = forms.CharField(
        label="受助人储户码", max_length=20, help_text="请受助人出示储户卡或手机页面上的8位储户码。"
    )
    what = forms.CharField(label="服务内容", max_length=100)
    served_on = forms.DateField(label="服务日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served_on"].initial = timezone.localdate()
        self.order_fields(["recipient_code", "what", "served_on", "hours"])


class StaffServiceClaimForm(ServiceClaimForm):
    provider_code = forms.CharField(label="服务人储户码", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["provider_code", "recipient_code", "what", "served_on", "hours"])


class WithdrawForm(HoursForm):
    depositor_code = forms.CharField(label="储户码", max_length=300)
    service = forms.CharField(label="兑换的服务", max_length=100)
    occurred_on = forms.DateField(label="服务日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()
        self.order_fields(["depositor_code", "service", "occurred_on", "hours"])


class FamilyRelayForm(HoursForm):
    recipient = forms.TypedChoiceField(label="转赠给", coerce=int)
    reason = forms.CharField(label="说明", max_length=200, initial="爱心接力")

    def __init__(self, *args, family=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [(p.pk, p.name) for p in family]
        self.order_fields(["recipient", "hours", "reason"])


class StaffRelayForm(HoursForm):
    donor_code = forms.CharField(label="转出人储户码", max_length=300)
    recipient_code = forms.CharField(label="接收人储户码", max_length=300)
    reason = forms.CharField(label="说明", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["donor_code", "recipient_code", "hours", "reason"])


class ResolveForm(HoursForm):
    note = forms.CharField(label="处理意见", max_length=200)


class PeriodForm(forms.Form):
    since = forms.DateField(label="起", widget=DATE, required=False)
    until = forms.DateField(label="止", widget=DATE, required=False)

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        since = data.get("since") or today.replace(month=1, day=1)
        until = data.get("until") or today
        return (since, until) if since <= until else (until, since)
