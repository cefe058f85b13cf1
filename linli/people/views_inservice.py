"""在职党员进社区 (PPL-3): registrations at the residential community, skills and service wishes, the
community's evaluation and the printable letter that feeds it back to the member's employer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from linli.core.excel import Column, export_queryset
from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required, require_perm_at

from . import selectors, services
from .forms import EvaluationForm, InServiceForm, SimpleFilterForm
from .models import InServiceRegistration, Member
from .views import _filter_note, _page


def _filtered(request):
    form = SimpleFilterForm(request.GET or None, user=request.user)
    rows = selectors.inservice_list(
        user=request.user, q=form.value("q", ""), community=form.value("node"), is_active=form.is_active()
    )
    return form, rows


@permission_required("people.browse")
def inservice_list(request):
    form, rows = _filtered(request)
    return render(
        request,
        "people/inservice_list.html",
        {
            "form": form,
            "page": _page(request, rows),
            "can_export": scope_for(request.user).has_perm("people.export"),
        },
    )


@permission_required("people.export")
def inservice_export(request):
    form, rows = _filtered(request)
    columns = [
        Column("姓名", lambda r: r.member.person.name, 10),
        Column("电话", lambda r: r.member.person.phone_masked, 14),
        Column("所在党组织", lambda r: r.member.branch.name, 22),
        Column(
            "工作单位",
            lambda r: r.member.work_unit.name if r.member.work_unit_id else r.member.work_unit_name,
            20,
        ),
        Column("报到社区", lambda r: r.community.name, 14),
        Column("报到日期", lambda r: r.registered_on, 12),
        Column("技能特长", lambda r: r.skills, 20),
        Column("兴趣爱好", lambda r: r.hobbies, 16),
        Column("服务意向", lambda r: r.service_wishes, 24),
        Column("可服务时间", lambda r: r.availability, 14),
        Column("社区评价", lambda r: r.evaluation, 30),
        Column("评价日期", lambda r: r.evaluated_on, 12),
        Column("有效", lambda r: r.is_active, 6),
    ]
    return export_queryset(
        request,
        filename="在职党员报到",
        sheet_title="在职党员报到",
        columns=columns,
        queryset=rows,
        back_url=reverse("people:inservice_list"),
        target_type="people.inserviceregistration",
        note=_filter_note(form),
    )


@permission_required("people.change")
def inservice_create(request, member_pk: int):
    member = get_visible_or_404(
        Member.objects.select_related("person"), request.user, "people.view", pk=member_pk
    )
    form = InServiceForm(
        request.POST or None, user=request.user, initial={"registered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.inservice_register(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="community")
        else:
            messages.success(request, f"「{member.person.name}」已在{registration.community.name}报到。")
            return redirect("people:member_detail", pk=member.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"在职党员报到：{member.person.name}",
            "back_url": reverse("people:member_detail", args=[member.pk]),
        },
    )


def _get_registration(request, pk: int) -> InServiceRegistration:
    return get_visible_or_404(
        InServiceRegistration.objects.select_related(
            "member__person", "member__branch", "member__work_unit", "community"
        ),
        request.user,
        "people.view",
        pk=pk,
    )


@permission_required("people.change")
def inservice_edit(request, pk: int):
    registration = _get_registration(request, pk)
    require_perm_at(request.user, "people.change", registration.community.path)
    fields = ("skills", "hobbies", "service_wishes", "availability")
    form = InServiceForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial={f: getattr(registration, f) for f in fields},
    )
    evaluation_form = EvaluationForm(
        initial={
            "evaluation": registration.evaluation,
            "evaluated_on": registration.evaluated_on or timezone.localdate(),
        }
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inservice_update(actor=request.user, registration=registration, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="skills")
        else:
            messages.success(request, "报到信息已保存。")
            return redirect("people:inservice_edit", pk=registration.pk)
    return render(
        request,
        "people/inservice_edit.html",
        {"registration": registration, "form": form, "evaluation_form": evaluation_form},
    )


@require_POST
@permission_required("people.change")
def inservice_evaluate(request, pk: int):
    registration = _get_registration(request, pk)
    require_perm_at(request.user, "people.change", registration.community.path)
    evaluation_form = EvaluationForm(request.POST)
    if evaluation_form.is_valid():
        try:
            services.inservice_evaluate(
                actor=request.user, registration=registration, **evaluation_form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(evaluation_form, error, default_field="evaluation")
        else:
            messages.success(request, "社区评价已保存，可打印反馈函。")
            return redirect("people:inservice_edit", pk=registration.pk)
    fields = ("skills", "hobbies", "service_wishes", "availability")
    form = InServiceForm(
        user=request.user, editing=True, initial={f: getattr(registration, f) for f in fields}
    )
    return render(
        request,
        "people/inservice_edit.html",
        {"registration": registration, "form": form, "evaluation_form": evaluation_form},
        status=200,
    )


@require_POST
@permission_required("people.change")
def inservice_end(request, pk: int):
    registration = _get_registration(request, pk)
    require_perm_at(request.user, "people.change", registration.community.path)
    try:
        services.inservice_end(
            actor=request.user, registration=registration, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "报到已结束。")
    return redirect("people:inservice_edit", pk=registration.pk)


@permission_required("people.view")
def inservice_letter(request, pk: int):
    """The printable letter (在职党员进社区表现反馈函) to the member's employer."""
    registration = _get_registration(request, pk)
    if not registration.evaluation:
        messages.info(request, "社区尚未填写评价意见，暂不能打印反馈函。")
        return redirect("people:inservice_edit", pk=registration.pk)
    return render(request, "people/inservice_letter.html", {"registration": registration})
