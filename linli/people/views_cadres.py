"""Cadres (PPL-6): the overview of every community (一肩挑, reserve cadres against the target), a
community's roster with terms and subsidies, appointment and term changes, and the export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from linli.core.excel import Column, export_queryset
from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required, require_perm_at
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode

from . import selectors, services
from .forms import CadreFilterForm, CadreForm
from .models import CadrePosition, Person
from .views import _filter_note, _page


@permission_required("people.browse")
def cadre_overview(request):
    rows = selectors.cadre_overview(user=request.user)
    low, high = selectors.reserve_target()
    return render(
        request,
        "people/cadre_overview.html",
        {
            "rows": rows,
            "reserve_low": low,
            "reserve_high": high,
            "dual_count": sum(1 for r in rows if r.is_dual_role),
            "reserve_short": sum(1 for r in rows if r.reserve_status == "low"),
        },
    )


@permission_required("people.browse")
def cadre_roster(request, community_pk: int):
    community = get_visible_or_404(
        OrgNode.objects.filter(kind=NodeKind.COMMUNITY), request.user, "people.view", pk=community_pk
    )
    roster = selectors.cadre_roster(user=request.user, community=community)
    low, high = selectors.reserve_target()
    return render(
        request,
        "people/cadre_roster.html",
        {
            "community": community,
            "roster": roster,
            "reserve_low": low,
            "reserve_high": high,
            "can_manage": scope_for(request.user).has_perm_at("people.cadres", community.path),
        },
    )


@permission_required("people.browse")
def cadre_list(request):
    form = CadreFilterForm(request.GET or None, user=request.user)
    rows = selectors.cadre_list(user=request.user, **form.selector_kwargs())
    return render(
        request,
        "people/cadre_list.html",
        {
            "form": form,
            "page": _page(request, rows),
            "can_export": scope_for(request.user).has_perm("people.export"),
        },
    )


@permission_required("people.export")
def cadre_export(request):
    form = CadreFilterForm(request.GET or None, user=request.user)
    rows = selectors.cadre_list(user=request.user, **form.selector_kwargs())
    columns = [
        Column("任职组织", lambda p: p.node.name, 16),
        Column("职务", lambda p: p.get_position_display(), 12),
        Column("姓名", lambda p: p.person.name, 10),
        Column("性别", lambda p: p.person.get_gender_display(), 6),
        Column("出生日期", lambda p: p.person.birth_date, 12),
        Column("学历", lambda p: p.person.get_education_display(), 10),
        Column("电话", lambda p: p.person.phone_masked, 14),
        Column("任职日期", lambda p: p.start_date, 12),
        Column("离任日期", lambda p: p.end_date, 12),
        Column("届次", lambda p: p.term_label, 10),
        Column("月工作补助(元)", lambda p: p.monthly_subsidy, 14),
        Column("职业资格补贴(元/月)", lambda p: p.qualification_allowance, 16),
        Column("备注", lambda p: p.note, 20),
    ]
    return export_queryset(
        request,
        filename="干部名册",
        sheet_title="干部",
        columns=columns,
        queryset=rows,
        back_url=reverse("people:cadre_list"),
        target_type="people.cadreposition",
        note=_filter_note(form),
    )


@permission_required("people.cadres")
def cadre_create(request, person_pk: int):
    person = get_visible_or_404(Person, request.user, "people.view", pk=person_pk)
    initial = {
        "start_date": timezone.localdate(),
        "node": request.GET.get("node"),
        "position": request.GET.get("position"),
    }
    form = CadreForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.cadre_position_create(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="position")
        else:
            messages.success(
                request, f"已登记{person.name}任{position.node.name}{position.get_position_display()}。"
            )
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"登记任职：{person.name}",
            "back_url": reverse("people:person_detail", args=[person.pk]),
        },
    )


@permission_required("people.cadres")
def cadre_edit(request, pk: int):
    position = get_visible_or_404(
        CadrePosition.objects.select_related("node", "person"), request.user, "people.view", pk=pk
    )
    require_perm_at(request.user, "people.cadres", position.node.path)
    fields = ("start_date", "end_date", "term_label", "monthly_subsidy", "qualification_allowance", "note")
    form = CadreForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial={f: getattr(position, f) for f in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_position_update(actor=request.user, position=position, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="start_date")
        else:
            messages.success(request, "任职信息已保存。")
            return redirect("people:person_detail", pk=position.person_id)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"编辑任职：{position.person.name} {position.node.name}{position.get_position_display()}",
            "back_url": reverse("people:person_detail", args=[position.person_id]),
        },
    )
