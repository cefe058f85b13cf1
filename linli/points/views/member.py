"""A member's own pages (phone first): my points, self-report with evidence, my claims, evidence files."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required
from linli.core.statemachine import TransitionError

from .. import services
from ..forms import ClaimForm, CorrectForm, ReviewForm, parse_year
from ..models import Claim, Evidence
from ..rules import CORRECTION_STAGES, REVIEW_STAGES
from ..selectors.members import member_overview, reportable_items
from ..services.claims import CLAIM_MACHINE
from .common import error_text, flash_error, own_member, safe_next


@permission_required("points.self")
def my_points(request):
    member = own_member(request.user)
    year = parse_year(request.GET.get("year"))
    overview = member_overview(member, year)
    return render(request, "points/my_points.html", {"o": overview, "member": member, "year": year})


@permission_required("points.self")
def claim_create(request):
    member = own_member(request.user)
    year = parse_year(request.GET.get("year") or request.POST.get("year"))
    items = reportable_items(member, year)
    form = ClaimForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_submit(
                actor=request.user,
                member=member,
                item=data["item"],
                occurred_on=data["occurred_on"],
                description=data["description"],
                points=data["points"],
                quantity=data["quantity"],
                files=data["evidence"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已提交「{claim.item.name}」，等待社区党组织初评。")
            return redirect(f"{reverse('points:my_points')}?year={claim.occurred_on.year}")
    overview = member_overview(member, year)
    return render(
        request,
        "points/claim_form.html",
        {"form": form, "items": items, "o": overview, "year": year, "member": member},
    )


@permission_required("points.view")
def claim_detail(request, pk: int):
    claim = get_visible_or_404(
        Claim.objects.select_related("member__person", "item__scheme", "branch_year__branch__node", "entry"),
        request.user,
        "points.view",
        pk=pk,
    )
    scope = scope_for(request.user)
    may_review = scope.has_perm_at("points.review", claim.get_scope_path())
    context = {
        "claim": claim,
        "evidence": list(claim.evidence.order_by("id")),
        "history": list(CLAIM_MACHINE.history(claim)),
        "may_review": may_review and claim.is_pending and claim.branch_year.stage in REVIEW_STAGES,
        "may_correct": may_review
        and claim.status in ("approved", "adjusted")
        and claim.branch_year.stage in CORRECTION_STAGES,
        "may_withdraw": claim.is_pending and scope.person_id == claim.member.person_id,
        "review_form": ReviewForm(),
        "correct_form": CorrectForm(
            initial={"points": abs(claim.points) if claim.points is not None else None}
        ),
    }
    return render(request, "points/claim_detail.html", context)


@require_POST
@permission_required("points.self")
def claim_withdraw(request, pk: int):
    claim = get_visible_or_404(Claim, request.user, "points.self", pk=pk)
    try:
        services.claim_withdraw(actor=request.user, claim=claim)
    except (ValidationError, TransitionError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "申报已撤回。")
    return redirect("points:claim_detail", pk=pk)


@require_POST
@permission_required("points.review")
def claim_review(request, pk: int):
    claim = get_visible_or_404(Claim, request.user, "points.review", pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审核操作。")
        return redirect("points:claim_detail", pk=pk)
    data = form.cleaned_data
    try:
        if data["action"] == "approve":
            services.claim_approve(actor=request.user, claim=claim, note=data["reason"])
        elif data["action"] == "reject":
            services.claim_reject(actor=request.user, claim=claim, reason=data["reason"])
        else:
            services.claim_adjust(
                actor=request.user, claim=claim, points=data["points"], reason=data["reason"]
            )
    except (ValidationError, TransitionError) as error:
        flash_error(request, error)
    else:
        messages.success(request, "审核意见已记录。")
    return redirect(safe_next(request, reverse("points:review_queue")))


@require_POST
@permission_required("points.review")
def claim_correct(request, pk: int):
    claim = get_visible_or_404(Claim, request.user, "points.review", pk=pk)
    form = CorrectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写更正后分值和原因。")
        return redirect("points:claim_detail", pk=pk)
    try:
        services.claim_correct(
            actor=request.user,
            claim=claim,
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, TransitionError) as error:
        flash_error(request, error)
    else:
        messages.success(request, "积分已更正：原分录已冲正，更正后的分值已记账。")
    return redirect("points:claim_detail", pk=pk)


@permission_required("points.view")
def evidence_file(request, pk: int):
    """Evidence is served only here, after the scope check; never from a public media URL."""
    evidence = get_visible_or_404(Evidence, request.user, "points.view", pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    response = FileResponse(handle, content_type=evidence.content_type)
    disposition = "inline" if request.GET.get("download") != "1" else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(evidence.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
