"""Writes on the person and member registry; every change is audited with personal data masked."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from linli.core import pii
from linli.core.audit import audit_record, diff_fields
from linli.core.choices import AuditAction
from linli.core.pinyin import name_pinyin
from linli.core.shortcuts import require_perm_at
from linli.core.validators import normalize_phone, parse_id_number
from linli.orgs.models import Household, OrgNode, PartyOrg

from .models import Member, Person

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
