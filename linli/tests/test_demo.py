"""`linli demo` seeds the documented district once; a second run changes nothing. (The only full demo run in the unit suite.)"""

import io
import re
from pathlib import Path

from django.apps import apps
from django.core.management import call_command

from linli.core.seeding import DEMO_SCALE, demo_plan, logins_table, marker_find
from linli.ledger.selectors import ledger_verify
from linli.orgs.seeding import household_counts
from linli.testing.ledger import entries_out_of_time_order

README = Path(__file__).resolve().parents[2] / "README.md"


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "sessions", "auth"}
    }


def _readme_logins() -> list[tuple[str, str, str, str]]:
    """The rows of the demo login table in the README (the Chinese section)."""
    rows = re.findall(r"^\| ([a-z_0-9]+) \| (\S+) \| (.+?) \| (.+?) \|$", README.read_text(), re.MULTILINE)
    return [tuple(cell.strip() for cell in row) for row in rows]


def test_demo_seeds_the_readme_district_once_and_a_second_run_changes_nothing(db):
    first = io.StringIO()
    call_command("demo", stdout=first)
    counts = _row_counts()
    assert counts["orgs.Household"] == sum(sum(household_counts(c)) for c in demo_plan().communities)
    nodes = apps.get_model("orgs", "OrgNode").objects
    assert nodes.filter(kind="community").count() == DEMO_SCALE.communities
    assert nodes.filter(kind="grid").count() == DEMO_SCALE.grids
    assert counts["people.Member"] == DEMO_SCALE.members
    assert counts["people.Person"] - counts["people.Member"] == DEMO_SCALE.residents

    logins = marker_find().logins
    readme = [(login.username, login.password, login.role, login.scope) for login in logins]
    assert _readme_logins() == readme
    assert logins_table(logins) in first.getvalue()
    # The apps' dated steps ran on one timeline: every account reads in time order and the ledger is clean.
    assert entries_out_of_time_order() == []
    assert ledger_verify().anomalies == []

    second = io.StringIO()
    call_command("demo", stdout=second)
    assert _row_counts() == counts
    assert second.getvalue().startswith("演示数据已存在，未作任何修改。")
    assert logins_table(logins) in second.getvalue()
