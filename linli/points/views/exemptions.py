"""Exemption pages: apply (by the member or for them), the community's and the street's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required
from linli.core.statemachine import TransitionError
from linli.people.choices import RecordState
from linli.people.models import Member

from .. import services
from ..choices import ExemptionStatus
from ..forms import ExemptionForm, parse_year
from ..models import Exemption
from ..services.exemptions import EXEMPTION_MACHINE
from .common import flash_error, safe_next


@permission_required("points.year_view")
def exemption_list(request):
    year = parse_year(request.GET.get("year"))
    status = request.GET.get("status", "")
    exemptions = (
        Exemption.objects.visible_to(request.user, "points.year_view")
        .filter(branch_year__year=year)
        .select_related("member__person", "branch_year__branch__node")
        .order_by("status", "-applied_at", "-id")
    )
    if status in ExemptionStatus.values:
        exemptions = exemptions.filter(status=status)
    page = Paginator(exemptions, 50).get_page(request.GET.get("page"))
    rows = [(e, EXEMPTION_MACHINE.available(e, request.user)) for e in page]
    return render(
        request,
        "points/exemption_list.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "status": status,
            "statuses": ExemptionStatus.choices,
            "may_apply": bool(scope_for(request.user).paths_for("points.exemption_apply")),
        },
    )


@permission_required("points.exemption_apply")
def exemption_create(request):
    scope = scope_for(request.user)
    own = None
    if (
        scope.self_has("points.exemption_apply")
        and scope.member_id
        and not scope.paths_for("points.exemption_apply")
    ):
        own = Member.objects.select_related("person").get(pk=scope.member_id)
    members = (
        Member.objects.visible_to(request.user, "points.exemption_apply")
        .filter(record_state=RecordState.ACTIVE)
        .select_related("person", "branch")
        .order_by("person__name_pinyin", "id")
    )
    form = ExemptionForm(request.POST or None, members=members, own_member=own)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        member = own or data.pop("member")
        try:
            services.exemption_apply(actor=request.user, member=member, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "申请已提交，待社区党组织推荐、党委审核。")
            return redirect("points:my_points" if own else "points:exemption_list")
    return render(request, "points/exemption_form.html", {"form": form, "own": own})


@require_POST
@permission_required("points.view")
def exemption_decide(request, pk: int, name: str):
    exemption = get_visible_or_404(Exemption, request.user, "points.view", pk=pk)
    try:
        services.exemption_decide(
            actor=request.user, exemption=exemption, name=name, note=request.POST.get("note", "")
        )
    except (ValidationError, TransitionError) as error:
        flash_error(request, error)
    else:
        messages.success(request, f"已{EXEMPTION_MACHINE.get(name).label}。")
    return redirect(safe_next(request, reverse("points:exemption_list")))
