"""Pages of the organisation tree (ORG-1, ORG-2, ORG-4): tree browser, node page, Party organisations,
buildings, households with tags, tag management and the coverage report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.excel import Column, describe_filters, export_queryset, export_response
from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required, require_perm_at

from . import selectors, services
from .choices import CHILD_KINDS, NodeKind
from .forms import BuildingForm, HouseholdFilterForm, HouseholdForm, HouseholdTagForm, NodeForm, PartyOrgForm
from .models import Building, Household, HouseholdTag, OrgNode, PartyOrg

PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------------
# Tree browser and node page


@permission_required("orgs.browse")
def tree(request):
    roots = selectors.tree_roots(user=request.user)
    if len(roots) == 1:
        return redirect("orgs:node_detail", pk=roots[0].pk)
    return render(request, "orgs/tree.html", {"roots": roots})


@permission_required("orgs.browse")
def node_detail(request, pk: int):
    node = get_visible_or_404(OrgNode, request.user, "orgs.view", pk=pk)
    scope = scope_for(request.user)
    level = selectors.tree_level(user=request.user, node=node)
    detail = selectors.node_detail(user=request.user, node=node)
    return render(
        request,
        "orgs/node_detail.html",
        {
            "node": node,
            "level": level,
            "detail": detail,
            "can_change": scope.has_perm_at("orgs.change", node.path),
            "can_change_people": scope.has_perm_at("people.change", node.path),
            "can_add_child": bool(_child_kinds(node)),
        },
    )


def _child_kinds(node: OrgNode) -> set[str]:
    return CHILD_KINDS[node.kind]


@permission_required("orgs.change")
def node_create(request, parent_pk: int):
    parent = get_visible_or_404(OrgNode, request.user, "orgs.view", pk=parent_pk)
    require_perm_at(request.user, "orgs.change", parent.path)
    form = NodeForm(request.POST or None, parent=parent, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            node = services.node_create(
                actor=request.user,
                parent=parent,
                kind=data["kind"],
                name=data["name"],
                code=data["code"],
                unit_type=data["unit_type"],
                address=data["address"],
                contact_name=data["contact_name"],
                sort_order=data["sort_order"],
            )
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, f"已新建「{node.name}」。")
            return redirect("orgs:node_detail", pk=node.pk)
    return render(
        request, "orgs/form.html", {"form": form, "title": f"在「{parent.name}」下新建节点", "back": parent}
    )


@permission_required("orgs.change")
def node_edit(request, pk: int):
    node = get_visible_or_404(OrgNode, request.user, "orgs.view", pk=pk)
    require_perm_at(request.user, "orgs.change", node.path)
    initial = {
        f: getattr(node, f) for f in ("name", "code", "unit_type", "address", "contact_name", "sort_order")
    }
    initial["is_active"] = node.is_active
    form = NodeForm(request.POST or None, node=node, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            services.node_update(actor=request.user, node=node, **fields)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, "已保存。")
            return redirect("orgs:node_detail", pk=node.pk)
    return render(request, "orgs/form.html", {"form": form, "title": f"编辑「{node.name}」", "back": node})


# ---------------------------------------------------------------------------------------------------
# Party organisations and buildings


@permission_required("orgs.change")
def party_org_create(request, node_pk: int):
    node = get_visible_or_404(OrgNode, request.user, "orgs.view", pk=node_pk)
    require_perm_at(request.user, "orgs.change", node.path)
    form = PartyOrgForm(request.POST or None, node=node)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.party_org_create(actor=request.user, node=node, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, f"已建立「{org.name}」。")
            return redirect("orgs:node_detail", pk=node.pk)
    return render(
        request, "orgs/form.html", {"form": form, "title": f"在「{node.name}」建立党组织", "back": node}
    )


@permission_required("orgs.change")
def party_org_edit(request, pk: int):
    org = get_visible_or_404(PartyOrg.objects.select_related("node"), request.user, "orgs.view", pk=pk)
    require_perm_at(request.user, "orgs.change", org.node.path)
    initial = {
        "name": org.name,
        "kind": org.kind,
        "parent": org.parent_id,
        "formation": org.formation,
        "covered_units": list(org.covered_units.values_list("pk", flat=True)),
        "established_on": org.established_on,
        "is_active": org.is_active,
    }
    form = PartyOrgForm(request.POST or None, node=org.node, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_org_update(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, "党组织信息已保存。")
            return redirect("orgs:node_detail", pk=org.node_id)
    return render(request, "orgs/form.html", {"form": form, "title": f"编辑「{org.name}」", "back": org.node})


@permission_required("orgs.change")
def building_create(request, grid_pk: int):
    grid = get_visible_or_404(
        OrgNode.objects.filter(kind=NodeKind.GRID), request.user, "orgs.view", pk=grid_pk
    )
    require_perm_at(request.user, "orgs.change", grid.path)
    form = BuildingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.building_create(actor=request.user, grid=grid, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, "楼栋已添加。")
            return redirect("orgs:node_detail", pk=grid.pk)
    return render(
        request, "orgs/form.html", {"form": form, "title": f"为「{grid.name}」添加楼栋", "back": grid}
    )


@permission_required("orgs.change")
def building_edit(request, pk: int):
    building = get_visible_or_404(Building.objects.select_related("grid"), request.user, "orgs.view", pk=pk)
    require_perm_at(request.user, "orgs.change", building.grid.path)
    initial = {"name": building.name, "address": building.address, "floors": building.floors}
    form = BuildingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.building_update(actor=request.user, building=building, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, "楼栋已保存。")
            return redirect("orgs:node_detail", pk=building.grid_id)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "title": f"编辑楼栋「{building.name}」", "back": building.grid},
    )


# ---------------------------------------------------------------------------------------------------
# Households


def _household_filters(request):
    nodes = selectors.node_choices(
        user=request.user, permission="people.view", kinds=[NodeKind.COMMUNITY, NodeKind.AREA, NodeKind.GRID]
    )
    form = HouseholdFilterForm(request.GET or None, nodes=nodes)
    filters = form.cleaned_data if form.is_valid() else {}
    households = selectors.household_list(
        user=request.user,
        node=filters.get("node"),
        tag=filters.get("tag"),
        care=bool(filters.get("care")),
        q=filters.get("q", ""),
    )
    return form, filters, households


@permission_required("people.browse")
def household_list(request):
    form, _filters, households = _household_filters(request)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    counts = selectors.household_resident_counts(page.object_list)
    for household in page.object_list:
        household.resident_count = counts.get(household.pk, 0)
    scope = scope_for(request.user)
    return render(
        request,
        "orgs/household_list.html",
        {
            "form": form,
            "page": page,
            "can_create": bool(scope.paths_for("people.change")),
            "can_export": scope.has_perm("people.export"),
        },
    )


@permission_required("people.export")
def household_export(request):
    _form, filters, households = _household_filters(request)
    names = selectors.place_names(user=request.user, permission="people.view")
    columns = [
        Column("街道", lambda h: selectors.place_of(h.grid.path, names)[0]),
        Column("社区", lambda h: selectors.place_of(h.grid.path, names)[1]),
        Column("网格", lambda h: h.grid.name),
        Column("楼栋", lambda h: h.building.name if h.building_id else ""),
        Column("单元", lambda h: h.unit_no, 8),
        Column("户号", lambda h: h.room_no, 8),
        Column("地址", lambda h: h.address, 24),
        Column("标签", lambda h: "、".join(t.name for t in h.tags.all()), 20),
        Column("备注", lambda h: h.note, 24),
    ]
    labels = {"node": "社区/网格", "tag": "标签", "care": "重点关爱户", "q": "关键词"}
    return export_queryset(
        request,
        filename="户信息",
        sheet_title="户",
        columns=columns,
        queryset=households,
        back_url=reverse("orgs:household_list"),
        target_type="orgs.household",
        note=describe_filters(labels, {k: str(v) if v else "" for k, v in filters.items()}),
    )


@permission_required("people.change")
def household_create(request):
    grid = None
    grid_pk = request.GET.get("grid") or request.POST.get("grid")
    if grid_pk:
        grid = get_visible_or_404(
            OrgNode.objects.filter(kind=NodeKind.GRID), request.user, "people.change", pk=grid_pk
        )
    form = HouseholdForm(request.POST or None, user=request.user, grid=grid, initial={"grid": grid})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            household = services.household_create(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="address")
        else:
            messages.success(request, f"已登记户「{household.label}」。")
            return redirect("orgs:household_edit", pk=household.pk)
    return render(request, "orgs/household_form.html", {"form": form, "title": "登记户", "household": None})


@permission_required("people.view")
def household_edit(request, pk: int):
    household = get_visible_or_404(
        Household.objects.select_related("grid", "building"), request.user, "people.view", pk=pk
    )
    can_change = scope_for(request.user).has_perm_at("people.change", household.grid.path)
    initial = {
        "building": household.building_id,
        "unit_no": household.unit_no,
        "room_no": household.room_no,
        "address": household.address,
        "tags": list(household.tags.values_list("pk", flat=True)),
        "note": household.note,
    }
    form = HouseholdForm(
        request.POST or None, user=request.user, grid=household.grid, editing=True, initial=initial
    )
    if request.method == "POST":
        require_perm_at(request.user, "people.change", household.grid.path)
        if form.is_valid():
            try:
                services.household_update(actor=request.user, household=household, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error, default_field="address")
            else:
                messages.success(request, "户信息已保存。")
                return redirect("orgs:household_edit", pk=household.pk)
    return render(
        request,
        "orgs/household_form.html",
        {
            "form": form,
            "title": f"户：{household.label}",
            "household": household,
            "can_change": can_change,
            "can_browse": scope_for(request.user).has_perm("people.browse"),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Household tags (district data)


@permission_required("orgs.manage_tags")
def tag_list(request):
    form = HouseholdTagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tag = services.household_tag_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, f"已新增标签「{tag.name}」。")
            return redirect("orgs:tag_list")
    return render(
        request, "orgs/tag_list.html", {"tags": selectors.household_tags_with_usage(), "form": form}
    )


@permission_required("orgs.manage_tags")
def tag_edit(request, pk: int):
    tag = get_object_or_404(HouseholdTag, pk=pk)
    initial = {"name": tag.name, "code": tag.code, "is_care": tag.is_care, "sort_order": tag.sort_order}
    form = HouseholdTagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_tag_update(actor=request.user, tag=tag, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, "标签已保存。")
            return redirect("orgs:tag_list")
    return render(request, "orgs/tag_form.html", {"form": form, "tag": tag})


@require_POST
@permission_required("orgs.manage_tags")
def tag_delete(request, pk: int):
    tag = get_object_or_404(HouseholdTag, pk=pk)
    try:
        services.household_tag_delete(actor=request.user, tag=tag)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已删除标签「{tag.name}」。")
    return redirect("orgs:tag_list")


# ---------------------------------------------------------------------------------------------------
# Coverage (ORG-2)


@permission_required("orgs.coverage")
def coverage(request):
    sections = selectors.coverage_report(user=request.user)
    return render(
        request,
        "orgs/coverage.html",
        {"sections": sections, "can_export": scope_for(request.user).has_perm("people.export")},
    )


@permission_required("orgs.coverage")
def coverage_export(request):
    sections = selectors.coverage_report(user=request.user)
    rows = [(section, gap) for section in sections for gap in section.gaps]
    columns = [
        Column("问题类别", lambda r: r[0].check.label, 20),
        Column("街道", lambda r: r[1].street),
        Column("社区", lambda r: r[1].community),
        Column("节点", lambda r: r[1].node.name, 20),
        Column("类型", lambda r: r[1].node.get_kind_display(), 10),
        Column("说明", lambda r: r[1].detail, 40),
    ]
    return export_response(
        actor=request.user,
        filename="组织覆盖缺口",
        sheet_title="覆盖缺口",
        columns=columns,
        rows=rows,
        target_type="orgs.coverage",
        title="组织覆盖缺口",
    )
