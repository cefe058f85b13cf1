"""Writes on the person and member registry; every change is audited with personal data masked."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from linli.core import pii
from linli.core.audit import audit_record, diff_fields
from linli.core.choices import AuditAction
from linli.core.pinyin import name_pinyin
from linli.core.shortcuts import require_perm_at
from linli.core.validators import normalize_phone, parse_id_number
from linli.orgs.choices import NodeKind
from linli.orgs.models import Household, OrgNode, PartyOrg

from .choices import ContactMethod, FloatingDirection, PersonStatus, Position, PostKind, RecordState
from .models import (
    CadrePosition,
    FloatingContact,
    FloatingRecord,
    InServiceRegistration,
    Member,
    MemberPost,
    Person,
    ResponsibilityZone,
)

PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "address",
    "is_resident",
    "status",
    "note",
    "relation_to_head",
)
MEMBER_FIELDS = (
    "status",
    "join_date",
    "formal_date",
    "category",
    "work_unit_name",
    "job_title",
    "record_state",
    "left_on",
    "note",
)


def _person_snapshot(person: Person) -> dict[str, Any]:
    data = {f: _plain(getattr(person, f)) for f in PERSON_FIELDS}
    data["id_number"] = person.id_number_masked
    data["phone"] = person.phone_masked
    data["node"] = person.node_id
    data["household"] = person.household_id
    return data


def _member_snapshot(member: Member) -> dict[str, Any]:
    data = {f: _plain(getattr(member, f)) for f in MEMBER_FIELDS}
    data["branch"] = member.branch_id
    data["work_unit"] = member.work_unit_id
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def id_number_hash(number: str) -> str:
    return pii.lookup_hash(number, "id_number")


def phone_hash(phone: str) -> str:
    return pii.lookup_hash(phone, "phone")


def person_apply_id_number(person: Person, raw: str) -> None:
    """Validate, encrypt, hash and mask an ID number onto an unsaved person; fills birth date and gender."""
    if not raw:
        person.id_number_encrypted = ""
        person.id_number_hash = None
        person.id_number_masked = ""
        return
    parsed = parse_id_number(raw)
    digest = id_number_hash(parsed.number)
    clash = (
        Person.objects.filter(id_number_hash=digest)
        .exclude(pk=person.pk)
        .values_list("name", flat=True)
        .first()
    )
    if clash is not None:
        raise ValidationError({"id_number": f"该身份证号已登记（{pii.mask_name(clash)}），不能重复登记。"})
    person.id_number_encrypted = pii.encrypt(parsed.number)
    person.id_number_hash = digest
    person.id_number_masked = pii.mask_id_number(parsed.number)
    person.birth_date = parsed.birth_date
    person.gender = parsed.gender


def person_apply_phone(person: Person, raw: str) -> None:
    if not raw:
        person.phone_encrypted = person.phone_hash = person.phone_masked = ""
        return
    phone = normalize_phone(raw)
    person.phone_encrypted = pii.encrypt(phone)
    person.phone_hash = phone_hash(phone)
    person.phone_masked = pii.mask_phone(phone)


def person_apply_name(person: Person, name: str) -> None:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写姓名。"})
    person.name = name
    person.name_pinyin, person.name_initials = name_pinyin(name)


def _check_household(node: OrgNode, household: Household | None) -> None:
    if household is not None and household.grid_id != node.pk:
        raise ValidationError({"household": "所选户不在该网格内。"})


@transaction.atomic
def person_create(
    *,
    actor: Any,
    node: OrgNode,
    name: str,
    id_number: str = "",
    phone: str = "",
    household: Household | None = None,
    **fields: Any,
) -> Person:
    require_perm_at(actor, "people.change", node.path)
    _check_household(node, household)
    person = Person(node=node, household=household)
    for key, value in fields.items():
        if key not in PERSON_FIELDS:
            raise TypeError(f"unknown person field {key}")
        setattr(person, key, value)
    person_apply_name(person, name)
    person_apply_id_number(person, id_number)
    person_apply_phone(person, phone)
    person.full_clean(exclude=["id_number_hash"])
    person.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=person,
        changes=diff_fields({}, _person_snapshot(person)),
    )
    return person


_UNSET = object()


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    node: OrgNode | None = None,
    name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    household: Any = _UNSET,
    **fields: Any,
) -> Person:
    """Change a person; `id_number`/`phone` of None keep the stored value, "" clears it."""
    person = Person.objects.select_for_update().select_related("node").get(pk=person.pk)
    require_perm_at(actor, "people.change", person.node.path)
    before = _person_snapshot(person)
    if node is not None and node.pk != person.node_id:
        require_perm_at(actor, "people.change", node.path)
        person.node = node
    if household is not _UNSET:
        person.household = household
    _check_household(person.node, person.household)
    for key, value in fields.items():
        if key not in PERSON_FIELDS:
            raise TypeError(f"unknown person field {key}")
        setattr(person, key, value)
    if name is not None:
        person_apply_name(person, name)
    if id_number is not None:
        person_apply_id_number(person, id_number)
    if phone is not None:
        person_apply_phone(person, phone)
    person.full_clean(exclude=["id_number_hash"])
    person.save()
    changes = diff_fields(before, _person_snapshot(person))
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=person, changes=changes)
    return person


@transaction.atomic
def person_reveal(*, actor: Any, person: Person) -> dict[str, str]:
    """Decrypt the full ID number and phone for a role allowed to see them; the view is audited."""
    require_perm_at(actor, "people.view_pii", person.get_scope_path())
    audit_record(actor=actor, action=AuditAction.VIEW_PII, target=person, note="查看完整身份证号和电话")
    return {
        "id_number": pii.decrypt(person.id_number_encrypted),
        "phone": pii.decrypt(person.phone_encrypted),
    }


def _check_branch(actor: Any, branch: PartyOrg) -> None:
    require_perm_at(actor, "people.change_member", branch.node.path)


@transaction.atomic
def member_create(*, actor: Any, person: Person, branch: PartyOrg, **fields: Any) -> Member:
    _check_branch(actor, branch)
    if Member.objects.filter(person=person).exists():
        raise ValidationError("此人已登记为党员。")
    work_unit = fields.pop("work_unit", None)
    member = Member(person=person, branch=branch, work_unit=work_unit)
    for key, value in fields.items():
        if key not in MEMBER_FIELDS:
            raise TypeError(f"unknown member field {key}")
        setattr(member, key, value)
    _validate_member(member)
    member.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=member,
        changes=diff_fields({}, _member_snapshot(member)),
    )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, branch: PartyOrg | None = None, **fields: Any) -> Member:
    member = Member.objects.select_for_update().select_related("branch__node").get(pk=member.pk)
    _check_branch(actor, member.branch)
    before = _member_snapshot(member)
    if branch is not None and branch.pk != member.branch_id:
        _check_branch(actor, branch)
        member.branch = branch
    if "work_unit" in fields:
        member.work_unit = fields.pop("work_unit")
    for key, value in fields.items():
        if key not in MEMBER_FIELDS:
            raise TypeError(f"unknown member field {key}")
        setattr(member, key, value)
    _validate_member(member)
    member.save()
    changes = diff_fields(before, _member_snapshot(member))
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=member, changes=changes)
    return member


def _validate_member(member: Member) -> None:
    errors: dict[str, str] = {}
    today = datetime.date.today()
    if member.join_date and member.join_date > today:
        errors["join_date"] = "入党日期不能晚于今天。"
    if member.formal_date and member.join_date and member.formal_date < member.join_date:
        errors["formal_date"] = "转正日期不能早于入党日期。"
    if member.person.birth_date and member.join_date:
        age = member.join_date.year - member.person.birth_date.year
        if age < 18:
            errors["join_date"] = "入党时须年满18周岁，请核对入党日期或身份证号。"
    if errors:
        raise ValidationError(errors)
    member.full_clean(exclude=["person", "branch"])


# ---------------------------------------------------------------------------------------------------
# Moving out, death, deletion of a record made in error


@transaction.atomic
def person_set_status(*, actor: Any, person: Person, status: str, note: str = "") -> Person:
    """Mark a person moved out (迁出), deceased (去世) or back in register; the reason goes to the audit log."""
    person = Person.objects.select_for_update(of=("self",)).select_related("node").get(pk=person.pk)
    require_perm_at(actor, "people.change", person.node.path)
    if status not in PersonStatus.values:
        raise ValidationError({"status": "请选择人员状态。"})
    if status != PersonStatus.ACTIVE and not (note or "").strip():
        raise ValidationError({"note": "请填写迁出或去世的说明。"})
    before = person.status
    if before == status:
        return person
    person.status = status
    person.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=person, changes={"status": [before, status]}, note=note
    )
    return person


@transaction.atomic
def person_delete(*, actor: Any, person: Person, reason: str) -> None:
    """Delete a person registered in error. People with a member record, a cadre position or a login cannot
    be deleted (mark them moved out instead); the masked record stays in the audit log."""
    person = Person.objects.select_for_update(of=("self",)).select_related("node").get(pk=person.pk)
    require_perm_at(actor, "people.change", person.node.path)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写删除原因。"})
    blockers = []
    if Member.objects.filter(person=person).exists():
        blockers.append("党员档案")
    if CadrePosition.objects.filter(person=person).exists():
        blockers.append("干部任职")
    if Person.objects.filter(pk=person.pk, user__isnull=False).exists():
        blockers.append("登录账号")
    if blockers:
        raise ValidationError(f"该人员有{'、'.join(blockers)}，不能删除；如已迁出请登记为迁出。")
    snapshot = _person_snapshot(person)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        target=person,
        changes={k: [v, None] for k, v in snapshot.items() if v not in (None, "")},
        note=reason,
    )
    person.delete()


# ---------------------------------------------------------------------------------------------------
# 在职党员进社区 (PPL-3)

REGISTRATION_FIELDS = ("skills", "hobbies", "service_wishes", "availability")


def _check_not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day is not None and day > datetime.date.today():
        raise ValidationError({field: f"{label}不能晚于今天。"})


@transaction.atomic
def inservice_register(
    *,
    actor: Any,
    member: Member,
    community: OrgNode,
    registered_on: datetime.date,
    **fields: Any,
) -> InServiceRegistration:
    """An in-service member reports to the community where they live, with skills, hobbies and wishes."""
    require_perm_at(actor, "people.change", community.path)
    if community.kind != NodeKind.COMMUNITY:
        raise ValidationError({"community": "报到单位须为社区。"})
    if member.record_state != RecordState.ACTIVE:
        raise ValidationError("该党员不在册，不能报到。")
    _check_not_future(registered_on, "registered_on", "报到日期")
    if InServiceRegistration.objects.filter(member=member, community=community, is_active=True).exists():
        raise ValidationError({"community": f"该党员已在{community.name}报到。"})
    registration = InServiceRegistration(member=member, community=community, registered_on=registered_on)
    for key, value in fields.items():
        if key not in REGISTRATION_FIELDS:
            raise TypeError(f"unknown registration field {key}")
        setattr(registration, key, (value or "").strip())
    registration.full_clean()
    registration.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=registration,
        changes={"community": [None, community.name], "registered_on": [None, registered_on.isoformat()]},
    )
    return registration


@transaction.atomic
def inservice_update(
    *, actor: Any, registration: InServiceRegistration, **fields: Any
) -> InServiceRegistration:
    registration = (
        InServiceRegistration.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=registration.pk)
    )
    require_perm_at(actor, "people.change", registration.community.path)
    before = {k: getattr(registration, k) for k in REGISTRATION_FIELDS}
    for key, value in fields.items():
        if key not in REGISTRATION_FIELDS:
            raise TypeError(f"unknown registration field {key}")
        setattr(registration, key, (value or "").strip())
    registration.full_clean()
    registration.save()
    changes = diff_fields(before, {k: getattr(registration, k) for k in REGISTRATION_FIELDS})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=registration, changes=changes)
    return registration


@transaction.atomic
def inservice_evaluate(
    *, actor: Any, registration: InServiceRegistration, evaluation: str, evaluated_on: datetime.date
) -> InServiceRegistration:
    """The community's evaluation of an in-service member, fed back to the employer (printable letter)."""
    registration = (
        InServiceRegistration.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=registration.pk)
    )
    require_perm_at(actor, "people.change", registration.community.path)
    evaluation = (evaluation or "").strip()
    if not evaluation:
        raise ValidationError({"evaluation": "请填写社区评价意见。"})
    if evaluated_on is None:
        raise ValidationError({"evaluated_on": "请填写评价日期。"})
    _check_not_future(evaluated_on, "evaluated_on", "评价日期")
    if evaluated_on < registration.registered_on:
        raise ValidationError({"evaluated_on": "评价日期不能早于报到日期。"})
    before = {"evaluation": registration.evaluation, "evaluated_on": _plain(registration.evaluated_on)}
    registration.evaluation, registration.evaluated_on = evaluation, evaluated_on
    registration.save(update_fields=["evaluation", "evaluated_on"])
    changes = diff_fields(before, {"evaluation": evaluation, "evaluated_on": evaluated_on.isoformat()})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=registration, changes=changes)
    return registration


@transaction.atomic
def inservice_end(
    *, actor: Any, registration: InServiceRegistration, note: str = ""
) -> InServiceRegistration:
    registration = (
        InServiceRegistration.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=registration.pk)
    )
    require_perm_at(actor, "people.change", registration.community.path)
    if not registration.is_active:
        raise ValidationError("该报到记录已结束。")
    registration.is_active = False
    registration.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=registration,
        changes={"is_active": [True, False]},
        note=note,
    )
    return registration


# ---------------------------------------------------------------------------------------------------
# 流动党员 (PPL-4)

FLOATING_FIELDS = ("direction", "place", "place_party_org", "reason", "since", "until")


def _floating_path(member: Member) -> str:
    return member.branch.node.path


def _validate_floating(record: FloatingRecord) -> None:
    errors: dict[str, str] = {}
    if record.direction not in FloatingDirection.values:
        errors["direction"] = "请选择流出或流入。"
    if not (record.place or "").strip():
        errors["place"] = "请填写流出/流入地。"
    if record.since is None:
        errors["since"] = "请填写起始日期。"
    elif record.since > datetime.date.today():
        errors["since"] = "起始日期不能晚于今天。"
    if record.until and record.since and record.until < record.since:
        errors["until"] = "结束日期不能早于起始日期。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def floating_record_create(
    *, actor: Any, member: Member, contact_phone: str = "", **fields: Any
) -> FloatingRecord:
    """Register a member as flowing out (or in): where, the Party organisation there, how to reach them."""
    member = Member.objects.select_related("branch__node").get(pk=member.pk)
    require_perm_at(actor, "people.change", _floating_path(member))
    if FloatingRecord.objects.filter(member=member, is_active=True).exists():
        raise ValidationError("该党员已有未结束的流动记录，请先结束原记录。")
    record = FloatingRecord(member=member)
    for key, value in fields.items():
        if key not in FLOATING_FIELDS:
            raise TypeError(f"unknown floating field {key}")
        setattr(record, key, value.strip() if isinstance(value, str) else value)
    record.is_active = record.until is None
    _validate_floating(record)
    _apply_contact_phone(record, contact_phone)
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=record,
        changes={"direction": [None, record.direction], "place": [None, record.place]},
    )
    return record


def _apply_contact_phone(record: FloatingRecord, raw: str) -> None:
    if not raw:
        record.contact_phone_encrypted = record.contact_phone_masked = ""
        return
    try:
        phone = normalize_phone(raw)
    except ValidationError as error:
        raise ValidationError({"contact_phone": error.messages}) from None
    record.contact_phone_encrypted = pii.encrypt(phone)
    record.contact_phone_masked = pii.mask_phone(phone)


@transaction.atomic
def floating_record_update(
    *, actor: Any, record: FloatingRecord, contact_phone: str | None = None, **fields: Any
) -> FloatingRecord:
    """Change a floating record; `contact_phone` None keeps the stored number, "" clears it."""
    record = (
        FloatingRecord.objects.select_for_update(of=("self",))
        .select_related("member__branch__node")
        .get(pk=record.pk)
    )
    require_perm_at(actor, "people.change", _floating_path(record.member))
    before = {k: _plain(getattr(record, k)) for k in FLOATING_FIELDS}
    before["contact_phone"] = record.contact_phone_masked
    for key, value in fields.items():
        if key not in FLOATING_FIELDS:
            raise TypeError(f"unknown floating field {key}")
        setattr(record, key, value.strip() if isinstance(value, str) else value)
    record.is_active = record.until is None
    _validate_floating(record)
    if contact_phone is not None:
        _apply_contact_phone(record, contact_phone)
    record.full_clean()
    record.save()
    after = {k: _plain(getattr(record, k)) for k in FLOATING_FIELDS}
    after["contact_phone"] = record.contact_phone_masked
    changes = diff_fields(before, after)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=record, changes=changes)
    return record


@transaction.atomic
def floating_contact_add(
    *,
    actor: Any,
    record: FloatingRecord,
    contacted_on: datetime.date,
    method: str,
    content: str,
    is_thought_report: bool = False,
) -> FloatingContact:
    """Log a contact with a floating member (call, letter, online, visit), or a thought report received;
    the record's last contact date moves forward."""
    record = (
        FloatingRecord.objects.select_for_update(of=("self",))
        .select_related("member__branch__node")
        .get(pk=record.pk)
    )
    require_perm_at(actor, "people.change", _floating_path(record.member))
    errors: dict[str, str] = {}
    if contacted_on is None:
        errors["contacted_on"] = "请填写联系日期。"
    elif contacted_on > datetime.date.today():
        errors["contacted_on"] = "联系日期不能晚于今天。"
    elif contacted_on < record.since:
        errors["contacted_on"] = "联系日期不能早于流动起始日期。"
    if method not in ContactMethod.values:
        errors["method"] = "请选择联系方式。"
    if not (content or "").strip():
        errors["content"] = "请填写联系内容。"
    if errors:
        raise ValidationError(errors)
    contact = FloatingContact.objects.create(
        record=record,
        contacted_on=contacted_on,
        method=method,
        content=content.strip(),
        is_thought_report=is_thought_report,
        recorded_by_name=_actor_name(actor),
    )
    if record.last_contact_on is None or contacted_on > record.last_contact_on:
        record.last_contact_on = contacted_on
        record.save(update_fields=["last_contact_on"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=contact,
        target_repr=f"{record.member} {contacted_on}",
        changes={"method": [None, method], "is_thought_report": [None, is_thought_report]},
    )
    return contact


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "系统"
    return getattr(actor, "display_name", "") or actor.get_username()


# ---------------------------------------------------------------------------------------------------
# 党员责任区, 设岗定责, 党员示范岗 (PPL-5)


def _check_zone_places(node: OrgNode, buildings: list, households: list) -> None:
    for building in buildings:
        if not building.grid.path.startswith(node.path):
            raise ValidationError({"buildings": f"楼栋「{building.name}」不在责任区所在范围内。"})
    for household in households:
        if not household.grid.path.startswith(node.path):
            raise ValidationError({"key_households": f"户「{household.label}」不在责任区所在范围内。"})


@transaction.atomic
def zone_create(
    *,
    actor: Any,
    node: OrgNode,
    member: Member,
    name: str,
    duties: str = "",
    buildings=(),
    key_households=(),
) -> ResponsibilityZone:
    """A member's responsibility zone: buildings to look after and key households to keep in contact with."""
    require_perm_at(actor, "people.change", node.path)
    if not (name or "").strip():
        raise ValidationError({"name": "请填写责任区名称。"})
    if member.record_state != RecordState.ACTIVE:
        raise ValidationError({"member": "该党员不在册。"})
    buildings, key_households = list(buildings), list(key_households)
    _check_zone_places(node, buildings, key_households)
    zone = ResponsibilityZone.objects.create(
        node=node, member=member, name=name.strip(), duties=duties.strip()
    )
    zone.buildings.set(buildings)
    zone.key_households.set(key_households)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=zone,
        changes={
            "member": [None, str(member)],
            "buildings": [None, [b.name for b in buildings]],
            "key_households": [None, [h.label for h in key_households]],
        },
    )
    return zone


@transaction.atomic
def zone_update(
    *,
    actor: Any,
    zone: ResponsibilityZone,
    member: Member,
    name: str,
    duties: str = "",
    buildings=(),
    key_households=(),
    is_active: bool = True,
) -> ResponsibilityZone:
    zone = ResponsibilityZone.objects.select_for_update(of=("self",)).select_related("node").get(pk=zone.pk)
    require_perm_at(actor, "people.change", zone.node.path)
    if not (name or "").strip():
        raise ValidationError({"name": "请填写责任区名称。"})
    buildings, key_households = list(buildings), list(key_households)
    _check_zone_places(zone.node, buildings, key_households)
    before = {
        "member": str(zone.member),
        "name": zone.name,
        "duties": zone.duties,
        "is_active": zone.is_active,
        "buildings": sorted(b.name for b in zone.buildings.all()),
        "key_households": sorted(h.label for h in zone.key_households.select_related("building")),
    }
    zone.member, zone.name, zone.duties, zone.is_active = member, name.strip(), duties.strip(), is_active
    zone.save()
    zone.buildings.set(buildings)
    zone.key_households.set(key_households)
    after = {
        "member": str(member),
        "name": zone.name,
        "duties": zone.duties,
        "is_active": zone.is_active,
        "buildings": sorted(b.name for b in buildings),
        "key_households": sorted(h.label for h in key_households),
    }
    changes = diff_fields(before, after)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=zone, changes=changes)
    return zone


def _validate_post(post: MemberPost) -> None:
    errors: dict[str, str] = {}
    if post.kind not in PostKind.values:
        errors["kind"] = "请选择岗位类型。"
    if not (post.title or "").strip():
        errors["title"] = "请填写岗位名称。"
    if post.start_date is None:
        errors["start_date"] = "请填写起始日期。"
    elif post.end_date and post.end_date < post.start_date:
        errors["end_date"] = "结束日期不能早于起始日期。"
    if errors:
        raise ValidationError(errors)
    if post.kind == PostKind.DUTY:
        # 无职党员设岗定责: posts with duties are for members who hold no office.
        office = (
            CadrePosition.objects.current()
            .filter(person_id=post.member.person_id)
            .exclude(position=Position.RESERVE)
            .select_related("node")
            .first()
        )
        if office is not None:
            raise ValidationError(
                {
                    "kind": f"该党员现任{office.node.name}{office.get_position_display()}，设岗定责面向无职党员。"
                }
            )


POST_FIELDS = ("kind", "title", "duties", "start_date", "end_date")


@transaction.atomic
def member_post_create(*, actor: Any, node: OrgNode, member: Member, **fields: Any) -> MemberPost:
    """A post with duties for a member without office (设岗定责), or a 党员示范岗."""
    require_perm_at(actor, "people.change", node.path)
    if member.record_state != RecordState.ACTIVE:
        raise ValidationError({"member": "该党员不在册。"})
    post = MemberPost(node=node, member=member)
    for key, value in fields.items():
        if key not in POST_FIELDS:
            raise TypeError(f"unknown post field {key}")
        setattr(post, key, value.strip() if isinstance(value, str) else value)
    _validate_post(post)
    post.full_clean()
    post.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=post,
        changes={"title": [None, post.title], "kind": [None, post.kind]},
    )
    return post


@transaction.atomic
def member_post_update(*, actor: Any, post: MemberPost, **fields: Any) -> MemberPost:
    post = MemberPost.objects.select_for_update(of=("self",)).select_related("node", "member").get(pk=post.pk)
    require_perm_at(actor, "people.change", post.node.path)
    before = {k: _plain(getattr(post, k)) for k in POST_FIELDS}
    for key, value in fields.items():
        if key not in POST_FIELDS:
            raise TypeError(f"unknown post field {key}")
        setattr(post, key, value.strip() if isinstance(value, str) else value)
    _validate_post(post)
    post.full_clean()
    post.save()
    changes = diff_fields(before, {k: _plain(getattr(post, k)) for k in POST_FIELDS})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=post, changes=changes)
    return post


# ---------------------------------------------------------------------------------------------------
# 干部任职 (PPL-6)

CADRE_FIELDS = (
    "position",
    "start_date",
    "end_date",
    "term_label",
    "monthly_subsidy",
    "qualification_allowance",
    "note",
)
# Positions held at one kind of node only; the others may sit at any level.
POSITION_NODE_KINDS = {
    Position.GRID_WORKER: {NodeKind.GRID},
    Position.DIRECTOR: {NodeKind.COMMUNITY},
    Position.DEPUTY_DIRECTOR: {NodeKind.COMMUNITY},
    Position.RESIDENTS_COMMITTEE_MEMBER: {NodeKind.COMMUNITY},
    Position.RESERVE: {NodeKind.COMMUNITY},
}
# At most one current holder at a node.
SINGLE_HOLDER_POSITIONS = {Position.SECRETARY, Position.DIRECTOR, Position.FIRST_SECRETARY}


def _overlaps(qs, start: datetime.date, end: datetime.date | None):
    """Positions whose term overlaps [start, end]."""
    qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    return qs


MONEY_FIELDS = ("monthly_subsidy", "qualification_allowance")


def _set_cadre_fields(position: CadrePosition, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        if key not in CADRE_FIELDS:
            raise TypeError(f"unknown cadre field {key}")
        if key in MONEY_FIELDS and value not in (None, ""):
            try:
                value = Decimal(str(value))
            except ArithmeticError:
                raise ValidationError({key: "请填写金额数字。"}) from None
        elif key in MONEY_FIELDS:
            value = None
        setattr(position, key, value.strip() if isinstance(value, str) else value)


def _validate_cadre(position: CadrePosition) -> None:
    errors: dict[str, str] = {}
    if position.position not in Position.values:
        errors["position"] = "请选择职务。"
    elif position.node.kind not in POSITION_NODE_KINDS.get(position.position, {position.node.kind}):
        allowed = "、".join(NodeKind(k).label for k in POSITION_NODE_KINDS[position.position])
        errors["position"] = f"「{Position(position.position).label}」只能在{allowed}任职。"
    if position.start_date is None:
        errors["start_date"] = "请填写任职日期。"
    elif position.end_date and position.end_date < position.start_date:
        errors["end_date"] = "离任日期不能早于任职日期。"
    for name in MONEY_FIELDS:
        value = getattr(position, name)
        if value is not None and value < 0:
            errors[name] = "金额不能为负数。"
    if errors:
        raise ValidationError(errors)
    others = CadrePosition.objects.filter(node=position.node, position=position.position).exclude(
        pk=position.pk
    )
    if _overlaps(others.filter(person=position.person), position.start_date, position.end_date).exists():
        raise ValidationError({"start_date": "该人员在此期间已担任此职务。"})
    if position.position in SINGLE_HOLDER_POSITIONS:
        holder = _overlaps(others, position.start_date, position.end_date).select_related("person").first()
        if holder is not None:
            raise ValidationError(
                {
                    "position": f"{position.node.name}在此期间已有{Position(position.position).label}"
                    f"（{holder.person.name}），请先登记其离任。"
                }
            )


@transaction.atomic
def cadre_position_create(*, actor: Any, person: Person, node: OrgNode, **fields: Any) -> CadrePosition:
    """Appoint a person to a position at a node for a term (书记, 居委会主任, 网格员, 后备干部 …)."""
    require_perm_at(actor, "people.cadres", node.path)
    position = CadrePosition(person=person, node=node)
    _set_cadre_fields(position, fields)
    _validate_cadre(position)
    position.full_clean()
    position.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=position,
        changes={
            k: [None, _plain(getattr(position, k))]
            for k in CADRE_FIELDS
            if getattr(position, k) not in (None, "")
        },
    )
    return position


@transaction.atomic
def cadre_position_update(*, actor: Any, position: CadrePosition, **fields: Any) -> CadrePosition:
    """Change a term: its dates, label, subsidies, note (ending a term is setting its end date)."""
    position = (
        CadrePosition.objects.select_for_update(of=("self",))
        .select_related("node", "person")
        .get(pk=position.pk)
    )
    require_perm_at(actor, "people.cadres", position.node.path)
    before = {k: _plain(getattr(position, k)) for k in CADRE_FIELDS}
    _set_cadre_fields(position, fields)
    _validate_cadre(position)
    position.full_clean()
    position.save()
    changes = diff_fields(before, {k: _plain(getattr(position, k)) for k in CADRE_FIELDS})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=position, changes=changes)
    return position
