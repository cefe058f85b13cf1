"""The demo logins: one per role on the demo district, password `DEMO_PASSWORD`, no forced change."""

from linli.core.demo import DemoContext
from linli.core.seeding import demo_plan

from .seeding import seed_logins

ORDER = 30


def seed_demo(ctx: DemoContext) -> None:
    seed_logins(ctx, demo_plan())
