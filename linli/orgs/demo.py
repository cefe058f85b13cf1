"""The demo district's organisation: 五华区, two streets, six communities, grids, units, buildings, households."""

from linli.core.demo import DemoContext
from linli.core.seeding import demo_plan

from .seeding import seed_dwellings, seed_org_tree

ORDER = 10


def seed_demo(ctx: DemoContext) -> None:
    plan = demo_plan()
    tree = seed_org_tree(ctx, plan)
    dwellings = seed_dwellings(ctx, plan, tree, audit_each=True)
    ctx.log(
        f"组织：{len(tree.nodes) + 1} 个节点，{len(tree.party_orgs)} 个党组织，"
        f"{dwellings['楼栋']} 栋楼，{dwellings['户']} 户"
    )
