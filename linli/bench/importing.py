"""The 30,000-row Party member roster import (preview and commit) against the floor of parsing the file.

The roster is generated for the database at hand, valid row by row: real grid and Party organisation
names of the district (as the template's drop-down lists show them, each member's grid in the
community of their branch), new unique ID numbers (GB 11643, region 530103 so they never meet the
seeded 530102 ones, and checked against the database by hash all the same), names, phones, join and
regularisation dates that pass every rule of the import. The generators are those of
`linli.core.seeding` with the benchmark's own seed, so the file is the same on every run.

What is timed, per round:
- "import:floor": `openpyxl.load_workbook(read_only=True)` of the same bytes and one pass over every
  row (values only): the least any import of this file can cost.
- "import:preview": `member_roster_import_preview` as the upload screen calls it, by a district
  administrator for the whole district: read and parse every cell, check every row (names, dates,
  ID numbers against the database), encrypt and hash the personal data, store the draft batch.
- "import:commit": `import_batch_commit` of that batch: every person, member and audit entry written.
- "import:total": preview plus commit, what a user waits in all.

The seeded database is left unchanged: each round's preview and commit run inside one outer
`transaction.atomic()` that is rolled back at the end (after checking, inside it, that exactly the
roster's rows became new members), so the benchmark can be run again and again on the same data.
At full size a round runs twice when it took under a minute, and the medians are reported.
"""

from __future__ import annotations

import datetime
import io
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from openpyxl import Workbook, load_workbook

from linli.accounts.models import RoleGrant
from linli.core import clock
from linli.core.roles import Role
from linli.core.seeding import IdNumberGenerator, NameGenerator, PhoneGenerator, birth_date_for_age
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode, PartyOrg
from linli.people.choices import Education, MemberCategory, MemberStatus
from linli.people.importing import MEMBER_SHEET, import_batch_commit, member_roster_import_preview
from linli.people.importing.checks import existing_by_hash
from linli.people.importing.names import branch_index, grid_index, node_chains
from linli.people.importing.sheets import MEMBER_BRANCH_KINDS
from linli.people.models import Member
from linli.people.services import id_number_hash

from .figures import Figure

FULL_ROWS, QUICK_ROWS = 30_000, 3_000
SEED = "linli-bench-import"
REGION = "530103"  # 昆明市盘龙区: the seeded persons are all 530102
SLOW_ROUND_SECONDS = 60


@dataclass
class Roster:
    data: bytes
    rows: int
    seconds: float


def district_and_importer() -> tuple[OrgNode, object]:
    """The district (the root of the tree) and a district administrator who may import into all of it."""
    district = OrgNode.objects.filter(parent=None, kind=NodeKind.DISTRICT).order_by("pk").first()
    if district is None:
        raise RuntimeError("数据库中没有区级组织节点，请先生成数据（linli seed）。")
    grant = (
        RoleGrant.objects.filter(
            role=Role.DISTRICT_ADMIN, node=district, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if grant is None:
        raise RuntimeError(f"「{district.name}」没有有效的区管理员账号，无法以真实身份导入。")
    return district, grant.user


def _placements(district: OrgNode) -> list[tuple[str, str]]:
    """(grid name, branch name) pairs as a user would type them: each branch with the grids of its community."""
    chains, kinds = node_chains(district)
    grids = grid_index(district, chains, kinds)
    branches, branch_kinds = branch_index(district, chains)
    paths = dict(OrgNode.objects.filter(pk__in=chains).values_list("pk", "path"))
    grid_paths = {pk: paths[pk] for pk, kind in kinds.items() if kind == NodeKind.GRID}
    if not grid_paths:
        raise RuntimeError("数据库中没有网格，无法生成花名册。")
    pairs: list[tuple[str, str]] = []
    rows = PartyOrg.objects.filter(pk__in=list(branch_kinds), kind__in=MEMBER_BRANCH_KINDS).values_list(
        "pk", "node__path"
    )
    grid_names = {pk: grids.display(pk) for pk in grid_paths}
    for pk, node_path in rows:
        # The grids under the nearest ancestor of the branch's node that has any (its community, usually).
        parts = node_path.strip("/").split("/")
        nearby: list[int] = []
        for depth in range(len(parts), 0, -1):
            prefix = "/" + "/".join(parts[:depth]) + "/"
            nearby = [g for g, path in grid_paths.items() if path.startswith(prefix)]
            if nearby:
                break
        branch_name = branches.display(pk)
        pairs.extend((grid_names[g], branch_name) for g in sorted(nearby))
    if not pairs:
        raise RuntimeError("数据库中没有党支部，无法生成党员花名册。")
    return pairs


_ETHNIC = ("汉族",) * 16 + ("彝族", "回族", "白族", "哈尼族", "傣族", "苗族")
_EDUCATION = [label for _, label in Education.choices] + ["大学本科", "中专", "研究生"]
_WORK_UNITS = (
    "五华区教育局",
    "云南白药集团",
    "昆明市第一人民医院",
    "华山街道办事处",
    "翠湖宾馆",
    "昆明百货大楼",
)
_JOBS = ("职员", "教师", "医生", "科员", "工程师", "经理")
_ROADS = ("东风西路", "人民中路", "青年路", "华山南路", "翠湖南路", "文林街", "钱局街", "武成路")


def roster_build(district: OrgNode, rows: int, *, seed: str = SEED) -> Roster:
    """A member roster of `rows` valid new members for this database (see the module docstring)."""
    started = time.perf_counter()
    rng = random.Random(f"{seed}:{rows}")
    names, ids, phones = NameGenerator(rng), IdNumberGenerator(rng, region=REGION), PhoneGenerator(rng)
    placements = _placements(district)
    today = clock.today()
    anchor = datetime.date(today.year, 1, 1)
    people = []
    for _ in range(rows):
        gender = rng.choice("MF")
        age = rng.randint(22, 88)
        birth = birth_date_for_age(rng, age, anchor)
        people.append([gender, birth, ids.make(birth, gender)])
    # Regenerate the rare number someone already registered (the check the preview would fail on).
    while True:
        registered = existing_by_hash(id_number_hash(p[2]) for p in people)
        clashes = [p for p in people if id_number_hash(p[2]) in registered]
        if not clashes:
            break
        for person in clashes:
            person[2] = ids.make(person[1], person[0])

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(MEMBER_SHEET.title)
    sheet.append([f"{c.label}*" if c.required else c.label for c in MEMBER_SHEET.columns])
    formal, probationary = MemberStatus.FORMAL.label, MemberStatus.PROBATIONARY.label
    for gender, birth, id_number in people:
        grid, branch = rng.choice(placements)
        name = names.make(gender, birth.year)
        roll = rng.random()
        phone = phones.mobile() if roll < 0.85 else phones.landline() if roll < 0.9 else None
        age_now = today.year - birth.year
        if rng.random() < 0.12:
            status, joined = probationary, today - datetime.timedelta(days=rng.randint(30, 330))
            regularised = None
        else:
            status = formal
            join_age = rng.randint(19, max(19, min(60, age_now - 3)))
            joined = birth + datetime.timedelta(days=int(join_age * 365.25) + rng.randrange(300))
            joined = min(joined, today - datetime.timedelta(days=800))
            regularised = joined + datetime.timedelta(days=365)
        category = (
            MemberCategory.RETIRED.label
            if age_now >= 62
            else rng.choice(
                [MemberCategory.EMPLOYED.label] * 3
                + [MemberCategory.UNEMPLOYED.label, MemberCategory.NEW_ECONOMY.label]
            )
        )
        employed = category == MemberCategory.EMPLOYED.label
        row = {
            "name": name,
            "id_number": id_number,
            "phone": phone,
            "ethnicity": rng.choice(_ETHNIC) if rng.random() < 0.9 else None,
            "education": rng.choice(_EDUCATION),
            "grid": grid,
            "branch": branch,
            "status": status,
            "join_date": joined,
            "formal_date": regularised,
            "category": category,
            "work_unit_name": rng.choice(_WORK_UNITS) if employed else None,
            "job_title": rng.choice(_JOBS) if employed else None,
            "address": f"{rng.choice(_ROADS)}{rng.randint(1, 300)}号",
        }
        sheet.append([row[c.key] for c in MEMBER_SHEET.columns])
    output = io.BytesIO()
    workbook.save(output)
    return Roster(output.getvalue(), rows, time.perf_counter() - started)


def parse_floor(data: bytes) -> int:
    """openpyxl read-only over every row of the file: the floor of any import. Returns the rows read."""
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _round(roster: Roster, district: OrgNode, actor) -> tuple[float, float, float]:
    """One floor, preview and commit; the writes are rolled back. Returns the three durations in seconds."""
    started = time.perf_counter()
    read = parse_floor(roster.data)
    floor = time.perf_counter() - started
    if read != roster.rows + 1:  # the header
        raise RuntimeError(f"openpyxl 读出 {read} 行，应为 {roster.rows + 1} 行。")
    with transaction.atomic():
        members_before = Member.objects.count()
        upload = SimpleUploadedFile(
            "性能基准党员花名册.xlsx", roster.data, content_type="application/octet-stream"
        )
        started = time.perf_counter()
        batch = member_roster_import_preview(actor=actor, node=district, upload=upload, file_name=upload.name)
        preview = time.perf_counter() - started
        if batch.error_row_count or batch.row_count != roster.rows:
            raise RuntimeError(
                f"花名册预览：共{batch.row_count}行，有误{batch.error_row_count}行；前几处问题：{batch.errors[:3]}"
            )
        started = time.perf_counter()
        outcome = import_batch_commit(actor=actor, batch=batch)
        commit = time.perf_counter() - started
        imported = Member.objects.count() - members_before
        if not outcome.committed or outcome.imported != roster.rows or imported != roster.rows:
            raise RuntimeError(f"导入了{imported}名党员（结果{outcome.imported}），应为{roster.rows}名。")
        transaction.set_rollback(True)
    return floor, preview, commit


def run(*, quick: bool, log: Callable[[str], None]) -> list[Figure]:
    rows = QUICK_ROWS if quick else FULL_ROWS
    district, actor = district_and_importer()
    roster = roster_build(district, rows)
    log(
        f"导入：已生成{rows}行党员花名册（{len(roster.data) / 1024 / 1024:.1f}MB，用时{roster.seconds:.1f}秒），"
        f"以{actor.get_username()}身份导入「{district.name}」，每轮结束回滚……"
    )
    rounds: list[tuple[float, float, float]] = []
    while True:
        rounds.append(_round(roster, district, actor))
        floor, preview, commit = rounds[-1]
        log(f"  第{len(rounds)}轮：解析底线{floor:.2f}秒，预览{preview:.2f}秒，导入{commit:.2f}秒")
        if quick and len(rounds) < 3:
            continue
        if not quick and len(rounds) < 2 and preview + commit < SLOW_ROUND_SECONDS:
            continue
        break

    def figure(key: str, label: str, kind: str, seconds: list[float], floor_ms: float | None) -> Figure:
        median = statistics.median(seconds)
        return Figure.from_samples(
            key,
            label,
            kind,
            [s * 1000 for s in seconds],
            floor_ms=floor_ms,
            extra={"rows": rows, "seconds": round(median, 3), "rows_per_s": round(rows / median)},
        )

    floors = [r[0] for r in rounds]
    floor_ms = statistics.median(floors) * 1000
    return [
        figure("import:floor", f"导入底线：openpyxl只读解析{rows}行", "floor", floors, None),
        figure("import:preview", f"花名册导入预览（{rows}行）", "import", [r[1] for r in rounds], floor_ms),
        figure("import:commit", f"花名册确认导入（{rows}行）", "import", [r[2] for r in rounds], floor_ms),
        figure(
            "import:total",
            f"花名册导入合计：预览+导入（{rows}行）",
            "import",
            [r[1] + r[2] for r in rounds],
            floor_ms,
        ),
    ]


__all__ = ["district_and_importer", "parse_floor", "roster_build", "run"]
