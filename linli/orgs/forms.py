"""Forms of the organisation pages; every rule lives in orgs.services, forms only shape the input."""

from django import forms

from .choices import CHILD_KINDS, Formation, NodeKind, PartyOrgKind, UnitType
from .models import Building, HouseholdTag, OrgNode, PartyOrg


def style_filter_widgets(form: forms.Form) -> None:
    """Bootstrap classes on a GET filter form's widgets, which list pages render field by field."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
        if field.label and not isinstance(widget, forms.CheckboxInput | forms.Select):
            widget.attrs.setdefault("placeholder", field.label)
        widget.attrs.setdefault("aria-label", field.label or "")


class NodeLabelChoiceField(forms.ModelChoiceField):
    """Nodes shown indented by depth, so a long select still reads as a tree."""

    def label_from_instance(self, obj: OrgNode) -> str:
        return f"{'　' * max(obj.depth - 1, 0)}{obj.name}"


class NodeForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=())
    name = forms.CharField(label="名称", max_length=100)
    code = forms.CharField(label="编码", max_length=40, required=False)
    unit_type = forms.ChoiceField(
        label="单位类型", choices=[("", "（非单位）"), *UnitType.choices], required=False
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, parent: OrgNode | None = None, node: OrgNode | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if node is not None:
            # The kind of an existing node never changes; units keep a unit type.
            del self.fields["kind"]
            if node.kind != NodeKind.UNIT:
                del self.fields["unit_type"]
        else:
            del self.fields["is_active"]
            kinds = CHILD_KINDS[parent.kind] if parent is not None else set()
            self.fields["kind"].choices = [(k.value, k.label) for k in NodeKind if k in kinds]

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class PartyOrgForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=PartyOrgKind.choices)
    parent = forms.ModelChoiceField(label="上级党组织", queryset=PartyOrg.objects.none(), required=False)
    formation = forms.ChoiceField(label="组建方式", choices=Formation.choices, initial=Formation.SINGLE)
    covered_units = forms.ModelMultipleChoiceField(
        label="联合/挂靠覆盖单位",
        queryset=OrgNode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="联合组建或挂靠时勾选所覆盖的驻区单位。",
    )
    established_on = forms.DateField(
        label="成立日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_active = forms.BooleanField(label="有效", required=False, initial=True)

    def __init__(self, *args, node: OrgNode, org: PartyOrg | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = PartyOrg.objects.filter(node_id__in=node.ancestor_ids, is_active=True).select_related(
            "node"
        )
        if org is not None:
            parents = parents.exclude(pk=org.pk)
        self.fields["parent"].queryset = parents.order_by("node__path", "id")
        self.fields["covered_units"].queryset = OrgNode.objects.filter(
            path__startswith=node.path, kind=NodeKind.UNIT, is_active=True
        ).order_by("path")
        if org is None:
            del self.fields["is_active"]


class BuildingForm(forms.Form):
    name = forms.CharField(label="楼栋名称", max_length=50)
    address = forms.CharField(label="地址", max_length=200, required=False)
    floors = forms.IntegerField(label="层数", min_value=1, max_value=200, required=False)


class HouseholdForm(forms.Form):
    grid = NodeLabelChoiceField(label="网格", queryset=OrgNode.objects.none())
    building = forms.ModelChoiceField(label="楼栋", queryset=Building.objects.none(), required=False)
    unit_no = forms.CharField(label="单元", max_length=20, required=False)
    room_no = forms.CharField(label="户号", max_length=20, required=False)
    address = forms.CharField(
        label="地址", max_length=200, required=False, help_text="无楼栋的平房、院落填写地址。"
    )
    tags = forms.ModelMultipleChoiceField(
        label="标签",
        queryset=HouseholdTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, grid: OrgNode | None = None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = (
            OrgNode.objects.visible_to(user, "people.change")
            .filter(kind=NodeKind.GRID, is_active=True)
            .order_by("path")
        )
        self.fields["tags"].queryset = HouseholdTag.objects.order_by("sort_order", "id")
        buildings = Building.objects.visible_to(user, "people.change").select_related("grid")
        if grid is not None:
            buildings = buildings.filter(grid=grid)
        self.fields["building"].queryset = buildings.order_by("grid__path", "name")
        self.fields["building"].label_from_instance = lambda b: f"{b.grid.name} {b.name}"
        if editing:
            del self.fields["grid"]

    def clean(self):
        data = super().clean()
        grid, building = data.get("grid"), data.get("building")
        if grid is not None and building is not None and building.grid_id != grid.pk:
            self.add_error("building", "楼栋不在所选网格内。")
        return data


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label="地址/楼栋/户号", required=False)
    node = NodeLabelChoiceField(label="社区/网格", queryset=OrgNode.objects.none(), required=False)
    tag = forms.ModelChoiceField(label="标签", queryset=HouseholdTag.objects.none(), required=False)
    care = forms.BooleanField(label="仅重点关爱户", required=False)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["node"].empty_label = "全部"
        self.fields["tag"].queryset = HouseholdTag.objects.order_by("sort_order", "id")
        self.fields["tag"].empty_label = "全部标签"
        style_filter_widgets(self)


class HouseholdTagForm(forms.Form):
    name = forms.CharField(label="名称", max_length=30)
    code = forms.SlugField(
        label="代码",
        max_length=30,
        help_text="英文字母、数字、下划线，如 dibao。",
        error_messages={"invalid": "代码只能由英文字母、数字、下划线或连字符组成。"},
    )
    is_care = forms.BooleanField(label="需重点关爱", required=False, initial=True)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0
