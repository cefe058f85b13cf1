"""Grids and Party organisations named in a roster, found within the importer's scope with one query each."""

from __future__ import annotations

import itertools
from collections import defaultdict

from linli.core import excel_import as xl
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode, PartyOrg


class NameIndex:
    """Names of grids (or Party organisations) in one scope, as typed or as a path like 复兴社区/复兴一网格.

    Every ordered selection of a thing's ancestors followed by its own name is a key, so both
    「复兴一网格」 and 「华山街道/复兴社区/复兴一网格」 find it; a key naming two things is ambiguous.
    """

    def __init__(self, noun: str) -> None:
        self.noun = noun
        self._keys: dict[str, set[int]] = defaultdict(set)
        self._chains: dict[int, list[str]] = {}
        self._resolved: dict[str, int | str] = {}  # typed text → id, or the error message

    def add(self, pk: int, chain: list[str], *extra_chains: list[str]) -> None:
        self._chains[pk] = chain
        for path in (chain, *extra_chains):
            *ancestors, own = path
            for size in range(len(ancestors) + 1):
                for picked in itertools.combinations(ancestors, size):
                    self._keys["/".join(xl.normalize_label(p) for p in (*picked, own))].add(pk)

    def resolve(self, typed: str) -> int:
        """The one thing `typed` names; CellError in Chinese when it names none or several."""
        if typed not in self._resolved:
            try:
                self._resolved[typed] = self._find(typed)
            except xl.CellError as error:
                self._resolved[typed] = str(error)
        found = self._resolved[typed]
        if isinstance(found, str):
            raise xl.CellError(found)
        return found

    def _find(self, typed: str) -> int:
        parts = [p for p in xl.normalize_label(typed).replace("\\", "/").split("/") if p]
        found = self._keys.get("/".join(parts), set())
        if len(found) == 1:
            return next(iter(found))
        if not found:
            raise xl.CellError(f"本辖区内没有名为「{typed}」的{self.noun}。")
        candidates = sorted("/".join(self._chains[pk][-2:]) for pk in found)
        shown = "、".join(f"「{c}」" for c in candidates[:3])
        raise xl.CellError(f"本辖区内有多个名为「{typed}」的{self.noun}，请写完整路径，如{shown}。")

    def display(self, pk: int) -> str:
        """The shortest name that finds exactly this one (used for lists in the template)."""
        chain = self._chains[pk]
        *ancestors, own = chain
        for size in range(len(ancestors) + 1):
            for picked in itertools.combinations(ancestors[::-1], size):
                key = "/".join((*reversed(picked), own))
                if self._keys.get("/".join(xl.normalize_label(p) for p in key.split("/"))) == {pk}:
                    return key
        return "/".join(chain)

    def options(self) -> list[str]:
        return [self.display(pk) for pk in self._chains]


def node_chains(scope: OrgNode) -> tuple[dict[int, list[str]], dict[int, str]]:
    """Every active node of the scope's subtree (one query): name chains from the scope node down, kinds."""
    rows = list(
        OrgNode.objects.filter(path__startswith=scope.path, is_active=True)
        .order_by("depth", "sort_order", "id")
        .values_list("id", "parent_id", "name", "kind")
    )
    chains: dict[int, list[str]] = {}
    kinds: dict[int, str] = {}
    for pk, parent_id, name, kind in rows:
        chains[pk] = [*chains.get(parent_id, []), name] if pk != scope.pk else [name]
        kinds[pk] = kind
    return chains, kinds


def grid_index(scope: OrgNode, chains: dict[int, list[str]], kinds: dict[int, str]) -> NameIndex:
    index = NameIndex("网格")
    for pk, chain in chains.items():
        if kinds[pk] == NodeKind.GRID:
            index.add(pk, chain)
    return index


def branch_index(scope: OrgNode, chains: dict[int, list[str]]) -> tuple[NameIndex, dict[int, str]]:
    """Party organisations at nodes of the scope (one query); also found as 上级党组织/本组织."""
    rows = list(
        PartyOrg.objects.filter(node__path__startswith=scope.path, is_active=True)
        .order_by("node__path", "id")
        .values_list("id", "name", "kind", "node_id", "parent_id")
    )
    names = {pk: name for pk, name, *_ in rows}
    index = NameIndex("党组织")
    kinds: dict[int, str] = {}
    for pk, name, kind, node_id, parent_id in rows:
        extra = [[names[parent_id], name]] if parent_id in names else []
        index.add(pk, [*chains.get(node_id, []), name], *extra)
        kinds[pk] = kind
    return index, kinds
