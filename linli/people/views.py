"""Pages of the registry: residents and members (lists, search, detail, forms, export), the audited
"显示完整信息" control, and the quick search box shared by the lists and the home page (PPL-1, PPL-2)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.excel import Column, describe_filters, export_queryset
from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required, require_perm_at
from linli.orgs.choices import NodeKind
from linli.orgs.models import Household, OrgNode
from linli.orgs.selectors import place_names, place_of

from . import selectors, services
from .forms import (
    MemberFilterForm,
    MemberForm,
    PersonDeleteForm,
    PersonFilterForm,
    PersonForm,
    PersonStatusForm,
)
from .models import Member, Person

PAGE_SIZE = 50


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


def _filter_note(form) -> str:
    """The filters of an export in words, for the audit log: "党员分类=离退休；社区/网格=复兴社区"."""
    if not (form.is_bound and form.is_valid()):
        return "全部"
    labels, values = {}, {}
    for name, value in form.cleaned_data.items():
        field = form.fields[name]
        labels[name] = field.label
        if value in (None, "", False):
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(field.choices).get(value, value)
        values[name] = str(value)
    return describe_filters(labels, values)


# ---------------------------------------------------------------------------------------------------
# Residents


@permission_required("people.browse")
def person_list(request):
    form = PersonFilterForm(request.GET or None, user=request.user)
    persons = selectors.person_list(user=request.user, **form.selector_kwargs())
    scope = scope_for(request.user)
    return render(
        request,
        "people/person_list.html",
        {
            "form": form,
            "page": _page(request, persons),
            "can_create": bool(scope.paths_for("people.change")),
            "can_export": scope.has_perm("people.export"),
        },
    )


PERSON_COLUMNS = [
    Column("姓名", lambda p: p.name, 10),
    Column("性别", lambda p: p.get_gender_display(), 6),
    Column("出生日期", lambda p: p.birth_date, 12),
    Column("身份证号", lambda p: p.id_number_masked, 20),
    Column("电话", lambda p: p.phone_masked, 14),
    Column("民族", lambda p: p.ethnicity, 8),
    Column("学历", lambda p: p.get_education_display(), 10),
    Column("网格", lambda p: p.node.name, 14),
    Column("户", lambda p: p.household.label if p.household_id else "", 16),
    Column("与户主关系", lambda p: p.get_relation_to_head_display(), 10),
    Column("居住地址", lambda p: p.address, 24),
    Column("党员", lambda p: hasattr(p, "member"), 6),
    Column("状态", lambda p: p.get_status_display(), 8),
]


@permission_required("people.export")
def person_export(request):
    form = PersonFilterForm(request.GET or None, user=request.user)
    persons = selectors.person_list(user=request.user, **form.selector_kwargs())
    names = place_names(user=request.user, permission="people.view")
    columns = [
        Column("街道", lambda p: place_of(p.node.path, names)[0]),
        Column("社区", lambda p: place_of(p.node.path, names)[1]),
        *PERSON_COLUMNS,
    ]
    return export_queryset(
        request,
        filename="居民名单",
        sheet_title="居民",
        columns=columns,
        queryset=persons,
        back_url=reverse("people:person_list"),
        target_type="people.person",
        note=_filter_note(form),
    )


@permission_required("people.view")
def person_detail(request, pk: int):
    person = get_visible_or_404(
        Person.objects.select_related("node", "household__building", "member__branch"),
        request.user,
        "people.view",
        pk=pk,
    )
    return render(request, "people/person_detail.html", _person_context(request, person))


def _person_context(request, person: Person, revealed: dict | None = None) -> dict:
    scope = scope_for(request.user)
    path = person.node.path
    return {
        "person": person,
        "profile": selectors.person_profile(person=person),
        "member": getattr(person, "member", None),
        "revealed": revealed,
        "can_reveal": scope.has_perm_at("people.view_pii", path),
        "can_change": scope.has_perm_at("people.change", path),
        "can_make_member": not hasattr(person, "member") and bool(scope.paths_for("people.change_member")),
        "can_appoint": bool(scope.paths_for("people.cadres")),
        "status_form": PersonStatusForm(initial={"status": person.status}),
        "delete_form": PersonDeleteForm(),
    }


@require_POST
@permission_required("people.view")
def person_reveal(request, pk: int):
    """Show the full ID number and phone to a role allowed to see them; every view is audited."""
    person = get_visible_or_404(Person.objects.select_related("node"), request.user, "people.view", pk=pk)
    revealed = services.person_reveal(actor=request.user, person=person)
    if request.htmx:
        return render(request, "people/includes/pii.html", {"person": person, "revealed": revealed})
    person = Person.objects.select_related("node", "household__building", "member__branch").get(pk=person.pk)
    return render(request, "people/person_detail.html", _person_context(request, person, revealed))


@permission_required("people.change")
def person_create(request):
    grid = None
    household = None
    if request.GET.get("household"):
        household = get_visible_or_404(
            Household.objects.select_related("grid"),
            request.user,
            "people.change",
            pk=request.GET["household"],
        )
        grid = household.grid
    elif request.GET.get("grid"):
        grid = get_visible_or_404(
            OrgNode.objects.filter(kind=NodeKind.GRID), request.user, "people.change", pk=request.GET["grid"]
        )
    initial = {"node": grid, "household": household, "ethnicity": "汉族", "is_resident": True}
    form = PersonForm(request.POST or None, user=request.user, grid=grid, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, f"已登记「{person.name}」。")
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "title": "登记人员", "back_url": reverse("people:person_list")},
    )


@permission_required("people.change")
def person_edit(request, pk: int):
    person = get_visible_or_404(Person.objects.select_related("node"), request.user, "people.view", pk=pk)
    require_perm_at(request.user, "people.change", person.node.path)
    initial = {
        "node": person.node_id,
        "household": person.household_id,
        "relation_to_head": person.relation_to_head,
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "ethnicity": person.ethnicity,
        "education": person.education,
        "address": person.address,
        "is_resident": person.is_resident,
        "note": person.note,
    }
    form = PersonForm(request.POST or None, user=request.user, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.service_kwargs())
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, "人员信息已保存。")
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"编辑「{person.name}」",
            "back_url": reverse("people:person_detail", args=[person.pk]),
        },
    )


@require_POST
@permission_required("people.change")
def person_status(request, pk: int):
    person = get_visible_or_404(Person.objects.select_related("node"), request.user, "people.view", pk=pk)
    require_perm_at(request.user, "people.change", person.node.path)
    form = PersonStatusForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_status(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"状态已改为「{person.get_status_display()}」。")
    else:
        messages.error(request, "请选择状态。")
    return redirect("people:person_detail", pk=person.pk)


@require_POST
@permission_required("people.change")
def person_delete(request, pk: int):
    person = get_visible_or_404(Person.objects.select_related("node"), request.user, "people.view", pk=pk)
    require_perm_at(request.user, "people.change", person.node.path)
    form = PersonDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写删除原因。")
        return redirect("people:person_detail", pk=person.pk)
    try:
        services.person_delete(actor=request.user, person=person, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("people:person_detail", pk=person.pk)
    messages.success(request, f"已删除误登记的人员「{person.name}」。")
    return redirect("people:person_list")


# ---------------------------------------------------------------------------------------------------
# Members


@permission_required("people.browse")
def member_list(request):
    form = MemberFilterForm(request.GET or None, user=request.user)
    members = selectors.member_list(user=request.user, **form.selector_kwargs())
    scope = scope_for(request.user)
    return render(
        request,
        "people/member_list.html",
        {"form": form, "page": _page(request, members), "can_export": scope.has_perm("people.export")},
    )


MEMBER_COLUMNS = [
    Column("姓名", lambda m: m.person.name, 10),
    Column("性别", lambda m: m.person.get_gender_display(), 6),
    Column("出生日期", lambda m: m.person.birth_date, 12),
    Column("身份证号", lambda m: m.person.id_number_masked, 20),
    Column("电话", lambda m: m.person.phone_masked, 14),
    Column("学历", lambda m: m.person.get_education_display(), 10),
    Column("党员类别", lambda m: m.get_status_display(), 10),
    Column("入党日期", lambda m: m.join_date, 12),
    Column("转正日期", lambda m: m.formal_date, 12),
    Column("党员分类", lambda m: m.get_category_display(), 10),
    Column("所在党组织", lambda m: m.branch.name, 22),
    Column("工作单位", lambda m: m.work_unit.name if m.work_unit_id else m.work_unit_name, 20),
    Column("职务", lambda m: m.job_title, 10),
    Column("居住网格", lambda m: m.person.node.name, 14),
    Column("在册状态", lambda m: m.get_record_state_display(), 10),
]


@permission_required("people.export")
def member_export(request):
    form = MemberFilterForm(request.GET or None, user=request.user)
    members = selectors.member_list(user=request.user, **form.selector_kwargs())
    names = place_names(user=request.user, permission="people.view")
    columns = [Column("社区", lambda m: place_of(m.branch.node.path, names)[1]), *MEMBER_COLUMNS]
    return export_queryset(
        request,
        filename="党员名单",
        sheet_title="党员",
        columns=columns,
        queryset=members.select_related("branch__node"),
        back_url=reverse("people:member_list"),
        target_type="people.member",
        note=_filter_note(form),
    )


def _get_member(request, pk: int) -> Member:
    return get_visible_or_404(
        Member.objects.select_related(
            "person__node", "person__household__building", "branch__node", "work_unit"
        ),
        request.user,
        "people.view",
        pk=pk,
    )


@permission_required("people.view")
def member_detail(request, pk: int):
    member = _get_member(request, pk)
    scope = scope_for(request.user)
    branch_path = member.branch.node.path
    return render(
        request,
        "people/member_detail.html",
        {
            "member": member,
            "person": member.person,
            "profile": selectors.member_profile(member=member),
            "can_reveal": scope.has_perm_at("people.view_pii", member.person.node.path),
            "can_see_person": Person.objects.visible_to(request.user, "people.view")
            .filter(pk=member.person_id)
            .exists(),
            "can_change_member": scope.has_perm_at("people.change_member", branch_path),
            "can_change": scope.has_perm_at("people.change", branch_path),
            "can_register": bool(scope.paths_for("people.change")),
        },
    )


@permission_required("people.change_member")
def member_create(request, person_pk: int):
    person = get_visible_or_404(
        Person.objects.select_related("node"), request.user, "people.view", pk=person_pk
    )
    if hasattr(person, "member"):
        messages.info(request, "此人已登记为党员。")
        return redirect("people:member_detail", pk=person.member.pk)
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="join_date")
        else:
            messages.success(request, f"已将「{person.name}」登记为党员。")
            return redirect("people:member_detail", pk=member.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"登记党员：{person.name}",
            "back_url": reverse("people:person_detail", args=[person.pk]),
        },
    )


@permission_required("people.change_member")
def member_edit(request, pk: int):
    member = _get_member(request, pk)
    require_perm_at(request.user, "people.change_member", member.branch.node.path)
    fields = ("status", "join_date", "formal_date", "category", "work_unit_name", "job_title", "record_state")
    initial = {f: getattr(member, f) for f in fields}
    initial.update(
        {
            "branch": member.branch_id,
            "work_unit": member.work_unit_id,
            "left_on": member.left_on,
            "note": member.note,
        }
    )
    form = MemberForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                form.add_error("branch", "您无权把党员转入该党组织。")
            else:
                apply_validation_error(form, error, default_field="join_date")
        else:
            messages.success(request, "党员信息已保存。")
            return redirect("people:member_detail", pk=member.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"编辑党员：{member.person.name}",
            "back_url": reverse("people:member_detail", args=[member.pk]),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Quick search


@permission_required("people.browse")
def search(request):
    """Members and residents together; an htmx request gets the dropdown, a plain one the full page."""
    q = request.GET.get("q", "").strip()
    hits = selectors.quick_search(user=request.user, q=q, limit=10 if request.htmx else 50)
    template = "people/includes/search_results.html" if request.htmx else "people/search.html"
    return render(request, template, {"q": q, "hits": hits})
