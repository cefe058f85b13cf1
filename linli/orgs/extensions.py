"""Extension points of the organisation pages: per-node figures, coverage checks and node page sections.

The arrows point core ← orgs ← people, so orgs never imports people; yet the tree browser shows
residents and members per node, the coverage report (ORG-2) lists grids without a grid worker, and
a node page lists its current cadres. Apps above orgs register those here when they load
(`AppConfig.ready`); orgs runs whatever is registered, each contribution in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import OrgNode


@dataclass(frozen=True)
class NodeFigure:
    """A number shown for every node of the tree browser, summed over the node's subtree.

    `rows(node)` returns (node path, count) pairs for the whole subtree of `node` in ONE query, grouped
    by the node the records sit on; the browser adds them up per child. `link(node)` opens the records
    behind the number (RPT-3). Shown only to users holding `permission` at the node.
    """

    key: str
    label: str
    permission: str
    rows: Callable[[OrgNode], Iterable[tuple[str, int]]]
    link: Callable[[OrgNode], str] | None = None
    order: int = 100


@dataclass
class CoverageGap:
    """One gap found by a coverage check: the node concerned and what is missing there."""

    node: OrgNode
    detail: str
    data: dict[str, Any] = field(default_factory=dict)
    street: str = ""
    community: str = ""


@dataclass(frozen=True)
class CoverageCheck:
    """A rule of ORG-2 whose gaps are listed: `find(nodes)` gets the visible nodes queryset to search."""

    key: str
    label: str
    description: str
    find: Callable[[Any], list[CoverageGap]]
    order: int = 100


@dataclass(frozen=True)
class NodeSection:
    """A block on the node page: `context(node, user)` returns the template context, or None to skip."""

    key: str
    template: str
    context: Callable[[OrgNode, Any], dict[str, Any] | None]
    order: int = 100


_figures: dict[str, NodeFigure] = {}
_checks: dict[str, CoverageCheck] = {}
_sections: dict[str, NodeSection] = {}


def register_node_figure(figure: NodeFigure) -> None:
    _figures[figure.key] = figure


def register_coverage_check(check: CoverageCheck) -> None:
    _checks[check.key] = check


def register_node_section(section: NodeSection) -> None:
    _sections[section.key] = section


def node_figures() -> list[NodeFigure]:
    return sorted(_figures.values(), key=lambda f: (f.order, f.key))


def coverage_checks() -> list[CoverageCheck]:
    return sorted(_checks.values(), key=lambda c: (c.order, c.key))


def node_sections() -> list[NodeSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))
