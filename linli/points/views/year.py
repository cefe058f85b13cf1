"""The branch's year: the list of branches, the year view with its steps, records, violations, 公示, filed results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required
from linli.core.statemachine import TransitionError
from linli.orgs.models import PartyOrg
from linli.people.choices import RecordState
from linli.people.models import Member

from .. import services
from ..choices import ExemptionStatus, SchemeStatus
from ..exports import FILED_HEADER, YEAR_HEADER, filed_sheet, workbook, year_rows_sheet
from ..forms import ObjectionForm, RecordForm, ResolveForm, StepForm, ViolationForm, parse_year
from ..models import BranchYear, Exemption, NoticeLine, Objection, PublicNotice, SchemeItem, Violation
from ..rules import CREDIT_STAGES, OBJECTION_STAGES, VIOLATION_STAGES
from ..selectors.integrity import current_notice
from ..selectors.years import (
    branches_without_year,
    filed_results,
    member_stage,
    notice_objections,
    notice_rows,
    results_for_export,
    year_history,
    year_list,
    year_rows,
    year_steps,
)
from ..services.year import YEAR_MACHINE
from ..util import district_id_of
from .common import error_text, flash_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@permission_required("points.year_view")
def year_list_page(request):
    year = parse_year(request.GET.get("year"))
    page = Paginator(year_list(request.user, year), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "points/year_list.html",
        {"page": page, "year": year, "unopened": list(branches_without_year(request.user, year))},
    )


@require_POST
@permission_required("points.run_year")
def year_open(request):
    branch = get_visible_or_404(PartyOrg, request.user, "points.run_year", pk=request.POST.get("branch"))
    year = parse_year(request.POST.get("year"))
    try:
        branch_year = services.branch_year_open(actor=request.user, branch=branch, year=year)
    except (ValidationError, TransitionError) as error:
        flash_error(request, error)
        return redirect(f"{reverse('points:year_list')}?year={year}")
    messages.success(request, f"{branch}{year}年党员积分已启用细则，开始党员自评。")
    return redirect("points:year_detail", pk=branch_year.pk)


@permission_required("points.year_view")
def year_detail(request, pk: int):
    branch_year = get_visible_or_404(
        BranchYear.objects.select_related("branch__node"), request.user, "points.year_view", pk=pk
    )
    records = year_history(branch_year)
    rows = year_rows(branch_year)
    for row in rows:
        row.stage_label = member_stage(row, branch_year)
    scope = scope_for(request.user)
    path = branch_year.get_scope_path()
    may_review = scope.has_perm_at("points.review", path)
    context = {
        "by": branch_year,
        "steps": year_steps(branch_year, records),
        "history": records,
        "rows": rows,
        # 核查未通过 is recorded by the verification itself, never chosen as a button.
        "available": [
            t for t in YEAR_MACHINE.available(branch_year, request.user) if t.name != "verify_failed"
        ],
        "step_form": StepForm(
            initial={"meeting_date": timezone.localdate(), "publicity_start": timezone.localdate()}
        ),
        "notice": current_notice(branch_year),
        "may_review": may_review,
        "may_record": may_review and branch_year.stage in CREDIT_STAGES,
        "may_violation": may_review and branch_year.stage in VIOLATION_STAGES,
        "may_export": scope.has_perm_at("points.export", path),
        "violations": list(
            Violation.objects.filter(branch_year=branch_year)
            .select_related("member__person")
            .order_by("-occurred_on")
        ),
        "violation_form": ViolationForm(members=_branch_members(branch_year)),
        "open_exemptions": list(
            Exemption.objects.filter(
                branch_year=branch_year, status__in=[ExemptionStatus.APPLIED, ExemptionStatus.RECOMMENDED]
            ).select_related("member__person")
        ),
        "pending_total": sum(row.pending for row in rows),
    }
    return render(request, "points/year_detail.html", context)


def _branch_members(branch_year: BranchYear):
    return (
        Member.objects.filter(branch_id=branch_year.branch_id, record_state=RecordState.ACTIVE)
        .select_related("person")
        .order_by("person__name_pinyin", "id")
    )


@require_POST
@permission_required("points.year_view")
def year_step(request, pk: int, name: str):
    branch_year = get_visible_or_404(BranchYear, request.user, "points.year_view", pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查填写的内容。")
        return redirect("points:year_detail", pk=pk)
    try:
        record = services.branch_year_step(
            actor=request.user,
            branch_year=branch_year,
            name=name,
            note=form.cleaned_data["note"],
            **form.params(),
        )
    except (ValidationError, TransitionError) as error:
        flash_error(request, error)
    else:
        if record.transition == "verify_failed":
            messages.error(request, f"积分核查未通过：{record.note}详见流程记录。")
        else:
            messages.success(request, f"已完成「{record.transition_label}」。")
    return redirect("points:year_detail", pk=pk)


@permission_required("points.export")
def year_export(request, pk: int):
    branch_year = get_visible_or_404(
        BranchYear.objects.select_related("branch__node"), request.user, "points.export", pk=pk
    )
    rows = year_rows(branch_year)
    content = workbook(f"{branch_year.year}年党员积分", YEAR_HEADER, year_rows_sheet(rows))
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=branch_year,
        note=f"导出{len(rows)}名党员的积分结果（身份证号已脱敏）",
    )
    return _xlsx(content, f"points-{branch_year.year}-{branch_year.pk}.xlsx")


@permission_required("points.review")
def record_create(request, pk: int):
    branch_year = get_visible_or_404(
        BranchYear.objects.select_related("branch__node"), request.user, "points.review", pk=pk
    )
    items = (
        SchemeItem.objects.filter(
            scheme__district_id=district_id_of(branch_year.branch.node.path),
            scheme__year=branch_year.year,
            scheme__status=SchemeStatus.PUBLISHED,
        )
        .select_related("scheme")
        .order_by("scheme__member_class", "category", "sort_order", "id")
    )
    form = RecordForm(request.POST or None, members=_branch_members(branch_year), items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_record(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已为{claim.member}记录「{claim.item.name}」{claim.points:+}分。")
            return redirect("points:year_detail", pk=pk)
    return render(request, "points/record_form.html", {"form": form, "by": branch_year})


@require_POST
@permission_required("points.review")
def violation_create(request, pk: int):
    branch_year = get_visible_or_404(BranchYear, request.user, "points.review", pk=pk)
    form = ViolationForm(request.POST, members=_branch_members(branch_year))
    if not form.is_valid():
        messages.error(request, "请完整填写违纪违规记录。")
        return redirect("points:year_detail", pk=pk)
    try:
        services.violation_record(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, "已登记。该党员本年度将直接认定为不合格。")
    return redirect("points:year_detail", pk=pk)


@require_POST
@permission_required("points.review")
def violation_revoke(request, pk: int):
    violation = get_visible_or_404(Violation, request.user, "points.review", pk=pk)
    try:
        services.violation_revoke(
            actor=request.user, violation=violation, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, "违纪违规记录已撤销。")
    return redirect("points:year_detail", pk=violation.branch_year_id)


@permission_required("points.view")
def notice_detail(request, pk: int):
    notice = get_visible_or_404(
        PublicNotice.objects.select_related("branch_year__branch__node"), request.user, "points.view", pk=pk
    )
    scope = scope_for(request.user)
    may_review = scope.has_perm_at("points.review", notice.get_scope_path())
    context = {
        "notice": notice,
        "rows": notice_rows(notice),
        "is_open": notice.is_open_on(timezone.localdate()),
        "may_review": may_review,
        "may_object": may_review and not notice.is_withdrawn and notice.branch_year.stage in OBJECTION_STAGES,
    }
    if may_review:
        members = Member.objects.filter(
            pk__in=NoticeLine.objects.filter(notice=notice).values("member_id")
        ).select_related("person")
        context["objections"] = notice_objections(notice)
        context["objection_form"] = ObjectionForm(members=members)
        context["resolve_form"] = ResolveForm()
    return render(request, "points/notice_detail.html", context)


@require_POST
@permission_required("points.review")
def objection_create(request, pk: int):
    notice = get_visible_or_404(PublicNotice, request.user, "points.review", pk=pk)
    members = Member.objects.filter(pk__in=NoticeLine.objects.filter(notice=notice).values("member_id"))
    form = ObjectionForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, "请填写收到日期和异议内容。")
        return redirect("points:notice_detail", pk=pk)
    try:
        services.objection_record(actor=request.user, notice=notice, **form.cleaned_data)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, "异议已登记，请及时核实处理。")
    return redirect("points:notice_detail", pk=pk)


@require_POST
@permission_required("points.review")
def objection_resolve(request, pk: int):
    objection = get_visible_or_404(Objection, request.user, "points.review", pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择处理结果并填写处理意见。")
        return redirect("points:notice_detail", pk=objection.notice_id)
    try:
        services.objection_resolve(actor=request.user, objection=objection, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "异议已处理。")
    return redirect("points:notice_detail", pk=objection.notice_id)


@permission_required("points.filed_view")
def filed_page(request):
    year = parse_year(request.GET.get("year"))
    page = Paginator(filed_results(request.user, year), 50).get_page(request.GET.get("page"))
    return render(request, "points/filed.html", {"page": page, "year": year})


@permission_required("points.filed_view")
def filed_export(request):
    year = parse_year(request.GET.get("year"))
    branch_years = list(filed_results(request.user, year))
    results = results_for_export(branch_years)
    rows = filed_sheet(branch_years, results)
    content = workbook(f"{year}年备案积分结果", FILED_HEADER, rows)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target_type="points.yearresult",
        target_repr=f"{year}年已备案积分结果",
        note=f"导出{len(rows)}行（身份证号已脱敏）",
    )
    return _xlsx(content, f"points-filed-{year}.xlsx")
