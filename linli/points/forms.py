"""Forms of the points pages: input shapes only; every rule is checked again by the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from linli.people.choices import PointsClass

from .choices import (
    AutoCode,
    AwardLevel,
    CapPeriod,
    Category,
    ClaimOrigin,
    ClaimStatus,
    Direction,
    ExemptionReason,
    ViolationKind,
)
from .models import Scheme, SchemeItem
from .services.claims import EVIDENCE_MAX_FILES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
POINTS_FIELD = {"max_digits": 8, "decimal_places": 2, "min_value": 0}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item: SchemeItem) -> str:
        return f"{item.get_category_display()}｜{item.name}（{item.rule_text}）"


class ClaimForm(forms.Form):
    """党员自评: one matter, with evidence from the phone's camera or files."""

    item = ItemChoiceField(label="积分项目", queryset=SchemeItem.objects.none())
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    description = forms.CharField(label="事项说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    points = forms.DecimalField(
        label="申报分值",
        required=False,
        help_text="按分值范围计分的项目须填写；固定分值的项目不填",
        **POINTS_FIELD,
    )
    quantity = forms.IntegerField(label="次数", min_value=1, max_value=50, initial=1)
    evidence = MultipleFileField(
        label="佐证材料",
        required=False,
        help_text=f"JPG、PNG图片或PDF，每个不超过5MB，最多{EVIDENCE_MAX_FILES}个",
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = SchemeItem.objects.filter(pk__in=[i.pk for i in items]).order_by(
            "category", "sort_order", "id"
        )
        self.fields["occurred_on"].initial = timezone.localdate()


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        label="审核", choices=[("approve", "通过"), ("adjust", "调整分值后通过"), ("reject", "不予通过")]
    )
    points = forms.DecimalField(label="调整后分值", required=False, **POINTS_FIELD)
    reason = forms.CharField(label="意见/原因", required=False, max_length=500)


class CorrectForm(forms.Form):
    points = forms.DecimalField(label="更正后分值", help_text="填0表示撤销该项积分", **POINTS_FIELD)
    reason = forms.CharField(label="更正原因", max_length=500)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *ClaimStatus.choices],
        initial=ClaimStatus.SUBMITTED,
    )
    branch = forms.TypedChoiceField(label="党组织", required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *Category.choices])
    origin = forms.ChoiceField(label="来源", required=False, choices=[("", "全部来源"), *ClaimOrigin.choices])
    date_from = forms.DateField(label="发生日期自", required=False, widget=DATE)
    date_to = forms.DateField(label="至", required=False, widget=DATE)
    q = forms.CharField(label="搜索", required=False, max_length=50)

    def __init__(self, *args, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [("", "全部党组织"), *((b.pk, b.name) for b in branches)]


class RecordForm(forms.Form):
    """The community records a matter directly: a deduction, a branch-set award, an activity not in the system."""

    member = forms.ModelChoiceField(label="党员", queryset=None)
    item = ItemChoiceField(label="积分项目", queryset=SchemeItem.objects.none())
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    description = forms.CharField(label="事项说明", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    points = forms.DecimalField(
        label="分值", required=False, help_text="按分值范围计分的项目须填写", **POINTS_FIELD
    )
    quantity = forms.IntegerField(label="次数", min_value=1, max_value=50, initial=1)

    def __init__(self, *args, members, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.person.name}（{m.get_category_display()}）"
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: (
            f"[{PointsClass(i.scheme.member_class).label}] {i.get_category_display()}｜{i.name}（{i.rule_text}）"
        )
        self.fields["occurred_on"].initial = timezone.localdate()


class ViolationForm(forms.Form):
    member = forms.ModelChoiceField(label="党员", queryset=None)
    kind = forms.ChoiceField(label="性质", choices=ViolationKind.choices)
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    description = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: m.person.name


class StepForm(forms.Form):
    """One form for every step; each step's template block shows the fields it needs."""

    note = forms.CharField(label="说明", required=False, max_length=500)
    meeting_date = forms.DateField(label="党员大会日期", required=False, widget=DATE)
    expected = forms.IntegerField(label="应到人数", required=False, min_value=1)
    attended = forms.IntegerField(label="实到人数", required=False, min_value=0)
    publicity_start = forms.DateField(label="公示开始日期", required=False, widget=DATE)
    contact = forms.CharField(label="异议受理方式", required=False, max_length=200)
    review_date = forms.DateField(label="年底评议日期", required=False, widget=DATE)

    PARAMS = ("meeting_date", "expected", "attended", "publicity_start", "contact", "review_date")

    def params(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.PARAMS and v not in (None, "")}


class ObjectionForm(forms.Form):
    member = forms.ModelChoiceField(label="涉及党员", queryset=None, required=False)
    raised_by = forms.CharField(label="提出人", required=False, max_length=50, help_text="可匿名")
    received_on = forms.DateField(label="收到日期", widget=DATE)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: m.person.name
        self.fields["received_on"].initial = timezone.localdate()


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="处理结果", choices=[("1", "异议成立"), ("0", "异议不成立")], coerce=lambda v: v == "1"
    )
    resolution = forms.CharField(label="处理意见", max_length=500)
    correction_points = forms.DecimalField(
        label="更正分值",
        required=False,
        max_digits=8,
        decimal_places=2,
        help_text="补记填正数，扣减填负数；不更正留空",
    )


class ExemptionForm(forms.Form):
    member = forms.ModelChoiceField(label="党员", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    reason_kind = forms.ChoiceField(label="原因类别", choices=ExemptionReason.choices)
    reason = forms.CharField(label="具体情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    member_wish = forms.CharField(
        label="本人意愿",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text="社区代为申请时，记录征求本人意愿的时间、方式和结果",
    )

    def __init__(self, *args, members, own_member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if own_member is not None:
            del self.fields["member"]
            del self.fields["member_wish"]
        else:
            self.fields["member"].queryset = members
            self.fields["member"].label_from_instance = lambda m: f"{m.person.name}（{m.branch.name}）"


class SchemeSettingsForm(forms.Form):
    title = forms.CharField(label="细则名称", max_length=100)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    excellent_min = forms.DecimalField(label="优秀最低分", max_digits=8, decimal_places=2)
    qualified_min = forms.DecimalField(label="合格最低分", max_digits=8, decimal_places=2)
    basic_min = forms.DecimalField(label="基本合格最低分", max_digits=8, decimal_places=2)
    excellent_quota_percent = forms.IntegerField(
        label="优秀比例上限(%)", required=False, min_value=1, max_value=100, help_text="留空表示不限名额"
    )
    publicity_days = forms.IntegerField(label="公示期(工作日)", min_value=1, max_value=30, initial=5)


class SchemeCreateForm(SchemeSettingsForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    member_class = forms.ChoiceField(label="党员类别", choices=PointsClass.choices)
    field_order = ["year", "member_class", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = {
            f: Scheme._meta.get_field(f).default for f in ("excellent_min", "qualified_min", "basic_min")
        }
        for name, value in defaults.items():
            self.fields[name].initial = value
        self.fields["year"].initial = timezone.localdate().year


class ItemForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    name = forms.CharField(label="项目", max_length=100)
    description = forms.CharField(label="标准说明", required=False, max_length=300)
    direction = forms.ChoiceField(label="加减分", choices=Direction.choices)
    default_points = forms.DecimalField(
        label="每次分值", required=False, help_text="固定分值；与分值范围二选一", **POINTS_FIELD
    )
    min_points = forms.DecimalField(label="最低分值", required=False, **POINTS_FIELD)
    max_points = forms.DecimalField(label="最高分值", required=False, **POINTS_FIELD)
    cap_points = forms.DecimalField(
        label="上限分值", required=False, help_text="留空表示不封顶", **POINTS_FIELD
    )
    cap_period = forms.ChoiceField(
        label="上限周期", required=False, choices=[("", "不封顶"), *CapPeriod.choices]
    )
    evidence_required = forms.BooleanField(label="须提供佐证材料", required=False)
    award_level = forms.ChoiceField(label="表彰级别", required=False, choices=AwardLevel.choices)
    auto_code = forms.ChoiceField(
        label="自动记分代码", required=False, choices=[("", "不自动记分"), *AutoCode.choices]
    )
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0)


class CopyForwardForm(forms.Form):
    from_year = forms.IntegerField(label="从年度", min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label="复制到年度", min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["from_year"].initial = this_year - 1
        self.fields["to_year"].initial = this_year


def parse_year(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year
