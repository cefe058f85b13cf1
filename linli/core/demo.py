"""The demo district: each app seeds its part in `<app>/demo.py`; `linli demo` runs them in order.

An app's demo module defines `ORDER` (lower runs first: orgs 10, people 20, accounts 30, points 40,
bank 50 …) and `seed_demo(ctx: DemoContext) -> None`. Seeders read what earlier ones made from the
database. Everything is deterministic: use `ctx.rng(<app label>)`, never the global random module,
and `ctx.today` instead of the clock.
"""

from __future__ import annotations

import datetime
import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps

DEMO_SEED = 20261121
DEMO_PASSWORD = "Linli@2026"


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoContext:
    today: datetime.date
    log: Callable[[str], None] = print
    logins: list[DemoLogin] = field(default_factory=list)
    _rngs: dict[str, random.Random] = field(default_factory=dict)

    def rng(self, label: str) -> random.Random:
        """A random generator of its own per app, so one app's change does not reshuffle another's data."""
        if label not in self._rngs:
            self._rngs[label] = random.Random(f"{DEMO_SEED}:{label}")
        return self._rngs[label]

    def add_login(self, username: str, role: str, scope: str) -> None:
        self.logins.append(DemoLogin(username, role, scope))


def demo_seeders() -> list[tuple[int, str, Callable[[DemoContext], None]]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("linli."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        if not hasattr(module, "seed_demo"):  # linli.core.demo is this framework, not a seeder
            continue
        found.append((module.ORDER, config.label, module.seed_demo))
    return sorted(found)
