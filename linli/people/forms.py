"""Forms of the registry pages. Rules live in people.services; forms shape input and put errors on fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from linli.core.validators import normalize_phone, parse_id_number
from linli.orgs.choices import NodeKind
from linli.orgs.forms import NodeLabelChoiceField, style_filter_widgets
from linli.orgs.models import Building, Household, HouseholdTag, OrgNode, PartyOrg

from .choices import (
    ContactMethod,
    Education,
    FloatingDirection,
    Gender,
    HouseholdRelation,
    MemberCategory,
    MemberStatus,
    PersonStatus,
    Position,
    PostKind,
    RecordState,
)
from .selectors import CARD_KINDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PEOPLE_NODE_KINDS = [NodeKind.COMMUNITY, NodeKind.AREA, NodeKind.GRID]


def _nodes(user, permission: str, kinds) -> forms.models.QuerySet:
    return (
        OrgNode.objects.visible_to(user, permission)
        .filter(kind__in=list(kinds), is_active=True)
        .order_by("path")
        .only("id", "name", "kind", "depth", "path")
    )


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class PartyOrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PartyOrg) -> str:
        return obj.name


# ---------------------------------------------------------------------------------------------------
# Filters (GET)


class _AgeRangeMixin:
    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            raise ValidationError("年龄下限不能大于上限。")
        return data


class PersonFilterForm(_AgeRangeMixin, forms.Form):
    q = forms.CharField(label="姓名/拼音/身份证号/电话", required=False)
    node = NodeLabelChoiceField(label="社区/网格", queryset=OrgNode.objects.none(), required=False)
    is_member = forms.ChoiceField(
        label="政治面貌", choices=[("", "全部"), ("1", "党员"), ("0", "非党员")], required=False
    )
    gender = forms.ChoiceField(label="性别", choices=_blank("性别不限", Gender.choices), required=False)
    age_min = forms.IntegerField(label="年龄自", min_value=0, max_value=150, required=False)
    age_max = forms.IntegerField(label="年龄至", min_value=0, max_value=150, required=False)
    tag = forms.ModelChoiceField(label="户标签", queryset=HouseholdTag.objects.none(), required=False)
    status = forms.ChoiceField(
        label="状态", choices=[*PersonStatus.choices, ("all", "全部状态")], required=False
    )
    household = forms.ModelChoiceField(
        label="户", queryset=Household.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = _nodes(user, "people.view", PEOPLE_NODE_KINDS)
        self.fields["node"].empty_label = "全部社区/网格"
        self.fields["tag"].queryset = HouseholdTag.objects.order_by("sort_order", "id")
        self.fields["tag"].empty_label = "户标签不限"
        self.fields["household"].queryset = Household.objects.visible_to(user, "people.view")
        style_filter_widgets(self)

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status") or PersonStatus.ACTIVE
        is_member = {"1": True, "0": False}.get(data.get("is_member") or "")
        return {
            "q": data.get("q", ""),
            "node": data.get("node"),
            "household": data.get("household"),
            "gender": data.get("gender", ""),
            "age_min": data.get("age_min"),
            "age_max": data.get("age_max"),
            "tag": data.get("tag"),
            "status": "" if status == "all" else status,
            "is_member": is_member,
        }


class MemberFilterForm(_AgeRangeMixin, forms.Form):
    q = forms.CharField(label="姓名/拼音/身份证号/电话", required=False)
    node = NodeLabelChoiceField(label="社区/网格", queryset=OrgNode.objects.none(), required=False)
    branch = PartyOrgChoiceField(label="党组织", queryset=PartyOrg.objects.none(), required=False)
    category = forms.ChoiceField(
        label="党员分类", choices=_blank("分类不限", MemberCategory.choices), required=False
    )
    status = forms.ChoiceField(
        label="党员类别", choices=_blank("正式/预备不限", MemberStatus.choices), required=False
    )
    record_state = forms.ChoiceField(
        label="在册状态", choices=[*RecordState.choices, ("all", "全部在册状态")], required=False
    )
    gender = forms.ChoiceField(label="性别", choices=_blank("性别不限", Gender.choices), required=False)
    age_min = forms.IntegerField(label="年龄自", min_value=0, max_value=150, required=False)
    age_max = forms.IntegerField(label="年龄至", min_value=0, max_value=150, required=False)
    tag = forms.ModelChoiceField(label="户标签", queryset=HouseholdTag.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = _nodes(user, "people.view", PEOPLE_NODE_KINDS)
        self.fields["node"].empty_label = "全部社区/网格"
        self.fields["branch"].queryset = (
            PartyOrg.objects.visible_to(user, "people.view")
            .filter(is_active=True)
            .order_by("node__path", "id")
        )
        self.fields["branch"].empty_label = "全部党组织"
        self.fields["tag"].queryset = HouseholdTag.objects.order_by("sort_order", "id")
        self.fields["tag"].empty_label = "户标签不限"
        style_filter_widgets(self)

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        record_state = data.get("record_state") or RecordState.ACTIVE
        return {
            "q": data.get("q", ""),
            "node": data.get("node"),
            "branch": data.get("branch"),
            "category": data.get("category", ""),
            "status": data.get("status", ""),
            "record_state": "" if record_state == "all" else record_state,
            "gender": data.get("gender", ""),
            "age_min": data.get("age_min"),
            "age_max": data.get("age_max"),
            "tag": data.get("tag"),
        }


class SimpleFilterForm(forms.Form):
    """Search box, a node and an active/ended switch: the in-service, floating, zone and post lists."""

    q = forms.CharField(label="姓名/拼音", required=False)
    node = NodeLabelChoiceField(label="社区/网格", queryset=OrgNode.objects.none(), required=False)
    state = forms.ChoiceField(
        label="状态", choices=[("active", "有效"), ("ended", "已结束"), ("all", "全部")], required=False
    )

    def __init__(self, *args, user, kinds=PEOPLE_NODE_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = _nodes(user, "people.view", kinds)
        self.fields["node"].empty_label = "全部"
        style_filter_widgets(self)

    def value(self, name: str, default=None):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get(name) or default

    def is_active(self) -> bool | None:
        return {"active": True, "ended": False, "all": None}[self.value("state", "active")]


class FloatingFilterForm(SimpleFilterForm):
    direction = forms.ChoiceField(
        label="流向", choices=_blank("流出/流入", FloatingDirection.choices), required=False
    )
    stale_days = forms.IntegerField(label="超过天数未联系", min_value=1, max_value=3650, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filter_widgets(self)


class CadreFilterForm(forms.Form):
    node = NodeLabelChoiceField(label="组织", queryset=OrgNode.objects.none(), required=False)
    position = forms.ChoiceField(label="职务", choices=_blank("全部职务", Position.choices), required=False)
    current = forms.ChoiceField(label="任期", choices=[("1", "现任"), ("0", "全部(含离任)")], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = _nodes(
            user, "people.view", [NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.AREA, NodeKind.GRID]
        )
        self.fields["node"].empty_label = "全部"
        style_filter_widgets(self)

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "node": data.get("node"),
            "position": data.get("position", ""),
            "current": (data.get("current") or "1") == "1",
        }


class CardBatchForm(forms.Form):
    kind = forms.ChoiceField(label="卡片", choices=list(CARD_KINDS.items()))
    community = NodeLabelChoiceField(label="社区", queryset=OrgNode.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _nodes(user, "people.view", [NodeKind.COMMUNITY])
        style_filter_widgets(self)


# ---------------------------------------------------------------------------------------------------
# Persons


class PersonForm(forms.Form):
    node = NodeLabelChoiceField(label="所属网格", queryset=OrgNode.objects.none())
    household = forms.ModelChoiceField(label="户", queryset=Household.objects.none(), required=False)
    relation_to_head = forms.ChoiceField(
        label="与户主关系", choices=_blank("—", HouseholdRelation.choices), required=False
    )
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    phone = forms.CharField(label="电话", max_length=20, required=False)
    gender = forms.ChoiceField(
        label="性别",
        choices=_blank("—", Gender.choices),
        required=False,
        help_text="填写身份证号时自动识别。",
    )
    birth_date = forms.DateField(
        label="出生日期", required=False, widget=DATE, help_text="填写身份证号时自动识别。"
    )
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    education = forms.ChoiceField(label="学历", choices=_blank("—", Education.choices), required=False)
    address = forms.CharField(label="居住地址", max_length=200, required=False)
    is_resident = forms.BooleanField(label="本辖区居民", required=False, initial=True)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, person=None, grid: OrgNode | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = person is not None
        self.fields["node"].queryset = _nodes(
            user, "people.change", [NodeKind.GRID, NodeKind.AREA, NodeKind.COMMUNITY]
        )
        grid = grid or (person.node if person is not None else None)
        households = Household.objects.visible_to(user, "people.change").select_related("building")
        self.fields["household"].queryset = (
            households.filter(grid=grid).order_by("building__name", "unit_no", "room_no", "id")
            if grid is not None
            else households.none()
        )
        self.fields["household"].label_from_instance = lambda h: h.label
        if grid is None:
            self.fields["household"].help_text = "先保存人员，再在编辑页选择所在网格的户。"
        if self.editing:
            masked_id = person.id_number_masked or "未登记"
            masked_phone = person.phone_masked or "未登记"
            self.fields["id_number"].help_text = f"当前：{masked_id}。留空表示不修改。"
            self.fields["phone"].help_text = f"当前：{masked_phone}。留空表示不修改。"
            self.fields["clear_phone"] = forms.BooleanField(label="清除电话", required=False)

    def clean_id_number(self):
        raw = self.cleaned_data.get("id_number", "").strip()
        if not raw:
            return ""
        return parse_id_number(raw).number

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "").strip()
        return normalize_phone(raw) if raw else ""

    def clean(self):
        data = super().clean()
        node, household = data.get("node"), data.get("household")
        if node is not None and household is not None and household.grid_id != node.pk:
            self.add_error("household", "所选户不在该网格内。")
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        clear_phone = data.pop("clear_phone", False)
        if self.editing:
            data["id_number"] = data["id_number"] or None
            data["phone"] = "" if clear_phone else (data["phone"] or None)
        return data


class PersonStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="状态",
        choices=PersonStatus.choices,
        widget=forms.Select(attrs={"class": "form-select", "aria-label": "状态"}),
    )
    note = forms.CharField(
        label="说明", max_length=200, required=False, help_text="迁出或去世须填写说明，如迁往何处。"
    )


class PersonDeleteForm(forms.Form):
    reason = forms.CharField(label="删除原因", max_length=200, help_text="仅用于删除误登记的人员。")


# ---------------------------------------------------------------------------------------------------
# Members


class MemberForm(forms.Form):
    branch = PartyOrgChoiceField(label="所在党组织(组织关系)", queryset=PartyOrg.objects.none())
    status = forms.ChoiceField(label="党员类别", choices=MemberStatus.choices)
    join_date = forms.DateField(label="入党日期", widget=DATE)
    formal_date = forms.DateField(label="转正日期", required=False, widget=DATE)
    category = forms.ChoiceField(label="党员分类", choices=MemberCategory.choices)
    work_unit = forms.ModelChoiceField(
        label="工作单位(辖区内)", queryset=OrgNode.objects.none(), required=False
    )
    work_unit_name = forms.CharField(
        label="工作单位", max_length=100, required=False, help_text="辖区外单位填写名称。"
    )
    job_title = forms.CharField(label="职务", max_length=50, required=False)
    record_state = forms.ChoiceField(
        label="在册状态", choices=RecordState.choices, initial=RecordState.ACTIVE
    )
    left_on = forms.DateField(label="离册日期", required=False, widget=DATE)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = (
            PartyOrg.objects.visible_to(user, "people.change_member")
            .filter(is_active=True)
            .order_by("node__path", "id")
        )
        self.fields["work_unit"].queryset = (
            OrgNode.objects.visible_to(user, "people.view").filter(kind=NodeKind.UNIT).order_by("path")
        )
        if not editing:
            del self.fields["record_state"]
            del self.fields["left_on"]

    def clean(self):
        data = super().clean()
        if (
            data.get("record_state")
            and data["record_state"] != RecordState.ACTIVE
            and not data.get("left_on")
        ):
            self.add_error("left_on", "转出或去世须填写离册日期。")
        return data


# ---------------------------------------------------------------------------------------------------
# In-service registration, floating records, zones, posts


class InServiceForm(forms.Form):
    community = NodeLabelChoiceField(label="报到社区", queryset=OrgNode.objects.none())
    registered_on = forms.DateField(label="报到日期", widget=DATE)
    skills = forms.CharField(label="技能特长", max_length=200, required=False)
    hobbies = forms.CharField(label="兴趣爱好", max_length=200, required=False)
    service_wishes = forms.CharField(
        label="服务意向", max_length=300, required=False, help_text="如认领的公益岗位。"
    )
    availability = forms.CharField(label="可服务时间", max_length=100, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _nodes(user, "people.change", [NodeKind.COMMUNITY])
        if editing:
            del self.fields["community"]
            del self.fields["registered_on"]


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(
        label="社区评价意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="将以函件形式反馈党员所在单位。",
    )
    evaluated_on = forms.DateField(label="评价日期", widget=DATE)


class FloatingRecordForm(forms.Form):
    direction = forms.ChoiceField(label="流向", choices=FloatingDirection.choices)
    place = forms.CharField(label="流出/流入地", max_length=100)
    place_party_org = forms.CharField(label="所在地党组织", max_length=100, required=False)
    reason = forms.CharField(label="外出原因", max_length=50, required=False)
    since = forms.DateField(label="起始日期", widget=DATE)
    until = forms.DateField(label="结束日期", required=False, widget=DATE, help_text="返回或结束流动时填写。")
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = record is not None
        if self.editing:
            self.fields[
                "contact_phone"
            ].help_text = f"当前：{record.contact_phone_masked or '未登记'}。留空表示不修改。"

    def clean_contact_phone(self):
        raw = self.cleaned_data.get("contact_phone", "").strip()
        return normalize_phone(raw) if raw else ""

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if self.editing and not data["contact_phone"]:
            data["contact_phone"] = None
        return data


class FloatingContactForm(forms.Form):
    contacted_on = forms.DateField(label="联系日期", widget=DATE)
    method = forms.ChoiceField(label="方式", choices=ContactMethod.choices)
    is_thought_report = forms.BooleanField(label="收到思想汇报", required=False)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 3}))


class BuildingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Building) -> str:
        return f"{obj.grid.name} {obj.name}"


class HouseholdChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Household) -> str:
        tags = "、".join(t.name for t in obj.tags.all())
        return f"{obj.grid.name} {obj.label}" + (f"（{tags}）" if tags else "")


class ZoneForm(forms.Form):
    node = NodeLabelChoiceField(label="所在网格/社区", queryset=OrgNode.objects.none())
    name = forms.CharField(label="责任区名称", max_length=100)
    duties = forms.CharField(
        label="责任内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如邻里纠纷调解、环境监督、反映群众意见。",
    )
    buildings = BuildingChoiceField(
        label="责任楼栋",
        queryset=Building.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    key_households = HouseholdChoiceField(
        label="重点联系户",
        queryset=Household.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="列出带重点关爱标签的户。",
    )
    is_active = forms.BooleanField(label="有效", required=False, initial=True)

    def __init__(self, *args, user, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = _nodes(
            user, "people.change", [NodeKind.COMMUNITY, NodeKind.AREA, NodeKind.GRID]
        )
        self.fields["buildings"].queryset = (
            Building.objects.visible_to(user, "people.change")
            .select_related("grid")
            .order_by("grid__path", "name")
        )
        cared = Household.objects.visible_to(user, "people.change").filter(tags__is_care=True)
        if zone is not None:
            cared = cared | Household.objects.filter(pk__in=zone.key_households.values("pk"))
        self.fields["key_households"].queryset = (
            cared.distinct()
            .select_related("grid", "building")
            .prefetch_related("tags")
            .order_by("grid__path", "id")
        )
        if zone is None:
            del self.fields["is_active"]
        else:
            del self.fields["node"]


class PostForm(forms.Form):
    node = NodeLabelChoiceField(label="所在组织", queryset=OrgNode.objects.none())
    kind = forms.ChoiceField(label="类型", choices=PostKind.choices)
    title = forms.CharField(label="岗位名称", max_length=100, help_text="如楼院卫生监督岗、政策宣传岗。")
    duties = forms.CharField(label="岗位职责", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(label="起始日期", widget=DATE)
    end_date = forms.DateField(label="结束日期", required=False, widget=DATE)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = _nodes(
            user, "people.change", [NodeKind.COMMUNITY, NodeKind.AREA, NodeKind.GRID]
        )
        if editing:
            del self.fields["node"]


# ---------------------------------------------------------------------------------------------------
# Cadres


class CadreForm(forms.Form):
    node = NodeLabelChoiceField(label="任职组织", queryset=OrgNode.objects.none())
    position = forms.ChoiceField(label="职务", choices=Position.choices)
    start_date = forms.DateField(label="任职日期", widget=DATE)
    end_date = forms.DateField(label="离任日期", required=False, widget=DATE)
    term_label = forms.CharField(label="届次", max_length=30, required=False, help_text="如 第十一届。")
    monthly_subsidy = forms.DecimalField(
        label="月工作补助(元)", max_digits=8, decimal_places=2, required=False
    )
    qualification_allowance = forms.DecimalField(
        label="职业资格补贴(元/月)", max_digits=8, decimal_places=2, required=False
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = _nodes(
            user, "people.cadres", [NodeKind.STREET, NodeKind.COMMUNITY, NodeKind.AREA, NodeKind.GRID]
        )
        if editing:
            del self.fields["node"]
            del self.fields["position"]
