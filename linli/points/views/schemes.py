"""The scheme editor for the district admin: items, caps, thresholds, quotas; publish, new version, copy forward."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required
from linli.core.statemachine import TransitionError
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode

from .. import services
from ..choices import Category
from ..forms import CopyForwardForm, ItemForm, SchemeCreateForm, SchemeSettingsForm, parse_year
from ..models import Scheme, SchemeItem
from ..services.schemes import ITEM_FIELDS, SCHEME_MACHINE, SCHEME_SETTINGS
from .common import flash_error


def _district(user) -> OrgNode:
    """The district where the user manages schemes (the first one, for a city-wide account)."""
    paths = scope_for(user).paths_for("points.scheme_manage")
    node = OrgNode.objects.filter(path__in=paths, kind=NodeKind.DISTRICT).order_by("path").first()
    if node is None:
        raise Http404("您没有可管理积分细则的区。")
    return node


@permission_required("points.scheme_view")
def scheme_list(request):
    year = parse_year(request.GET.get("year"))
    schemes = (
        Scheme.objects.visible_to(request.user, "points.scheme_view")
        .filter(year=year)
        .select_related("district")
        .order_by("member_class", "-version")
    )
    may_manage = scope_for(request.user).has_perm("points.scheme_manage")
    return render(
        request,
        "points/scheme_list.html",
        {"schemes": list(schemes), "year": year, "may_manage": may_manage, "copy_form": CopyForwardForm()},
    )


@permission_required("points.scheme_manage")
def scheme_create(request):
    district = _district(request.user)
    form = SchemeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            scheme = services.scheme_create(
                actor=request.user,
                district=district,
                year=data.pop("year"),
                member_class=data.pop("member_class"),
                **data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "细则草稿已建立，请添加积分项目后发布。")
            return redirect("points:scheme_detail", pk=scheme.pk)
    return render(request, "points/scheme_form.html", {"form": form, "title": "新建积分细则"})


@permission_required("points.scheme_view")
def scheme_detail(request, pk: int):
    scheme = get_visible_or_404(
        Scheme.objects.select_related("district", "copied_from"), request.user, "points.scheme_view", pk=pk
    )
    items = list(scheme.items.order_by("category", "sort_order", "id"))
    groups = [(label, [i for i in items if i.category == value]) for value, label in Category.choices]
    may_manage = scope_for(request.user).has_perm_at("points.scheme_manage", scheme.district.path)
    versions = Scheme.objects.filter(
        district_id=scheme.district_id, year=scheme.year, member_class=scheme.member_class
    ).order_by("version")
    return render(
        request,
        "points/scheme_detail.html",
        {
            "scheme": scheme,
            "groups": groups,
            "may_manage": may_manage,
            "versions": list(versions),
            "history": list(SCHEME_MACHINE.history(scheme)),
        },
    )


@permission_required("points.scheme_manage")
def scheme_edit(request, pk: int):
    scheme = get_visible_or_404(Scheme, request.user, "points.scheme_manage", pk=pk)
    initial = {f: getattr(scheme, f) for f in SCHEME_SETTINGS}
    form = SchemeSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(actor=request.user, scheme=scheme, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "细则设置已保存。")
            return redirect("points:scheme_detail", pk=pk)
    return render(
        request, "points/scheme_form.html", {"form": form, "title": f"修改{scheme}", "scheme": scheme}
    )


@permission_required("points.scheme_manage")
def item_create(request, pk: int):
    scheme = get_visible_or_404(Scheme, request.user, "points.scheme_manage", pk=pk)
    return _item_form(request, scheme, None)


@permission_required("points.scheme_manage")
def item_edit(request, pk: int):
    item = get_object_or_404(SchemeItem, pk=pk)
    scheme = get_visible_or_404(Scheme, request.user, "points.scheme_manage", pk=item.scheme_id)
    return _item_form(request, scheme, item)


def _item_form(request, scheme: Scheme, item: SchemeItem | None):
    initial = {f: getattr(item, f) for f in ITEM_FIELDS} if item else {"sort_order": scheme.items.count() + 1}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_item_save(actor=request.user, scheme=scheme, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "积分项目已保存。")
            return redirect("points:scheme_detail", pk=scheme.pk)
    title = f"修改项目「{item.name}」" if item else "添加积分项目"
    return render(request, "points/item_form.html", {"form": form, "scheme": scheme, "title": title})


@require_POST
@permission_required("points.scheme_manage")
def item_delete(request, pk: int):
    item = get_object_or_404(SchemeItem, pk=pk)
    scheme = get_visible_or_404(Scheme, request.user, "points.scheme_manage", pk=item.scheme_id)
    try:
        services.scheme_item_delete(actor=request.user, item=item)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, f"已删除项目「{item.name}」。")
    return redirect("points:scheme_detail", pk=scheme.pk)


@require_POST
@permission_required("points.scheme_manage")
def scheme_publish(request, pk: int):
    scheme = get_visible_or_404(Scheme, request.user, "points.scheme_manage", pk=pk)
    try:
        services.scheme_publish(actor=request.user, scheme=scheme, note=request.POST.get("note", ""))
    except (ValidationError, TransitionError) as error:
        flash_error(request, error)
    else:
        messages.success(request, f"「{scheme}」已发布。")
    return redirect("points:scheme_detail", pk=pk)


@require_POST
@permission_required("points.scheme_manage")
def scheme_new_version(request, pk: int):
    scheme = get_visible_or_404(Scheme, request.user, "points.scheme_manage", pk=pk)
    try:
        copy = services.scheme_new_version(actor=request.user, scheme=scheme)
    except ValidationError as error:
        flash_error(request, error)
        return redirect("points:scheme_detail", pk=pk)
    messages.success(request, f"已建立第{copy.version}版草稿；修改后发布即替代第{scheme.version}版。")
    return redirect("points:scheme_detail", pk=copy.pk)


@require_POST
@permission_required("points.scheme_manage")
def scheme_copy_forward(request):
    district = _district(request.user)
    form = CopyForwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写年度。")
        return redirect("points:scheme_list")
    try:
        created = services.scheme_copy_forward(actor=request.user, district=district, **form.cleaned_data)
    except ValidationError as error:
        flash_error(request, error)
        return redirect("points:scheme_list")
    messages.success(request, f"已复制{len(created)}份细则为{form.cleaned_data['to_year']}年草稿。")
    return redirect(f"{reverse('points:scheme_list')}?year={form.cleaned_data['to_year']}")
