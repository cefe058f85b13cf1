"""Registry writes added for the screens: status and deletion, in-service, floating, zones, posts, cadres."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core import pii
from linli.core.choices import AuditAction
from linli.core.models import AuditEntry
from linli.people import services
from linli.people.models import CadrePosition, FloatingRecord, InServiceRegistration, MemberPost, Person
from linli.people.tests import registry_data

TODAY = datetime.date.today()


def messages(error: ValidationError) -> dict:
    return {field: list(errors) for field, errors in error.message_dict.items()}


# ---------------------------------------------------------------------------------------------------
# Status and deletion


def test_moving_out_needs_a_reason_and_is_audited(world):
    with pytest.raises(ValidationError) as caught:
        services.person_set_status(actor=world.grid_worker_a1, person=world.person_a1, status="moved_out")
    assert messages(caught.value) == {"note": ["请填写迁出或去世的说明。"]}
    services.person_set_status(
        actor=world.grid_worker_a1, person=world.person_a1, status="moved_out", note="迁往官渡区"
    )
    world.person_a1.refresh_from_db()
    assert world.person_a1.status == "moved_out"
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, target_type="people.person", target_id=str(world.person_a1.pk)
    ).get()
    assert (entry.changes, entry.note) == ({"status": ["active", "moved_out"]}, "迁往官渡区")


def test_a_person_with_a_member_record_cannot_be_deleted(world):
    with pytest.raises(ValidationError) as caught:
        services.person_delete(actor=world.district_admin, person=world.member_a.person, reason="误登记")
    assert caught.value.messages == ["该人员有党员档案、登录账号，不能删除；如已迁出请登记为迁出。"]
    assert Person.objects.filter(pk=world.member_a.person_id).exists()


def test_a_person_with_a_login_cannot_be_deleted(world):
    with pytest.raises(ValidationError) as caught:
        services.person_delete(actor=world.district_admin, person=world.person_a1, reason="误登记")
    assert caught.value.messages == ["该人员有登录账号，不能删除；如已迁出请登记为迁出。"]


def test_deleting_a_person_registered_in_error_keeps_a_masked_trace(world):
    person = registry_data.add_person(world, id_number="530102199203040014", phone="13512345678")
    services.person_delete(actor=world.community_admin_a, person=person, reason="重复登记")
    assert not Person.objects.filter(pk=person.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, target_type="people.person")
    assert entry.note == "重复登记"
    assert entry.changes["id_number"] == ["530102********0014", None]
    assert entry.changes["phone"] == ["135****5678", None]
    assert "530102199203040014" not in str(entry.changes)


def test_a_grid_worker_cannot_delete_outside_the_grid(world):
    person = registry_data.add_person(world, node=world.grid_a2)
    with pytest.raises(PermissionDenied):
        services.person_delete(actor=world.grid_worker_a1, person=person, reason="误登记")


# ---------------------------------------------------------------------------------------------------
# In-service members (PPL-3)


def test_an_in_service_member_registers_once_per_community(world):
    registration = registry_data.add_inservice(world)
    assert (registration.skills, registration.is_active) == ("水电维修", True)
    with pytest.raises(ValidationError) as caught:
        registry_data.add_inservice(world)
    assert messages(caught.value) == {"community": ["该党员已在复兴社区报到。"]}


def test_registration_is_at_a_community_and_not_in_the_future(world):
    with pytest.raises(ValidationError) as caught:
        services.inservice_register(
            actor=world.district_admin,
            member=world.member_b,
            community=world.grid_a1,
            registered_on=TODAY,
        )
    assert messages(caught.value) == {"community": ["报到单位须为社区。"]}
    with pytest.raises(ValidationError) as caught:
        services.inservice_register(
            actor=world.district_admin,
            member=world.member_b,
            community=world.community_a,
            registered_on=TODAY + datetime.timedelta(days=1),
        )
    assert messages(caught.value) == {"registered_on": ["报到日期不能晚于今天。"]}


def test_the_community_evaluation_is_dated_and_audited(world):
    registration = registry_data.add_inservice(world)
    with pytest.raises(ValidationError) as caught:
        services.inservice_evaluate(
            actor=world.community_admin_a, registration=registration, evaluation=" ", evaluated_on=TODAY
        )
    assert messages(caught.value) == {"evaluation": ["请填写社区评价意见。"]}
    services.inservice_evaluate(
        actor=world.community_admin_a,
        registration=registration,
        evaluation="服务积极，群众满意。",
        evaluated_on=datetime.date(2025, 12, 1),
    )
    registration.refresh_from_db()
    assert (registration.evaluation, registration.evaluated_on) == (
        "服务积极，群众满意。",
        datetime.date(2025, 12, 1),
    )


def test_the_members_own_community_cannot_edit_a_registration_elsewhere(world):
    registration = registry_data.add_inservice(world)
    with pytest.raises(PermissionDenied):
        services.inservice_update(actor=world.community_admin_b, registration=registration, skills="改")


def test_ending_a_registration_twice_is_refused(world):
    registration = registry_data.add_inservice(world)
    services.inservice_end(actor=world.community_admin_a, registration=registration)
    with pytest.raises(ValidationError):
        services.inservice_end(actor=world.community_admin_a, registration=registration)
    assert InServiceRegistration.objects.get().is_active is False


# ---------------------------------------------------------------------------------------------------
# Floating members (PPL-4)


def test_a_floating_record_keeps_the_contact_phone_encrypted_and_masked(world):
    record = registry_data.add_floating(world)
    assert record.contact_phone_masked == "139****5678"
    assert pii.decrypt(record.contact_phone_encrypted) == "13912345678"
    assert record.last_contact_on == datetime.date(2024, 6, 1)
    assert record.is_active is True


def test_one_open_floating_record_per_member(world):
    registry_data.add_floating(world)
    with pytest.raises(ValidationError) as caught:
        registry_data.add_floating(world)
    assert caught.value.messages == ["该党员已有未结束的流动记录，请先结束原记录。"]
    assert FloatingRecord.objects.count() == 1


def test_a_contact_moves_the_last_contact_date_forward_only(world):
    record = registry_data.add_floating(world)
    services.floating_contact_add(
        actor=world.community_admin_a,
        record=record,
        contacted_on=datetime.date(2024, 4, 1),
        method="letter",
        content="来信",
    )
    record.refresh_from_db()
    assert record.last_contact_on == datetime.date(2024, 6, 1)
    assert record.contacts.count() == 2


def test_a_contact_needs_a_date_after_leaving_and_some_content(world):
    record = registry_data.add_floating(world)
    with pytest.raises(ValidationError) as caught:
        services.floating_contact_add(
            actor=world.community_admin_a,
            record=record,
            contacted_on=datetime.date(2024, 1, 1),
            method="fax",
            content="",
        )
    assert messages(caught.value) == {
        "contacted_on": ["联系日期不能早于流动起始日期。"],
        "method": ["请选择联系方式。"],
        "content": ["请填写联系内容。"],
    }


def test_returning_closes_the_floating_record(world):
    record = registry_data.add_floating(world)
    services.floating_record_update(
        actor=world.community_admin_a,
        record=record,
        direction="outflow",
        place=record.place,
        since=record.since,
        until=datetime.date(2025, 1, 31),
    )
    record.refresh_from_db()
    assert (record.is_active, record.contact_phone_masked) == (False, "139****5678")


def test_a_wrong_contact_phone_is_refused_on_its_field(world):
    with pytest.raises(ValidationError) as caught:
        services.floating_record_create(
            actor=world.district_admin,
            member=world.member_a,
            direction="outflow",
            place="深圳",
            since=datetime.date(2024, 1, 1),
            contact_phone="12345",
        )
    assert list(messages(caught.value)) == ["contact_phone"]


# ---------------------------------------------------------------------------------------------------
# Zones and posts (PPL-5)


def test_a_zone_holds_only_buildings_and_households_inside_its_node(world):
    with pytest.raises(ValidationError) as caught:
        services.zone_create(
            actor=world.district_admin,
            node=world.grid_a2,
            member=world.member_a,
            name="二网格责任区",
            buildings=[world.building_a1],
        )
    assert messages(caught.value) == {"buildings": ["楼栋「1栋」不在责任区所在范围内。"]}
    with pytest.raises(ValidationError) as caught:
        services.zone_create(
            actor=world.district_admin,
            node=world.community_a,
            member=world.member_a,
            name="社区责任区",
            key_households=[world.household_b1],
        )
    assert messages(caught.value) == {"key_households": ["户「金碧路8号」不在责任区所在范围内。"]}


def test_zone_update_is_audited(world):
    zone = registry_data.add_zone(world)
    services.zone_update(
        actor=world.grid_worker_a1,
        zone=zone,
        member=world.member_a,
        name="1栋责任区",
        duties=zone.duties,
        buildings=[],
        key_households=[],
    )
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, target_type="people.responsibilityzone"
    ).get()
    assert entry.changes == {"buildings": [["1栋"], []], "key_households": [["1栋1单元101"], []]}


def test_duty_posts_are_for_members_without_office(world):
    services.cadre_position_create(
        actor=world.district_admin,
        person=world.member_a.person,
        node=world.community_a,
        position="committee_member",
        start_date=datetime.date(2022, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        registry_data.add_post(world)
    assert messages(caught.value) == {"kind": ["该党员现任复兴社区委员，设岗定责面向无职党员。"]}
    model = services.member_post_create(
        actor=world.district_admin,
        node=world.community_a,
        member=world.member_a,
        kind="model",
        title="党员示范岗",
        start_date=datetime.date(2025, 1, 1),
    )
    assert list(MemberPost.objects.all()) == [model]


def test_a_post_ends_after_it_starts(world):
    post = registry_data.add_post(world)
    with pytest.raises(ValidationError) as caught:
        services.member_post_update(
            actor=world.community_admin_a, post=post, end_date=datetime.date(2024, 1, 1)
        )
    assert messages(caught.value) == {"end_date": ["结束日期不能早于起始日期。"]}


# ---------------------------------------------------------------------------------------------------
# Cadres (PPL-6)


def test_a_community_has_one_current_secretary(world):
    registry_data.add_cadres(world)
    with pytest.raises(ValidationError) as caught:
        services.cadre_position_create(
            actor=world.community_admin_a,
            person=world.person_a2,
            node=world.community_a,
            position="secretary",
            start_date=datetime.date(2025, 1, 1),
        )
    assert messages(caught.value) == {"position": ["复兴社区在此期间已有书记（张三），请先登记其离任。"]}


def test_a_new_secretary_follows_once_the_term_of_the_last_one_ended(world):
    cadres = registry_data.add_cadres(world)
    services.cadre_position_update(
        actor=world.community_admin_a, position=cadres["secretary"], end_date=datetime.date(2024, 12, 31)
    )
    successor = services.cadre_position_create(
        actor=world.community_admin_a,
        person=world.person_a2,
        node=world.community_a,
        position="secretary",
        start_date=datetime.date(2025, 1, 1),
        monthly_subsidy="1100.00",
    )
    assert successor.is_current is True
    entry = AuditEntry.objects.filter(
        action=AuditAction.CREATE, target_type="people.cadreposition", target_id=str(successor.pk)
    ).get()
    assert entry.changes["monthly_subsidy"] == [None, "1100.00"]


def test_positions_sit_where_they_belong(world):
    with pytest.raises(ValidationError) as caught:
        services.cadre_position_create(
            actor=world.district_admin,
            person=world.person_a2,
            node=world.community_a,
            position="grid_worker",
            start_date=datetime.date(2025, 1, 1),
        )
    assert messages(caught.value) == {"position": ["「网格员」只能在网格任职。"]}
    with pytest.raises(ValidationError) as caught:
        services.cadre_position_create(
            actor=world.district_admin,
            person=world.person_a2,
            node=world.grid_a1,
            position="reserve",
            start_date=datetime.date(2025, 1, 1),
            monthly_subsidy=-5,
        )
    assert messages(caught.value) == {
        "position": ["「后备干部」只能在社区任职。"],
        "monthly_subsidy": ["金额不能为负数。"],
    }


def test_a_term_cannot_end_before_it_starts(world):
    cadres = registry_data.add_cadres(world)
    with pytest.raises(ValidationError) as caught:
        services.cadre_position_update(
            actor=world.community_admin_a, position=cadres["director"], end_date=datetime.date(2020, 1, 1)
        )
    assert messages(caught.value) == {"end_date": ["离任日期不能早于任职日期。"]}
    assert CadrePosition.objects.get(pk=cadres["director"].pk).end_date is None


def test_grid_workers_do_not_appoint_cadres(world):
    with pytest.raises(PermissionDenied):
        services.cadre_position_create(
            actor=world.grid_worker_a1,
            person=world.person_a2,
            node=world.grid_a1,
            position="building_head",
            start_date=datetime.date(2025, 1, 1),
        )
