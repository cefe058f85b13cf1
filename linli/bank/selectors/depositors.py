"""Depositor reads: a user's own depositors, staff look-up by code, lists for the desk and for cards."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from linli.core.scope import scope_for

from ..codes import ReadCode
from ..models import Depositor

DEPOSITOR_RELATED = ("points_account", "hours_account", "node", "community")


def own_depositors(user: Any) -> list[Depositor]:
    """The self-service user's own depositor and their household's (one query)."""
    return list(
        Depositor.objects.visible_to(user, "bank.self")
        .select_related(*DEPOSITOR_RELATED)
        .order_by("-kind", "pk")  # the resident first, then the household
    )


def depositor_by_code(user: Any, read: ReadCode, permission: str = "bank.earn") -> Depositor | None:
    """The depositor a scanned or typed code names, if it is in the user's scope; None otherwise.

    A card token must carry the current card version (a revoked card names nobody). Out of scope
    and unknown look the same, so a code cannot be used to probe another community's residents.
    """
    if read.error:
        return None
    queryset = Depositor.objects.visible_to(user, permission).select_related(*DEPOSITOR_RELATED)
    if read.short_code:
        return queryset.filter(short_code=read.short_code).first()
    depositor = queryset.filter(pk=read.depositor_id).first()
    if (
        depositor is not None
        and read.card_version is not None
        and depositor.card_version != read.card_version
    ):
        return None
    return depositor


def depositor_search(user: Any, *, q: str = "", grid_id: str = "", kind: str = "") -> QuerySet[Depositor]:
    depositors = Depositor.objects.visible_to(user, "bank.view").select_related(*DEPOSITOR_RELATED)
    q = q.strip()
    if q:
        code = q.replace("-", "").upper()
        depositors = depositors.filter(
            Q(name__icontains=q)
            | Q(short_code=code)
            | Q(person__name_pinyin__icontains=q.lower())
            | Q(person__name_initials__iexact=q.lower())
        )
    if grid_id.isdigit():
        depositors = depositors.filter(node_id=int(grid_id))
    if kind:
        depositors = depositors.filter(kind=kind)
    return depositors.order_by("node__path", "kind", "name", "pk")


def may(user: Any, permission: str, obj: Any) -> bool:
    return scope_for(user).has_perm_at(permission, obj.get_scope_path())
