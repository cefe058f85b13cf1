"""The registry in a browser: a community worker finds a member by pinyin initials and sees only the masked ID.

Runs against the demo district (`manage.py demo`); the member is looked up in the demo database through
the same scope door the pages use, so the test does not depend on which names the demo generates.
"""

import json

from linli.tests.e2e.conftest import login

COMMUNITY_WORKER = "shequ_fuxing"
DEMO_PASSWORD = "Linli@2026"

# A member the community worker may see, whose initials few other members share (so the hit is among
# the first ones of the dropdown), with the masked and the full ID number to compare against.
FIND_MEMBER = f"""
import json
from django.db.models import Count
from linli.accounts.models import User
from linli.core import pii
from linli.people.models import Member
user = User.objects.get(username="{COMMUNITY_WORKER}")
members = Member.objects.visible_to(user, "people.view").filter(record_state="active")
shared = dict(
    members.values("person__name_initials").annotate(n=Count("id")).values_list("person__name_initials", "n")
)
member = min(
    members.exclude(person__id_number_encrypted="").select_related("person").order_by("id")[:300],
    key=lambda m: (sum(n for k, n in shared.items() if k.startswith(m.person.name_initials)), m.pk),
)
print(json.dumps({{
    "pk": member.pk,
    "name": member.person.name,
    "initials": member.person.name_initials,
    "masked": member.person.id_number_masked,
    "full": pii.decrypt(member.person.id_number_encrypted),
}}, ensure_ascii=False))
"""


def test_a_community_worker_finds_a_member_by_initials_and_sees_the_masked_id(page, server):
    member = json.loads(server.shell(FIND_MEMBER).splitlines()[-1])
    assert member["masked"] != member["full"]

    login(page, COMMUNITY_WORKER, DEMO_PASSWORD)
    page.goto("/people/members/")
    page.get_by_role("searchbox", name="快速查找").fill(member["initials"])
    hit = page.locator("#quick-search-results a", has_text=member["name"]).first
    hit.wait_for()
    hit.click()
    page.wait_for_url(f"**/people/members/{member['pk']}/")

    assert page.locator("h1").first.inner_text().startswith(member["name"])
    assert page.locator('[data-pii="id_number"]').inner_text() == member["masked"]
    assert member["full"] not in page.content()
    assert page.get_by_role("button", name="显示完整信息").is_visible()
