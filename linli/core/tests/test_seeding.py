"""The synthetic-data generators shared by `demo` and `seed`: valid, unique, realistic and repeatable."""

import base64
import datetime
import io
import random
from collections import Counter

from django.core.management import call_command
from django.test import override_settings

from linli.core import pii
from linli.core.demo import DemoLogin
from linli.core.pinyin import name_pinyin
from linli.core.seeding import (
    DEMO_SCALE,
    SCALES,
    IdNumberGenerator,
    NameGenerator,
    PhoneGenerator,
    birth_date_for_age,
    chinese_number,
    demo_plan,
    logins_table,
    scale_plan,
    surname_of,
)
from linli.core.validators import normalize_phone, parse_id_number

ANCHOR = datetime.date(2026, 1, 1)


def test_generated_id_numbers_pass_the_checksum_and_carry_the_birth_date_and_gender():
    rng = random.Random(1)
    ids = IdNumberGenerator(rng)
    for i in range(2000):
        gender = "M" if i % 2 else "F"
        birth = birth_date_for_age(rng, rng.randint(0, 95), ANCHOR)
        parsed = parse_id_number(ids.make(birth, gender))
        assert (parsed.birth_date, parsed.gender, parsed.region) == (birth, gender, "云南省五华区")


def test_id_numbers_stay_unique_for_many_people_born_on_one_day():
    ids = IdNumberGenerator(random.Random(2))
    numbers = [ids.make(datetime.date(1960, 10, 1), "M") for _ in range(400)]
    assert len(set(numbers)) == 400


def test_birth_dates_give_the_requested_age_on_the_anchor_date():
    rng = random.Random(3)
    for age in (0, 18, 60, 95):
        birth = birth_date_for_age(rng, age, ANCHOR)
        age_on_anchor = ANCHOR.year - birth.year - ((ANCHOR.month, ANCHOR.day) < (birth.month, birth.day))
        assert age_on_anchor == age


def test_generated_phones_are_unique_valid_chinese_numbers():
    phones = PhoneGenerator(random.Random(4))
    mobiles = [phones.mobile() for _ in range(3000)]
    landlines = [phones.landline() for _ in range(200)]
    assert len(set(mobiles + landlines)) == 3200
    assert all(normalize_phone(p) == p for p in mobiles + landlines)
    assert all(p.startswith("0871-6") and len(p) == 13 for p in landlines)


def test_names_follow_surname_frequencies_and_include_the_polyphonic_surnames():
    names = NameGenerator(random.Random(5))
    people = [names.make("M" if i % 2 else "F", 1950 + i % 60) for i in range(20000)]
    surnames = Counter(surname_of(n) for n in people)
    assert [s for s, _ in surnames.most_common(3)] == ["王", "李", "张"]
    assert all(surnames[s] > 0 for s in ("单", "曾", "解", "仇", "朴", "欧阳"))
    assert all(2 <= len(n) <= 4 for n in people)


def test_surname_readings_of_generated_names_are_the_surname_ones():
    assert name_pinyin("单" + "建国")[0] == "shanjianguo"
    assert name_pinyin("欧阳" + "秀英") == ("ouyangxiuying", "oyxy")
    assert surname_of("欧阳秀英") == "欧阳"
    assert surname_of("单田芳") == "单"


def test_a_child_takes_the_surname_it_is_given():
    names = NameGenerator(random.Random(6))
    assert all(surname_of(names.make("F", 2010, surname="欧阳")) == "欧阳" for _ in range(50))


def test_grid_numbers_are_written_in_chinese():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 25)] == ["一", "九", "十", "十一", "二十", "二十五"]


def test_the_demo_plan_has_the_sizes_of_the_brief_and_is_the_same_every_time():
    plan = demo_plan()
    assert plan == demo_plan()
    assert plan.totals == {
        "streets": 2,
        "communities": 6,
        "grids": 30,
        "members": DEMO_SCALE.members,
        "residents": DEMO_SCALE.residents,
        "persons": 5600,
    }
    assert [s.name for s in plan.streets] == ["华山街道", "护国街道"]
    assert plan.streets[0].communities[0].name == "复兴社区"


def test_every_scale_plan_hits_its_totals_exactly():
    for name, scale in SCALES.items():
        totals = scale_plan(name).totals
        assert (totals["streets"], totals["communities"], totals["grids"]) == (
            scale.streets,
            scale.communities,
            scale.grids,
        )
        assert (totals["members"], totals["residents"]) == (scale.members, scale.residents)


def test_fuxing_community_always_has_every_coverage_case():
    for plan in (demo_plan(), scale_plan("tiny"), scale_plan("district")):
        fuxing = plan.communities[0]
        assert fuxing.name == "复兴社区" and fuxing.dual_role and fuxing.areas == ()
        assert sorted(u.party for u in fuxing.units) == ["gap", "joint", "joint", "none", "own", "own"]
        gap = next(u for u in fuxing.units if u.party == "gap")
        assert gap.members >= 3
        assert fuxing.grids_without_worker == ()
        assert plan.communities[-1].grids_without_worker[-1] == plan.communities[-1].grids


def test_community_names_are_unique_in_the_district_scale():
    names = [c.name for c in scale_plan("district").communities]
    assert len(names) == len(set(names)) == 100


def test_logins_table_aligns_columns_with_chinese_characters_counted_double():
    table = logins_table(
        [DemoLogin("quwei_admin", "区管理员", "五华区"), DemoLogin("auditor", "审计管理员", "审计日志")]
    )
    assert table.splitlines() == [
        "用户名       密码        角色        范围",
        "quwei_admin  Linli@2026  区管理员    五华区",
        "auditor      Linli@2026  审计管理员  审计日志",
    ]


def test_genkeys_prints_three_fresh_keys_the_production_settings_accept():
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("genkeys", stdout=out)
        outputs.append(dict(line.split("=", 1) for line in out.getvalue().splitlines()))
    keys = outputs[0]
    assert list(keys) == ["DJANGO_SECRET_KEY", "LINLI_FIELD_KEY", "LINLI_HASH_KEY"]
    assert len(keys["DJANGO_SECRET_KEY"]) >= 50 and len(set(keys["DJANGO_SECRET_KEY"])) >= 5
    assert len(base64.b64decode(keys["LINLI_FIELD_KEY"])) == 32
    assert len(base64.b64decode(keys["LINLI_HASH_KEY"])) == 32
    assert all(outputs[0][k] != outputs[1][k] for k in keys)
    with override_settings(LINLI_FIELD_KEY=keys["LINLI_FIELD_KEY"], LINLI_HASH_KEY=keys["LINLI_HASH_KEY"]):
        assert pii.decrypt(pii.encrypt("530102198503150018")) == "530102198503150018"
        assert len(pii.lookup_hash("530102198503150018", "id_number")) == 64
