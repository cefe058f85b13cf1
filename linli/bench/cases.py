"""The bench-case registry: every named URL is either timed as a page or skipped with a reason.

Each app's `bench.py` registers builders with `@bench_case("app:name", kind=…)`; a builder receives the
`BenchData` of a seeded database (`linli seed --scale …`) and returns the `BenchRequest` a realistic user
of the right role would make: the 社区书记 on her community's lists, the 区管理员 on district dashboards,
the 党员 on her own points. URLs that only accept POST (withdraw, approve, revoke, commit …) are
registered with `bench_skip`. `linli/bench/tests/test_cases.py` walks the URL configuration and fails
for a URL with neither, so a new page cannot be forgotten.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Model, QuerySet

KINDS = ("list", "detail", "dashboard", "form", "api", "export")


class BenchDataMissing(Exception):
    """The seeded database lacks what a case needs (the tiny CI run must still find every object)."""


@dataclass
class BenchRequest:
    """One GET request as one user; `user` None is an anonymous visitor (the login page)."""

    user: Model | None
    url: str
    label: str
    follow: bool = (
        False  # a page that redirects every user (the tree of a one-root scope) is timed with its target
    )


@dataclass
class BenchCase:
    name: str
    kind: str
    build: Callable[[BenchData], BenchRequest]


BENCH_CASES: dict[str, BenchCase] = {}
BENCH_SKIPS: dict[str, str] = {}


def bench_case(name: str, *, kind: str) -> Callable:
    if kind not in KINDS:
        raise ValueError(f"unknown bench kind {kind!r} for {name}")

    def register(builder: Callable[[BenchData], BenchRequest]) -> Callable:
        if name in BENCH_CASES or name in BENCH_SKIPS:
            raise ValueError(f"duplicate bench case for {name}")
        BENCH_CASES[name] = BenchCase(name=name, kind=kind, build=builder)
        return builder

    return register


def bench_skip(*names: str, reason: str) -> None:
    """URLs that are not pages (POST-only actions): named here so the walker knows they were not forgotten."""
    for name in names:
        if name in BENCH_CASES or name in BENCH_SKIPS:
            raise ValueError(f"duplicate bench case for {name}")
        BENCH_SKIPS[name] = reason


def load_cases() -> None:
    """Import every linli app's `bench.py` (like the API autodiscovery in linli/urls.py)."""
    for config in apps.get_app_configs():
        if config.name.startswith("linli."):
            try:
                importlib.import_module(f"{config.name}.bench")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.bench":
                    raise


class BenchData:
    """What builders read from the seeded database: the demo logins and realistic objects they can see."""

    def __init__(self) -> None:
        self._users: dict[str, Model] = {}
        self._cache: dict[str, object] = {}

    def user(self, username: str) -> Model:
        if username not in self._users:
            from linli.accounts.models import User

            try:
                self._users[username] = User.objects.get(username=username)
            except User.DoesNotExist:
                raise BenchDataMissing(
                    f"找不到演示账号 {username}：请先用 `linli seed --scale …` 生成规模数据。"
                ) from None
        return self._users[username]

    def node(self, username: str) -> Model:
        """The organisation node where the user's (first) role is granted, e.g. 复兴社区 for shequ_fuxing."""
        grant = self.user(username).grants.select_related("node").order_by("pk").first()
        if grant is None or grant.node is None:
            raise BenchDataMissing(f"演示账号 {username} 没有授权在某个组织节点上。")
        return grant.node

    def member(self, username: str) -> Model:
        """The Party member behind a login (dangyuan_demo)."""
        user = self.user(username)
        member = getattr(user.person, "member", None) if user.person_id else None
        if member is None:
            raise BenchDataMissing(f"演示账号 {username} 不是党员。")
        return member

    def pick(self, queryset: QuerySet, what: str) -> Model:
        """The first row (in the queryset's order); a clear error when the seeded data has none."""
        row = queryset.first()
        if row is None:
            raise BenchDataMissing(f"基准数据中找不到{what}；请检查 `linli seed --scale` 是否生成了它。")
        return row

    def most(self, queryset: QuerySet, related: str, what: str, *, empty_ok: bool = False) -> Model:
        """The row with the most `related` rows (the community's largest list, the busiest station …);
        with `empty_ok` a row with none will do. Cached by `what`, so name each search distinctly."""
        key = f"{queryset.model._meta.label}|{related}|{what}"
        if key not in self._cache:
            ordered = queryset.annotate(bench_n=Count(related))
            if not empty_ok:
                ordered = ordered.filter(bench_n__gt=0)
            self._cache[key] = self.pick(ordered.order_by("-bench_n", "pk"), what)
        return self._cache[key]
