"""`seed --scale tiny` writes the planned district: exact counts, valid personal data, coherent records."""

import datetime
import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from linli.accounts.models import User
from linli.accounts.seeding import DEMO_USERNAMES
from linli.core import pii
from linli.core.models import AuditEntry
from linli.core.seeding import anchor_date, scale_plan
from linli.core.validators import normalize_phone, parse_id_number
from linli.orgs.models import Household, OrgNode, PartyOrg
from linli.orgs.seeding import household_counts
from linli.people.choices import HouseholdRelation, MemberStatus, Position
from linli.people.models import CadrePosition, FloatingContact, FloatingRecord, Member, Person
from linli.people.seeding import compose_household, household_sizes, person_fill_id_number
from linli.people.services import person_apply_id_number


@pytest.fixture
def tiny(db):
    out = io.StringIO()
    call_command("seed", scale="tiny", stdout=out)
    return out.getvalue()


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def test_bulk_id_number_fill_stores_what_the_service_stores(db):
    by_service, by_seeder = Person(), Person()
    person_apply_id_number(by_service, "53010219760708003X")
    person_fill_id_number(by_seeder, "53010219760708003X")
    for field in ("id_number_hash", "id_number_masked", "birth_date", "gender"):
        assert getattr(by_seeder, field) == getattr(by_service, field)
    assert pii.decrypt(by_seeder.id_number_encrypted) == "53010219760708003X"


def test_bulk_id_number_fill_refuses_an_invalid_number():
    with pytest.raises(ValidationError):
        person_fill_id_number(Person(), "530102197607080031")


def test_household_sizes_add_up_to_the_people_of_the_grid():
    sizes = household_sizes(random.Random(1), 300, 830)
    assert sum(sizes) == 830 and min(sizes) >= 1 and max(sizes) <= 6


def test_households_are_families_of_coherent_ages():
    rng = random.Random(2)
    for _ in range(2000):
        size = rng.randint(1, 6)
        family = compose_household(rng, size)
        assert len(family) == size
        (relation, _, head_age), *others = family
        assert relation == HouseholdRelation.HEAD
        for relation, _, age in others:
            if relation == HouseholdRelation.CHILD:
                assert head_age - age >= 18
            elif relation == HouseholdRelation.PARENT:
                assert age - head_age >= 18


def test_seed_tiny_writes_the_planned_district(tiny):
    plan = scale_plan("tiny")
    assert OrgNode.objects.filter(kind="street").count() == 2
    assert OrgNode.objects.filter(kind="community").count() == 3
    assert OrgNode.objects.filter(kind="grid").count() == 6
    assert Person.objects.count() == 300
    assert Member.objects.count() == 60
    assert Person.objects.filter(member__isnull=True).count() == 240
    assert Household.objects.count() == sum(sum(household_counts(c)) for c in plan.communities)
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(DEMO_USERNAMES)
    assert "人员 300；党员 60" in tiny


def test_every_seeded_person_has_a_valid_id_number_matching_birth_date_and_gender(tiny):
    for person in Person.objects.all():
        parsed = parse_id_number(pii.decrypt(person.id_number_encrypted))
        assert (parsed.birth_date, parsed.gender) == (person.birth_date, person.gender)
        assert person.id_number_masked == pii.mask_id_number(parsed.number)
        if person.phone_encrypted:
            phone = pii.decrypt(person.phone_encrypted)
            assert normalize_phone(phone) == phone and person.phone_masked == pii.mask_phone(phone)


def test_everyone_in_a_household_lives_in_its_grid_and_each_household_has_one_head(tiny):
    assert (
        not Person.objects.filter(household__isnull=False).exclude(node_id=F("household__grid_id")).exists()
    )
    heads = Household.objects.annotate(n=Count("persons", filter=Q(persons__relation_to_head="head")))
    assert set(heads.values_list("n", flat=True)) == {1}


def test_seeded_members_keep_the_registry_rules(tiny):
    today = datetime.date.today()
    for member in Member.objects.select_related("person"):
        assert member.join_date <= today
        assert member.join_date.year - member.person.birth_date.year >= 18
        if member.status == MemberStatus.FORMAL:
            assert member.formal_date >= member.join_date
        else:
            assert member.formal_date is None
    for record in FloatingRecord.objects.all():
        assert record.since <= record.last_contact_on <= today
        assert record.contacts.filter(contacted_on=record.last_contact_on).exists()
    assert not FloatingContact.objects.filter(contacted_on__gt=today).exists()


def test_fuxing_has_a_unit_with_three_formal_members_and_no_party_organisation(tiny):
    fuxing = OrgNode.objects.get(name="复兴社区")
    gaps = [
        unit
        for unit in OrgNode.objects.filter(parent=fuxing, kind="unit")
        if not PartyOrg.objects.filter(Q(node=unit) | Q(covered_units=unit)).exists()
        and Member.objects.filter(work_unit=unit, status=MemberStatus.FORMAL).count() >= 3
    ]
    assert len(gaps) == 1
    joint = PartyOrg.objects.get(node=fuxing, formation="joint")
    assert joint.covered_units.count() == 2
    assert Member.objects.filter(branch=joint).count() == 4


def test_exactly_the_planned_grid_has_no_grid_worker(tiny):
    with_worker = CadrePosition.objects.filter(position=Position.GRID_WORKER).values_list(
        "node_id", flat=True
    )
    without = OrgNode.objects.filter(kind="grid").exclude(pk__in=with_worker)
    last = scale_plan("tiny").communities[-1]
    assert [g.name for g in without] == [last.grid_name(last.grids)]


def test_cadres_hold_one_shoulder_posts_and_the_seed_subsidies(tiny):
    fuxing = OrgNode.objects.get(name="复兴社区")
    current = CadrePosition.objects.filter(node=fuxing).current(anchor_date(datetime.date.today()))
    secretary = current.get(position=Position.SECRETARY)
    director = current.get(position=Position.DIRECTOR)
    assert director.person_id == secretary.person_id  # 一肩挑
    assert secretary.monthly_subsidy == 1100 and director.monthly_subsidy is None
    assert current.get(position=Position.DEPUTY_SECRETARY).monthly_subsidy == 1000
    assert set(
        current.filter(position=Position.COMMUNITY_WORKER).values_list("monthly_subsidy", flat=True)
    ) == {900}
    assert current.filter(position=Position.RESERVE).count() == 3
    assert Member.objects.filter(person=secretary.person).exists()


def test_seeding_the_same_scale_again_changes_nothing(tiny):
    before = (Person.objects.count(), AuditEntry.objects.count())
    out = io.StringIO()
    call_command("seed", scale="tiny", stdout=out)
    assert "「tiny」规模数据已存在，未作任何修改。" in out.getvalue()
    assert "quwei_admin" in out.getvalue()
    assert (Person.objects.count(), AuditEntry.objects.count()) == before


def test_another_scale_or_the_demo_is_refused_on_a_seeded_database(tiny):
    with pytest.raises(CommandError, match="已有「tiny」规模数据"):
        call_command("seed", scale="tenth", stdout=io.StringIO())
    with pytest.raises(CommandError, match="已有「tiny」规模的测试数据"):
        call_command("demo", stdout=io.StringIO())
    assert Person.objects.count() == 300


def test_seed_refuses_a_database_that_holds_other_data(world):
    with pytest.raises(CommandError, match="只能生成在空数据库上"):
        call_command("seed", scale="tiny", stdout=io.StringIO())


def test_reset_refuses_a_database_that_holds_data_it_did_not_seed(world):
    with pytest.raises(CommandError, match="拒绝重置"):
        call_command("seed", scale="tiny", reset=True, yes=True, stdout=io.StringIO())
    assert OrgNode.objects.filter(name="复兴社区").count() == 1


def test_reset_asks_first_and_an_answer_other_than_yes_keeps_everything(tiny, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "no")
    with pytest.raises(CommandError, match="已取消，数据库未作任何修改。"):
        call_command("seed", scale="tiny", reset=True, stdout=io.StringIO())
    assert "这将删除数据库" in asked[0]
    assert Person.objects.count() == 300


def test_reset_without_yes_refuses_when_nobody_can_answer(tiny, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="请加 --yes 确认"):
        call_command("demo", reset=True, stdout=io.StringIO())
    assert Person.objects.count() == 300
