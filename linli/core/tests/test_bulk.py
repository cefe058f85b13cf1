"""bulk_insert stores exactly what bulk_create stores, sets primary keys, and needs few statements."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.core.bulk import build_instances, bulk_insert
from linli.core.models import AuditEntry, CalendarDay, TransitionRecord

pytestmark = pytest.mark.django_db

AT = timezone.make_aware(datetime.datetime(2026, 3, 8, 9, 30, 15, 123456), datetime.UTC)


def audit(note: str) -> AuditEntry:
    return AuditEntry(
        at=AT,
        actor_id=7,
        actor_name="社区书记",
        action="import",
        target_type="people.person",
        target_id="12",
        target_repr="张三",
        changes={"id_number": [None, "530102********0018"], "tags": ["低保", "独居老人"], "n": 1.5},
        note=note,
        ip="10.0.0.8",
        user_agent="测试",
    )


def stored(model, pk):
    row = model.objects.filter(pk=pk).values().get()
    row.pop("id")
    return row


def test_rows_are_stored_exactly_as_bulk_create_stores_them():
    via_orm, via_insert = audit("同一条"), audit("同一条")
    AuditEntry.objects.bulk_create([via_orm])
    bulk_insert([via_insert])
    assert stored(AuditEntry, via_insert.pk) == stored(AuditEntry, via_orm.pk)

    first = CalendarDay(date=datetime.date(2026, 10, 1), is_workday=False, note="国庆")
    bulk_insert([first])
    assert stored(CalendarDay, first.pk) == {
        "date": datetime.date(2026, 10, 1),
        "is_workday": False,
        "note": "国庆",
    }

    kind = ContentType.objects.get_for_model(CalendarDay)
    record = TransitionRecord(
        content_type=kind,
        object_id=1,
        machine="m",
        transition="t",
        from_state="a",
        to_state="b",
        data={"k": [1]},
    )
    bulk_insert([record])
    assert stored(TransitionRecord, record.pk)["data"] == {"k": [1]}
    assert stored(TransitionRecord, record.pk)["content_type_id"] == kind.pk


def test_primary_keys_are_set_in_order_and_instances_count_as_saved():
    entries = [audit(f"第{i}条") for i in range(250)]
    bulk_insert(entries)
    assert [AuditEntry.objects.get(pk=e.pk).note for e in entries] == [f"第{i}条" for i in range(250)]
    assert {e._state.adding for e in entries} == {False}


def test_rows_go_out_in_as_few_statements_as_the_database_allows():
    entries = [audit("x") for _ in range(200)]
    with CaptureQueriesContext(connection) as captured:
        bulk_insert(entries, batch_size=1000)
    statements = [q["sql"].split(" ", 1)[0] for q in captured]
    if connection.vendor == "postgresql":
        # ids from the sequence in one query, then every row in one COPY
        assert statements == ["SELECT", "COPY"]
    else:
        # SQLite takes at most 999 parameters (11 columns: 90 rows) per statement
        assert statements == ["INSERT", "INSERT", "INSERT"]


def test_only_new_instances_of_one_model_are_accepted():
    saved = audit("已保存")
    saved.save()
    with pytest.raises(ValueError):
        bulk_insert([saved])
    with pytest.raises(ValueError):
        bulk_insert([audit("a"), CalendarDay(date=datetime.date(2026, 1, 1), is_workday=False)])
    assert bulk_insert([]) is None


def test_instances_built_positionally_equal_keyword_construction():
    fields = {"actor_id": 7, "action": "import", "changes": {"a": 1}, "note": "批量"}
    built, by_keyword = build_instances(AuditEntry, [fields])[0], AuditEntry(**fields)
    names = [f.attname for f in AuditEntry._meta.concrete_fields if f.attname != "at"]
    assert [getattr(built, n) for n in names] == [getattr(by_keyword, n) for n in names]
    assert built.at is not None and built.pk is None and built._state.adding
    first, second = build_instances(TransitionRecord, [{"object_id": 1}, {"object_id": 2}])
    assert first.data == {} and first.data is not second.data  # callable defaults are fresh per row
    with pytest.raises(TypeError):
        build_instances(AuditEntry, [{"no_such_field": 1}])


def test_rows_with_ids_given_are_stored_as_bulk_create_stores_them():
    """Scale seeding assigns ids ahead: `explicit_ids` writes them as given, values as bulk_create would."""
    from linli.core.bulk import quick_instance, reset_sequences

    via_orm = audit("带编号")
    AuditEntry.objects.bulk_create([via_orm])
    top = via_orm.pk
    source = audit("带编号")
    values = {f.attname: getattr(source, f.attname) for f in AuditEntry._meta.concrete_fields}
    given = [audit("带编号"), quick_instance(AuditEntry, values)]
    given[0].pk, given[1].pk = top + 5, top + 9
    bulk_insert(given, explicit_ids=True)
    reset_sequences(AuditEntry)
    for obj in given:
        assert stored(AuditEntry, obj.pk) == stored(AuditEntry, via_orm.pk)
    after = audit("之后")
    after.save()
    assert after.pk > top + 9
    with pytest.raises(ValueError):
        bulk_insert([audit("无编号")], explicit_ids=True)
