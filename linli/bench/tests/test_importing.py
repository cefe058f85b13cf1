"""The import benchmark: a roster valid for the database, imported in full, and nothing left behind."""

import io

from openpyxl import load_workbook

from linli.bench import importing
from linli.core.models import AuditEntry
from linli.people.models import ImportBatch, Member, Person
from linli.people.services import person_create


def _rows(data: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return rows


def test_the_roster_uses_the_districts_grids_and_branches(world):
    roster = importing.roster_build(world.district, 40)

    header, *rows = _rows(roster.data)
    assert header[:2] == ("姓名*", "身份证号*")
    assert len(rows) == roster.rows == 40
    grid, branch = header.index("所属网格*"), header.index("所在党组织*")
    # Each branch's members live in the grids of its own community (复兴: two grids, 金碧: one).
    pairs = {(row[grid], row[branch]) for row in rows}
    fuxing = {"复兴社区党总支", "复兴社区第一党支部"}
    jinbi = {"金碧社区党委", "金碧社区第一党支部"}
    assert pairs <= {(g, b) for g in ("复兴一网格", "复兴二网格") for b in fuxing} | {
        ("金碧一网格", b) for b in jinbi
    }
    assert {b for _, b in pairs} == fuxing | jinbi
    assert len({row[header.index("身份证号*")] for row in rows}) == 40
    assert all(row[header.index("身份证号*")].startswith(importing.REGION) for row in rows)


def test_an_id_number_already_registered_is_replaced(world):
    first = importing.roster_build(world.district, 20)
    header, *rows = _rows(first.data)
    taken = rows[5][header.index("身份证号*")]
    person_create(actor=world.district_admin, node=world.grid_a1, name="占用者", id_number=taken)

    again = importing.roster_build(world.district, 20)

    header, *rows = _rows(again.data)
    numbers = [row[header.index("身份证号*")] for row in rows]
    assert taken not in numbers
    assert len(set(numbers)) == 20


def test_quick_run_imports_every_row_and_rolls_everything_back(world, monkeypatch):
    monkeypatch.setattr(importing, "QUICK_ROWS", 300)
    counts = (
        Member.objects.count(),
        Person.objects.count(),
        ImportBatch.objects.count(),
        AuditEntry.objects.count(),
    )

    figures = importing.run(quick=True, log=lambda message: None)

    assert counts == (
        Member.objects.count(),
        Person.objects.count(),
        ImportBatch.objects.count(),
        AuditEntry.objects.count(),
    )
    by_key = {f.key: f for f in figures}
    assert list(by_key) == ["import:floor", "import:preview", "import:commit", "import:total"]
    floor = by_key["import:floor"]
    assert floor.floor_ms is None and floor.n == 3
    for key in ("import:preview", "import:commit", "import:total"):
        assert by_key[key].floor_ms == floor.median_ms
        assert by_key[key].extra["rows"] == 300
    assert by_key["import:total"].median_ms >= by_key["import:preview"].median_ms


def test_the_floor_reads_the_header_and_every_row(world):
    roster = importing.roster_build(world.district, 25)

    assert importing.parse_floor(roster.data) == 26
