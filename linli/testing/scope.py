"""The scope-case registry: every named URL must declare who may use it, who may not, and who gets 404.

Each app's `tests/scope_cases.py` registers builders with `@scope_case("app:name")`. The project test
`linli/tests/test_scope_matrix.py` walks the URL configuration and fails for any named URL without
a case, so a new page or API endpoint cannot be forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# URLs open to anyone (or to any signed-in user for their own account).
PUBLIC_URLS = {"accounts:login", "accounts:logout", "accounts:password_change", "reports:home"}


@dataclass
class ScopeCase:
    """One request tried as several personas.

    may:        personas for whom the request succeeds (status in `success`).
    lesser:     colleagues with less right: refused with 403 (or 404), and nothing changes.
    outsiders:  personas outside the object's scope: 404 exactly like a missing record.
    state:      a function of the world returning what a refused request must leave unchanged.
    hidden:     for list pages, text that the outsiders' own (scoped) page must not contain.
    """

    url: str
    method: str = "get"
    data: dict[str, Any] | None = None
    may: list[str] = field(default_factory=list)
    lesser: list[str] = field(default_factory=list)
    outsiders: list[str] = field(default_factory=list)
    outsider_status: tuple[int, ...] = (404,)
    lesser_status: tuple[int, ...] = (403, 404)
    success: tuple[int, ...] = (200, 302)
    state: Callable[[Any], Any] | None = None
    hidden: str = ""
    content_type: str | None = None


SCOPE_CASES: dict[str, Callable[[Any], ScopeCase | list[ScopeCase]]] = {}


def scope_case(*url_names: str) -> Callable:
    def register(builder: Callable[[Any], ScopeCase | list[ScopeCase]]) -> Callable:
        for name in url_names:
            if name in SCOPE_CASES:
                raise ValueError(f"duplicate scope case for {name}")
            SCOPE_CASES[name] = builder
        return builder

    return register
