"""The import services (PPL-7): preview a roster into a draft batch, commit it once (all or nothing), discard it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core import excel_import as xl
from linli.core.audit import audit_build, audit_bulk, audit_record, diff_fields
from linli.core.bulk import build_instances, bulk_insert
from linli.core.choices import AuditAction
from linli.core.shortcuts import require_perm_at
from linli.orgs.models import Building, Household, OrgNode

from ..choices import ImportKind, ImportStatus
from ..models import ImportBatch, Member, Person
from ..services import _member_snapshot, _person_snapshot
from .checks import CHECKS, Checked, existing_by_hash
from .names import branch_index, grid_index, node_chains
from .sheets import INSERT_BATCH, INSTRUCTIONS, MEMBER_BRANCH_KINDS, PAYLOAD_FIELDS, SHEETS


def _preview(*, kind: str, actor: Any, node: OrgNode, upload: IO[bytes], file_name: str) -> ImportBatch:
    require_perm_at(actor, "people.import", node.path)
    sheet = xl.read_sheet(upload, SHEETS[kind])
    checked = CHECKS[kind](node, sheet).run()
    return _batch_store(
        kind=kind,
        actor=actor,
        node=node,
        file_name=file_name or getattr(upload, "name", "") or "",
        sheet=sheet,
        checked=checked,
    )


@transaction.atomic
def _batch_store(
    *, kind: str, actor: Any, node: OrgNode, file_name: str, sheet: xl.ParsedSheet, checked: Checked
) -> ImportBatch:
    batch = ImportBatch.objects.create(
        kind=kind,
        node=node,
        file_name=file_name[:255],
        uploaded_by=actor,
        uploaded_by_name=actor.get_username(),
        row_count=len(sheet.rows),
        error_row_count=len(sheet.errors.bad_rows),
        error_count=len(sheet.errors),
        summary=checked.summary,
        errors=sheet.errors.as_json(),
        preview=checked.preview,
        payload={
            "fields": list(PAYLOAD_FIELDS[kind]),
            "rows": checked.payload_rows,
            "households": checked.households,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        target=batch,
        note=f"上传{batch.get_kind_display()}预览：共{batch.row_count}行，有误{batch.error_row_count}行",
    )
    return batch


def resident_roster_import_preview(
    *, actor: Any, node: OrgNode, upload: IO[bytes], file_name: str = ""
) -> ImportBatch:
    """Read and check a resident roster for `node`'s subtree; store a draft ImportBatch (nothing else is written).

    The file is parsed before the write transaction opens, so a large file does not hold SQLite's
    write lock; only the batch and its audit entry are written, atomically. Raises ImportFileError
    (a ValidationError) when the file itself cannot be used, PermissionDenied outside the actor's scope.
    """
    return _preview(kind=ImportKind.RESIDENT, actor=actor, node=node, upload=upload, file_name=file_name)


def member_roster_import_preview(
    *, actor: Any, node: OrgNode, upload: IO[bytes], file_name: str = ""
) -> ImportBatch:
    """Read and check a Party member roster for `node`'s subtree; store a draft ImportBatch (see above)."""
    return _preview(kind=ImportKind.MEMBER, actor=actor, node=node, upload=upload, file_name=file_name)


@dataclass
class ImportOutcome:
    committed: bool
    imported: int = 0
    persons_created: int = 0
    members_created: int = 0
    households_created: int = 0
    buildings_created: int = 0
    new_errors: list[dict[str, Any]] = field(default_factory=list)


def _recheck(batch: ImportBatch, rows: list[dict[str, Any]]) -> list[xl.RowError]:
    """What changed since the preview: ID numbers registered meanwhile, persons moved or made members."""
    conflicts: list[xl.RowError] = []
    new_rows = [r for r in rows if not r.get("person_id")]
    existing = existing_by_hash(r["id_number_hash"] for r in new_rows)
    for r in new_rows:
        if r["id_number_hash"] in existing:
            conflicts.append(xl.RowError(r["row"], "身份证号", "预览之后该身份证号已被登记，本行不能导入。"))
    attached = [r for r in rows if r.get("person_id")]
    if attached:
        state = {
            pk: (path, member_id)
            for pk, path, member_id in Person.objects.filter(
                pk__in=[r["person_id"] for r in attached]
            ).values_list("id", "node__path", "member__id")
        }
        for r in attached:
            path, member_id = state.get(r["person_id"], ("", None))
            if not path.startswith(batch.node.path):
                conflicts.append(
                    xl.RowError(r["row"], "身份证号", "预览之后该人员已不在本辖区，本行不能导入。")
                )
            elif member_id is not None:
                conflicts.append(
                    xl.RowError(r["row"], "身份证号", "预览之后该人员已登记为党员，本行不能导入。")
                )
    return conflicts


def _record_conflicts(batch: ImportBatch, conflicts: list[xl.RowError]) -> None:
    rows = {e.row for e in conflicts}
    batch.errors = sorted([*batch.errors, *(e.as_dict() for e in conflicts)], key=lambda e: e["row"])
    batch.error_count += len(conflicts)
    batch.error_row_count += len(rows)
    summary = dict(batch.summary)
    summary["conflicts_at_commit"] = summary.get("conflicts_at_commit", 0) + len(rows)
    batch.summary = summary


def _person_fields(
    r: dict[str, Any], note: str = "", relation: str = "", household_id: int | None = None
) -> dict[str, Any]:
    """A payload row as Person field values (ID number and phone already encrypted, hashed, masked)."""
    return {
        "node_id": r["node_id"],
        "household_id": household_id,
        "relation_to_head": relation,
        "name": r["name"],
        "name_pinyin": r["name_pinyin"],
        "name_initials": r["name_initials"],
        "gender": r["gender"],
        "birth_date": datetime.date.fromisoformat(r["birth_date"]),
        "id_number_encrypted": r["id_number_encrypted"],
        "id_number_hash": r["id_number_hash"],
        "id_number_masked": r["id_number_masked"],
        "phone_encrypted": r["phone_encrypted"],
        "phone_hash": r["phone_hash"],
        "phone_masked": r["phone_masked"],
        "ethnicity": r["ethnicity"],
        "education": r["education"],
        "address": r["address"],
        "note": note,
    }


def _write_households(
    batch: ImportBatch, rows: list[dict[str, Any]], audit: list, actor: Any
) -> tuple[dict[int, int], int, int]:
    """Households the rows need: existing ones found again (someone may have added one since the preview),
    missing buildings and households created, tags added. Returns payload index → household id."""
    specs = batch.payload.get("households", [])
    needed = sorted({r["household"] for r in rows if r["household"] is not None})
    if not needed:
        return {}, 0, 0
    grid_ids = {specs[i][0] for i in needed}
    buildings = {(b.grid_id, b.name): b for b in Building.objects.filter(grid_id__in=grid_ids)}
    existing = {}
    for pk, grid_id, building, unit_no, room_no in Household.objects.filter(grid_id__in=grid_ids).values_list(
        "id", "grid_id", "building__name", "unit_no", "room_no"
    ):
        existing.setdefault((grid_id, building or "", unit_no, room_no), pk)
    new_buildings = []
    for grid_id, name in sorted({(specs[i][0], specs[i][1]) for i in needed if specs[i][1]}):
        if (grid_id, name) not in buildings:
            building = Building(grid_id=grid_id, name=name)
            buildings[(grid_id, name)] = building
            new_buildings.append(building)
    bulk_insert(new_buildings, batch_size=INSERT_BATCH)
    ids: dict[int, int] = {}
    new_households: dict[int, Household] = {}
    for i in needed:
        grid_id, building, unit_no, room_no, address, _tags, _ = specs[i]
        key = (grid_id, building, unit_no, room_no)
        if key in existing:
            ids[i] = existing[key]
        else:
            new_households[i] = Household(
                grid_id=grid_id,
                building=buildings[(grid_id, building)] if building else None,
                unit_no=unit_no,
                room_no=room_no,
                address=address,
            )
    bulk_insert(list(new_households.values()), batch_size=INSERT_BATCH)
    ids.update({i: h.pk for i, h in new_households.items()})
    through = Household.tags.through
    links = [through(household_id=ids[i], householdtag_id=pk) for i in needed for pk, _ in specs[i][5]]
    through.objects.bulk_create(links, batch_size=INSERT_BATCH, ignore_conflicts=True)
    note = f"花名册导入（批次{batch.pk}）"
    audit.extend(
        audit_build(actor=actor, action=AuditAction.CREATE, target=b, note=note) for b in new_buildings
    )
    for i in needed:
        names = sorted(name for _, name in specs[i][5])
        if i in new_households:
            changes = {"tags": [None, names]} if names else {}
            audit.append(
                audit_build(
                    actor=actor,
                    action=AuditAction.CREATE,
                    target=new_households[i],
                    changes=changes,
                    note=note,
                )
            )
        elif names:  # tags the roster adds to a household already registered
            audit.append(
                audit_build(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    target_type="orgs.household",
                    target_id=ids[i],
                    target_repr="".join(specs[i][1:4]),
                    changes={"tags_added": [None, names]},
                    note=note,
                )
            )
    return ids, len(new_households), len(new_buildings)


def _write_residents(
    batch: ImportBatch, rows: list[dict[str, Any]], actor: Any, audit: list
) -> ImportOutcome:
    household_ids, households_created, buildings_created = _write_households(batch, rows, audit, actor)
    persons = build_instances(
        Person,
        [
            _person_fields(
                r,
                note=r["note"],
                relation=r["relation_to_head"],
                household_id=household_ids.get(r["household"]),
            )
            for r in rows
        ],
    )
    bulk_insert(persons, batch_size=INSERT_BATCH)
    audit.extend(
        audit_build(
            actor=actor,
            action=AuditAction.CREATE,
            target=p,
            changes=diff_fields({}, _person_snapshot(p)),
            note=f"花名册导入（批次{batch.pk}第{r['row']}行）",
        )
        for p, r in zip(persons, rows, strict=True)
    )
    return ImportOutcome(
        committed=True,
        imported=len(rows),
        persons_created=len(persons),
        households_created=households_created,
        buildings_created=buildings_created,
    )


def _write_members(batch: ImportBatch, rows: list[dict[str, Any]], actor: Any, audit: list) -> ImportOutcome:
    new = [r for r in rows if not r["person_id"]]
    persons = build_instances(Person, [_person_fields(r) for r in new])
    bulk_insert(persons, batch_size=INSERT_BATCH)
    person_ids = {r["row"]: p.pk for r, p in zip(new, persons, strict=True)}
    members = build_instances(
        Member,
        [
            {
                "person_id": r["person_id"] or person_ids[r["row"]],
                "branch_id": r["branch_id"],
                "status": r["status"],
                "join_date": datetime.date.fromisoformat(r["join_date"]),
                "formal_date": datetime.date.fromisoformat(r["formal_date"]) if r["formal_date"] else None,
                "category": r["category"],
                "work_unit_name": r["work_unit_name"],
                "job_title": r["job_title"],
            }
            for r in rows
        ],
    )
    bulk_insert(members, batch_size=INSERT_BATCH)
    names = {r["row"]: r["name"] for r in new}
    attached_names = dict(
        Person.objects.filter(pk__in=[r["person_id"] for r in rows if r["person_id"]]).values_list(
            "id", "name"
        )
    )
    audit.extend(
        audit_build(
            actor=actor,
            action=AuditAction.CREATE,
            target=p,
            changes=diff_fields({}, _person_snapshot(p)),
            note=f"花名册导入（批次{batch.pk}第{r['row']}行）",
        )
        for p, r in zip(persons, new, strict=True)
    )
    audit.extend(
        audit_build(
            actor=actor,
            action=AuditAction.CREATE,
            target=m,
            target_repr=names.get(r["row"]) or attached_names.get(r["person_id"], ""),
            changes=diff_fields({}, _member_snapshot(m)),
            note=f"花名册导入（批次{batch.pk}第{r['row']}行）",
        )
        for m, r in zip(members, rows, strict=True)
    )
    return ImportOutcome(
        committed=True, imported=len(rows), persons_created=len(persons), members_created=len(members)
    )


@transaction.atomic
def import_batch_commit(*, actor: Any, batch: ImportBatch, only_valid: bool = False) -> ImportOutcome:
    """Write a draft batch once, all or nothing.

    Refused (ValidationError, nothing written) when the batch is not a draft, or has bad rows and
    `only_valid` is False. ID numbers are checked again inside the transaction: conflicts that arose
    since the preview are added to the batch's errors; without `only_valid` nothing else is written
    and the outcome says `committed=False`; with it, those rows are left out like the other bad rows.
    """
    batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("node").get(pk=batch.pk)
    require_perm_at(actor, "people.import", batch.node.path)
    if batch.status == ImportStatus.COMMITTED:
        raise ValidationError("该批次已经导入，不能重复导入。", code="committed")
    if batch.status == ImportStatus.DISCARDED:
        raise ValidationError("该批次已作废，不能导入。", code="discarded")
    if batch.error_row_count and not only_valid:
        raise ValidationError(
            f"本批次有{batch.error_row_count}行有误，按规定整批不导入。请修改后重新上传，或确认「只导入无误的行」。",
            code="has_errors",
        )
    fields = batch.payload["fields"]
    rows = [dict(zip(fields, values, strict=True)) for values in batch.payload["rows"]]
    conflicts = _recheck(batch, rows)
    if conflicts:
        _record_conflicts(batch, conflicts)
        if not only_valid:
            batch.save(update_fields=["errors", "error_count", "error_row_count", "summary"])
            return ImportOutcome(committed=False, new_errors=[e.as_dict() for e in conflicts])
        bad = {e.row for e in conflicts}
        rows = [r for r in rows if r["row"] not in bad]
    if not rows:
        raise ValidationError("没有无误的行可以导入。", code="nothing")
    audit: list = []
    try:
        with transaction.atomic():
            write = _write_residents if batch.kind == ImportKind.RESIDENT else _write_members
            outcome = write(batch, rows, actor, audit)
    except IntegrityError:
        raise ValidationError(
            "导入时发现有人同时登记了相同的身份证号，本批次未导入任何数据，请稍后重试。", code="race"
        ) from None
    outcome.new_errors = [e.as_dict() for e in conflicts]
    batch.status = ImportStatus.COMMITTED
    batch.only_valid = only_valid
    batch.imported_count = outcome.imported
    batch.payload = {}
    batch.finished_at = timezone.now()
    batch.finished_by_name = actor.get_username()
    batch.summary = {
        **batch.summary,
        "persons_created": outcome.persons_created,
        "members_created": outcome.members_created,
        "households_created": outcome.households_created,
        "buildings_created": outcome.buildings_created,
    }
    batch.save()
    audit.append(
        audit_build(
            actor=actor,
            action=AuditAction.IMPORT,
            target=batch,
            changes={"status": [ImportStatus.DRAFT.value, ImportStatus.COMMITTED.value]},
            note=(
                f"导入{batch.get_kind_display()}{outcome.imported}行"
                + (
                    f"（只导入无误的行，跳过{batch.error_row_count}行）"
                    if only_valid and batch.error_row_count
                    else ""
                )
            ),
        )
    )
    audit_bulk(audit)
    return outcome


@transaction.atomic
def import_batch_discard(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Drop a draft batch: its encrypted rows are erased; the batch stays in the history as 已作废."""
    batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("node").get(pk=batch.pk)
    require_perm_at(actor, "people.import", batch.node.path)
    if batch.status != ImportStatus.DRAFT:
        raise ValidationError(f"该批次{batch.get_status_display()}，不能作废。", code="not_draft")
    batch.status = ImportStatus.DISCARDED
    batch.payload = {}
    batch.finished_at = timezone.now()
    batch.finished_by_name = actor.get_username()
    batch.save(update_fields=["status", "payload", "finished_at", "finished_by_name"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=batch,
        changes={"status": [ImportStatus.DRAFT.value, ImportStatus.DISCARDED.value]},
        note="作废导入批次",
    )
    return batch


# Templates (a read: lists of the actor's grids and Party organisations, two queries).


def roster_template(*, kind: str, node: OrgNode) -> bytes:
    """The .xlsx template for `kind`, with drop-down lists of the grids (and Party organisations) under `node`."""
    spec = SHEETS[kind]
    chains, kinds = node_chains(node)
    grids = grid_index(node, chains, kinds).options()
    options: dict[str, list[str]] = {"grid": grids}
    examples: dict[str, Any] = {"grid": grids[0] if grids else ""}
    if kind == ImportKind.MEMBER:
        index, branch_kinds = branch_index(node, chains)
        branches = [index.display(pk) for pk, k in branch_kinds.items() if k in MEMBER_BRANCH_KINDS]
        options["branch"] = branches
        examples["branch"] = branches[0] if branches else ""
    spec = replace(
        spec,
        columns=tuple(replace(c, example=examples[c.key]) if c.key in examples else c for c in spec.columns),
    )
    return xl.build_template(spec, instructions=INSTRUCTIONS[kind], options=options)
