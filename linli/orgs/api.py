"""REST API of the organisation tree (/api/v1/orgs/): a node's children with figures, and the coverage report."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from linli.core.drf import has_permission
from linli.core.shortcuts import get_visible_or_404

from . import selectors
from .models import OrgNode


def _node(node: OrgNode) -> dict:
    return {
        "id": node.pk,
        "name": node.name,
        "kind": node.kind,
        "kind_display": node.get_kind_display(),
        "unit_type": node.unit_type,
        "depth": node.depth,
        "is_active": node.is_active,
    }


def _figures(values) -> dict:
    return {f.key: f.value for f in values}


class NodeChildrenAPI(APIView):
    """The node, its figures, and its children with their child counts and figures (tree browser data)."""

    permission_classes = [has_permission("orgs.browse")]

    def get(self, request, pk: int):
        node = get_visible_or_404(OrgNode, request.user, "orgs.view", pk=pk)
        level = selectors.tree_level(user=request.user, node=node)
        return Response(
            {
                "node": {**_node(node), "figures": _figures(level.figures)},
                "figure_labels": {f.key: f.label for f in level.columns},
                "children": [
                    {**_node(row.node), "child_count": row.child_count, "figures": _figures(row.figures)}
                    for row in level.children
                ],
            }
        )


class CoverageAPI(APIView):
    """ORG-2 gaps in the user's scope: every registered check with the nodes where it fails."""

    permission_classes = [has_permission("orgs.coverage")]

    def get(self, request):
        sections = selectors.coverage_report(user=request.user)
        return Response(
            {
                "checks": [
                    {
                        "key": section.check.key,
                        "label": section.check.label,
                        "count": section.count,
                        "gaps": [
                            {
                                "node": _node(gap.node),
                                "street": gap.street,
                                "community": gap.community,
                                "detail": gap.detail,
                                **({"data": gap.data} if gap.data else {}),
                            }
                            for gap in section.gaps
                        ],
                    }
                    for section in sections
                ]
            }
        )


urlpatterns = [
    path("nodes/<int:pk>/children/", NodeChildrenAPI.as_view(), name="node_children"),
    path("coverage/", CoverageAPI.as_view(), name="coverage"),
]
