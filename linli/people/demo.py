"""The demo district's people: ≈5,000 residents in ≈2,000 households, ≈600 Party members and their records."""

from linli.core.demo import DemoContext
from linli.core.seeding import demo_plan

from .seeding import seed_population

ORDER = 20


def seed_demo(ctx: DemoContext) -> None:
    counts = seed_population(ctx, demo_plan(), audit_each=True)
    ctx.log("人员：" + "，".join(f"{label} {n}" for label, n in counts.items()))
