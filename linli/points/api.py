"""API (/api/v1/points/): a member's own points, the review queue, a branch year's summary — same selectors as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404

from .choices import Stage
from .forms import parse_year
from .models import BranchYear
from .selectors.members import member_overview
from .selectors.years import QueueFilters, member_stage, review_queue, year_rows
from .util import fmt
from .views.common import own_member


def _require(request, permission: str) -> None:
    if not scope_for(request.user).has_perm(permission):
        raise PermissionDenied("您的角色无权使用此功能。")


@api_view(["GET"])
def my_points(request):
    _require(request, "points.self")
    member = own_member(request.user)
    overview = member_overview(member, parse_year(request.query_params.get("year")))
    return Response(
        {
            "member": member.person.name,
            "year": overview.year,
            "stage": overview.branch_year.stage if overview.branch_year else None,
            "stage_label": overview.stage_label,
            "balance": fmt(overview.total),
            "exempt": overview.is_exempt,
            "entries": [
                {
                    "seq": row.entry.seq,
                    "at": row.entry.at.isoformat(),
                    "amount": fmt(row.entry.amount),
                    "balance_after": fmt(row.entry.balance_after),
                    "kind": row.entry.kind,
                    "kind_label": row.kind_label,
                    "memo": row.entry.memo,
                    "claim": row.claim_id,
                    "reverses_seq": row.reverses_seq,
                    "reversed_by_seq": row.reversed_by_seq,
                }
                for row in overview.entries
            ],
            "pending": [
                {
                    "id": c.pk,
                    "item": c.item.name,
                    "occurred_on": c.occurred_on.isoformat(),
                    "requested_points": fmt(c.requested_points),
                }
                for c in overview.pending
            ],
            "grade": overview.grade,
            "grade_recorded": overview.grade_recorded,
        }
    )


@api_view(["GET"])
def review_queue_api(request):
    _require(request, "points.review")
    claims = review_queue(request.user, QueueFilters(status=request.query_params.get("status", "submitted")))
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(claims, request)
    return paginator.get_paginated_response(
        [
            {
                "id": c.pk,
                "member": c.member.person.name,
                "branch": c.branch_year.branch.name,
                "item": c.item.name,
                "category": c.item.get_category_display(),
                "occurred_on": c.occurred_on.isoformat(),
                "requested_points": fmt(c.requested_points),
                "status": c.status,
                "evidence": len(c.evidence.all()),
            }
            for c in page
        ]
    )


@api_view(["GET"])
def year_summary(request, pk: int):
    _require(request, "points.year_view")
    branch_year = get_visible_or_404(
        BranchYear.objects.select_related("branch__node"), request.user, "points.year_view", pk=pk
    )
    rows = year_rows(branch_year)
    return Response(
        {
            "branch": branch_year.branch.name,
            "year": branch_year.year,
            "stage": branch_year.stage,
            "stage_label": Stage(branch_year.stage).label,
            "members": [
                {
                    "id": row.member.pk,
                    "name": row.member.person.name,
                    "total": fmt(row.total),
                    "pending": row.pending,
                    "exempt": row.is_exempt,
                    "violations": row.violations,
                    "grade": row.result.grade if row.result and row.result.graded_at else None,
                    "stage": member_stage(row, branch_year),
                }
                for row in rows
            ],
        }
    )


urlpatterns = [
    path("me/", my_points, name="me"),
    path("review/", review_queue_api, name="review_queue"),
    path("years/<int:pk>/", year_summary, name="year_summary"),
]
