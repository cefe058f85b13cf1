"""Forms of the roster import pages (PPL-7)."""

from typing import Any

from django import forms

from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode

from .choices import ImportKind

IMPORT_SCOPE_KINDS = (NodeKind.DISTRICT, NodeKind.STREET, NodeKind.COMMUNITY)


def import_scope_nodes(user: Any):
    """Districts, streets and communities where the user may import, highest first."""
    return (
        OrgNode.objects.visible_to(user, "people.import")
        .filter(kind__in=IMPORT_SCOPE_KINDS, is_active=True)
        .order_by("depth", "path")
    )


class ScopeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgNode) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="花名册类型", choices=ImportKind.choices, initial=ImportKind.RESIDENT, widget=forms.RadioSelect
    )
    node = ScopeChoiceField(
        label="导入范围",
        queryset=OrgNode.objects.none(),
        empty_label=None,
        help_text="网格和党组织名称只在此范围内查找，人员也只会登记到此范围内。",
    )
    file = forms.FileField(
        label="Excel文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text="请使用下方的模板填写；上传后先预览检查结果，确认后才会导入。",
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = import_scope_nodes(user)


class ImportCommitForm(forms.Form):
    only_valid = forms.BooleanField(required=False)
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("only_valid") and not data.get("confirm"):
            raise forms.ValidationError("请先勾选确认：有误的行不会导入。")
        return data
