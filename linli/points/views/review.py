"""社区党组织初评: the review queue with filters and bulk approve / reject with reason / adjust."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.core.shortcuts import permission_required

from .. import services
from ..forms import QueueFilterForm
from ..models import Claim
from ..selectors.years import QueueFilters, review_branches, review_queue
from ..services.claims import REVIEW_ACTIONS
from .common import flash_error

PAGE_SIZE = 30


def queue_filters(request) -> tuple[QueueFilterForm, QueueFilters]:
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = "submitted"
    form = QueueFilterForm(data, branches=review_branches(request.user))
    filters = QueueFilters()
    if form.is_valid():
        filters = QueueFilters(
            **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            | {"status": form.cleaned_data["status"]}
        )
    return form, filters


@permission_required("points.review")
def review_queue_page(request):
    form, filters = queue_filters(request)
    page = Paginator(review_queue(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "points/review_queue.html",
        {"form": form, "page": page, "actions": REVIEW_ACTIONS, "query": request.GET.urlencode()},
    )


@require_POST
@permission_required("points.review")
def review_bulk(request):
    try:
        ids = sorted({int(i) for i in request.POST.getlist("claims")})
    except ValueError:
        raise Http404("未找到该记录，或您无权查看。") from None
    claims = list(Claim.objects.visible_to(request.user, "points.review").filter(pk__in=ids))
    if len(claims) != len(ids):
        # Out of scope is the same as missing: the whole batch is refused.
        raise Http404("未找到该记录，或您无权查看。")
    action = request.POST.get("action", "")
    try:
        done = services.claims_review_bulk(
            actor=request.user,
            claims=claims,
            action=action,
            reason=request.POST.get("reason", ""),
            points=request.POST.get("points") or None,
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, f"已{REVIEW_ACTIONS[action]}{done}条申报。")
    query = request.POST.get("query", "")
    return redirect(reverse("points:review_queue") + (f"?{query}" if query else ""))
