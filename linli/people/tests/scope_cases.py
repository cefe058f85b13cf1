"""Scope cases for the registry pages and API: who may, who has less right, who must get 404."""

from linli.core.choices import AuditAction
from linli.core.models import AuditEntry
from linli.people.models import (
    CadrePosition,
    FloatingContact,
    FloatingRecord,
    InServiceRegistration,
    Member,
    MemberPost,
    Person,
    ResponsibilityZone,
)
from linli.people.tests import registry_data
from linli.testing.scope import ScopeCase, scope_case

STAFF_LISTS = ["district_admin", "street_admin", "community_admin_a", "grid_worker_a1"]
SELF_ROLES = ["member_user_a", "resident_a1"]


def _list(url: str, may=None) -> ScopeCase:
    return ScopeCase(
        url, may=may or STAFF_LISTS, lesser=[*SELF_ROLES, "unit_contact_a", "sysadmin", "auditor"]
    )


# ---------------------------------------------------------------------------------------------------
# Residents


@scope_case("people:person_list")
def person_list(world):
    return _list("/people/persons/")


@scope_case("people:person_export")
def person_export(world):
    return _list("/people/persons/export/?q=zs")


def _persons(world):
    return sorted(Person.objects.values_list("pk", "name", "status", "note"))


@scope_case("people:person_create")
def person_create(world):
    return ScopeCase(
        f"/people/persons/new/?grid={world.grid_a1.pk}",
        method="post",
        data={"node": world.grid_a1.pk, "name": "新居民", "ethnicity": "汉族", "is_resident": "on"},
        may=["grid_worker_a1"],
        lesser=["member_user_a", "resident_a1"],
        outsiders=["community_admin_b", "grid_worker_a2"],
        state=_persons,
    )


@scope_case("people:person_detail")
def person_detail(world):
    return ScopeCase(
        f"/people/persons/{world.person_a1.pk}/",
        may=["community_admin_a", "grid_worker_a1", "resident_a1", "district_admin"],
        lesser=["member_user_a", "unit_contact_a"],
        outsiders=["community_admin_b", "grid_worker_a2", "community_admin_a2"],
    )


@scope_case("people:person_edit")
def person_edit(world):
    return ScopeCase(
        f"/people/persons/{world.person_a1.pk}/edit/",
        method="post",
        data={
            "node": world.grid_a1.pk,
            "name": "张三",
            "ethnicity": "汉族",
            "note": "已核对",
            "is_resident": "on",
        },
        may=["grid_worker_a1"],
        lesser=["resident_a1", "member_user_a"],
        outsiders=["community_admin_b", "grid_worker_a2"],
        state=_persons,
    )


def _pii_views(world):
    return AuditEntry.objects.filter(action=AuditAction.VIEW_PII).count()


@scope_case("people:person_reveal")
def person_reveal(world):
    return ScopeCase(
        f"/people/persons/{world.person_a1.pk}/reveal/",
        method="post",
        may=["community_admin_a", "district_admin"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_pii_views,
    )


@scope_case("people:person_status")
def person_status(world):
    return ScopeCase(
        f"/people/persons/{world.person_a1.pk}/status/",
        method="post",
        data={"status": "moved_out", "note": "迁往官渡区"},
        may=["grid_worker_a1"],
        lesser=["resident_a1"],
        outsiders=["community_admin_b", "grid_worker_a2"],
        state=_persons,
    )


@scope_case("people:person_delete")
def person_delete(world):
    person = registry_data.add_person(world)
    return ScopeCase(
        f"/people/persons/{person.pk}/delete/",
        method="post",
        data={"reason": "重复登记"},
        may=["community_admin_a"],
        lesser=["member_user_a", "resident_a1"],
        outsiders=["community_admin_b", "grid_worker_a2"],
        state=_persons,
    )


@scope_case("people:search")
def search(world):
    return _list("/people/search/?q=zs")


# ---------------------------------------------------------------------------------------------------
# Members


@scope_case("people:member_list")
def member_list(world):
    return _list("/people/members/")


@scope_case("people:member_export")
def member_export(world):
    return _list("/people/members/export/?category=retired")


def _members(world):
    return sorted(Member.objects.values_list("pk", "person_id", "category", "job_title", "record_state"))


@scope_case("people:member_create")
def member_create(world):
    return ScopeCase(
        f"/people/persons/{world.person_a2.pk}/member/new/",
        method="post",
        data={
            "branch": world.branch_a.pk,
            "status": "formal",
            "join_date": "2015-07-01",
            "formal_date": "2016-07-01",
            "category": "retired",
        },
        may=["community_admin_a"],
        lesser=["grid_worker_a2", "member_user_a"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_members,
    )


@scope_case("people:member_detail")
def member_detail(world):
    return ScopeCase(
        f"/people/members/{world.member_a.pk}/",
        may=["community_admin_a", "member_user_a", "district_admin", "street_admin", "grid_worker_a1"],
        lesser=["resident_a1", "unit_contact_a"],
        outsiders=["community_admin_b", "member_user_b", "grid_worker_a2"],
    )


@scope_case("people:member_edit")
def member_edit(world):
    return ScopeCase(
        f"/people/members/{world.member_a.pk}/edit/",
        method="post",
        data={
            "branch": world.branch_a.pk,
            "status": "formal",
            "join_date": "1995-07-01",
            "formal_date": "1996-07-01",
            "category": "retired",
            "job_title": "退休教师",
            "record_state": "active",
        },
        may=["community_admin_a"],
        lesser=["member_user_a", "grid_worker_a1"],
        outsiders=["community_admin_b"],
        state=_members,
    )


# ---------------------------------------------------------------------------------------------------
# In-service members


@scope_case("people:inservice_list")
def inservice_list(world):
    return _list("/people/inservice/")


@scope_case("people:inservice_export")
def inservice_export(world):
    return _list("/people/inservice/export/")


def _registrations(world):
    return sorted(
        InServiceRegistration.objects.values_list("pk", "community_id", "skills", "evaluation", "is_active")
    )


@scope_case("people:inservice_create")
def inservice_create(world):
    return ScopeCase(
        f"/people/members/{world.member_a.pk}/inservice/new/",
        method="post",
        data={"community": world.community_a.pk, "registered_on": "2025-04-01", "skills": "写作"},
        may=["community_admin_a"],
        lesser=["member_user_a", "resident_a1"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_registrations,
    )


@scope_case("people:inservice_edit")
def inservice_edit(world):
    registration = registry_data.add_inservice(world)
    return ScopeCase(
        f"/people/inservice/{registration.pk}/",
        method="post",
        data={"skills": "水电维修、家电维修", "service_wishes": "便民维修"},
        may=["community_admin_a"],
        lesser=["member_user_b", "member_user_a"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_registrations,
    )


@scope_case("people:inservice_evaluate")
def inservice_evaluate(world):
    registration = registry_data.add_inservice(world)
    return ScopeCase(
        f"/people/inservice/{registration.pk}/evaluate/",
        method="post",
        data={"evaluation": "积极参加社区服务，群众反映良好。", "evaluated_on": "2025-12-01"},
        may=["community_admin_a"],
        lesser=["member_user_b"],
        outsiders=["community_admin_b"],
        state=_registrations,
    )


@scope_case("people:inservice_end")
def inservice_end(world):
    registration = registry_data.add_inservice(world)
    return ScopeCase(
        f"/people/inservice/{registration.pk}/end/",
        method="post",
        may=["community_admin_a"],
        lesser=["member_user_b"],
        outsiders=["community_admin_b"],
        state=_registrations,
    )


@scope_case("people:inservice_letter")
def inservice_letter(world):
    registration = registry_data.add_inservice(world)
    return ScopeCase(
        f"/people/inservice/{registration.pk}/letter/",
        may=["community_admin_a", "member_user_b"],
        lesser=["resident_a1"],
        outsiders=["community_admin_b", "member_user_a"],
    )


# ---------------------------------------------------------------------------------------------------
# Floating members


@scope_case("people:floating_list")
def floating_list(world):
    return _list("/people/floating/", may=["district_admin", "community_admin_a", "grid_worker_a1"])


@scope_case("people:floating_export")
def floating_export(world):
    return _list("/people/floating/export/", may=["district_admin", "community_admin_a"])


def _floating(world):
    return (
        sorted(FloatingRecord.objects.values_list("pk", "place", "is_active", "last_contact_on")),
        FloatingContact.objects.count(),
    )


@scope_case("people:floating_create")
def floating_create(world):
    return ScopeCase(
        f"/people/members/{world.member_a.pk}/floating/new/",
        method="post",
        data={
            "direction": "outflow",
            "place": "浙江省杭州市",
            "since": "2025-02-01",
            "contact_phone": "13812341234",
        },
        may=["community_admin_a"],
        lesser=["member_user_a", "resident_a1"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_floating,
    )


@scope_case("people:floating_detail")
def floating_detail(world):
    record = registry_data.add_floating(world)
    return ScopeCase(
        f"/people/floating/{record.pk}/",
        may=["community_admin_a", "member_user_a", "district_admin"],
        lesser=["resident_a1"],
        outsiders=["community_admin_b", "member_user_b", "grid_worker_a1"],
    )


@scope_case("people:floating_edit")
def floating_edit(world):
    record = registry_data.add_floating(world)
    return ScopeCase(
        f"/people/floating/{record.pk}/edit/",
        method="post",
        data={"direction": "outflow", "place": "广东省深圳市福田区", "since": "2024-03-01"},
        may=["community_admin_a"],
        lesser=["member_user_a"],
        outsiders=["community_admin_b"],
        state=_floating,
    )


@scope_case("people:floating_contact_add")
def floating_contact_add(world):
    record = registry_data.add_floating(world)
    return ScopeCase(
        f"/people/floating/{record.pk}/contacts/",
        method="post",
        data={"contacted_on": "2025-01-10", "method": "online", "content": "微信联系，了解近况。"},
        may=["community_admin_a"],
        lesser=["member_user_a"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_floating,
    )


# ---------------------------------------------------------------------------------------------------
# Zones and posts


@scope_case("people:zone_list")
def zone_list(world):
    return _list("/people/zones/")


def _zones(world):
    return sorted(ResponsibilityZone.objects.values_list("pk", "name", "is_active"))


@scope_case("people:zone_create")
def zone_create(world):
    return ScopeCase(
        f"/people/members/{world.member_a.pk}/zones/new/",
        method="post",
        data={"node": world.grid_a1.pk, "name": "1栋责任区", "buildings": [world.building_a1.pk]},
        may=["community_admin_a"],
        lesser=["member_user_a", "resident_a1"],
        outsiders=["community_admin_b", "community_admin_a2"],
        state=_zones,
    )


@scope_case("people:zone_edit")
def zone_edit(world):
    zone = registry_data.add_zone(world)
    return ScopeCase(
        f"/people/zones/{zone.pk}/edit/",
        method="post",
        data={"name": "1栋东责任区", "buildings": [world.building_a1.pk], "is_active": "on"},
        may=["grid_worker_a1", "community_admin_a"],
        lesser=["member_user_a"],
        outsiders=["community_admin_b", "grid_worker_a2"],
        state=_zones,
    )


@scope_case("people:post_list")
def post_list(world):
    return _list("/people/posts/")


def _posts(world):
    return sorted(MemberPost.objects.values_list("pk", "title", "end_date"))


@scope_case("people:post_create")
def post_create(world):
    return ScopeCase(
        f"/people/members/{world.member_a.pk}/posts/new/",
        method="post",
        data={
            "node": world.community_a.pk,
            "kind": "model",
            "title": "党员示范岗",
            "start_date": "2025-01-01",
        },
        may=["community_admin_a"],
        lesser=["member_user_a"],
        outsiders=["community_admin_b"],
        state=_posts,
    )


@scope_case("people:post_edit")
def post_edit(world):
    post = registry_data.add_post(world)
    return ScopeCase(
        f"/people/posts/{post.pk}/edit/",
        method="post",
        data={
            "kind": "duty",
            "title": "楼院卫生监督岗",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
        },
        may=["community_admin_a"],
        lesser=["member_user_a", "grid_worker_a1"],
        outsiders=["community_admin_b"],
        state=_posts,
    )


# ---------------------------------------------------------------------------------------------------
# Cadres


@scope_case("people:cadre_overview")
def cadre_overview(world):
    return _list("/people/cadres/")


@scope_case("people:cadre_list")
def cadre_list(world):
    return _list("/people/cadres/list/")


@scope_case("people:cadre_export")
def cadre_export(world):
    return _list("/people/cadres/export/")


@scope_case("people:cadre_roster")
def cadre_roster(world):
    registry_data.add_cadres(world)
    return ScopeCase(
        f"/people/cadres/community/{world.community_a.pk}/",
        may=["community_admin_a", "street_admin", "district_admin"],
        lesser=["member_user_a", "resident_a1"],
        outsiders=["community_admin_b", "grid_worker_a1"],
    )


def _positions(world):
    return sorted(CadrePosition.objects.values_list("pk", "position", "end_date", "monthly_subsidy"))


@scope_case("people:cadre_create")
def cadre_create(world):
    return ScopeCase(
        f"/people/persons/{world.person_a1.pk}/positions/new/",
        method="post",
        data={"node": world.community_a.pk, "position": "secretary", "start_date": "2021-10-01"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=_positions,
    )


@scope_case("people:cadre_edit")
def cadre_edit(world):
    position = registry_data.add_cadres(world)["grid_worker"]
    return ScopeCase(
        f"/people/positions/{position.pk}/edit/",
        method="post",
        data={"start_date": "2022-01-01", "end_date": "2025-06-30", "monthly_subsidy": "900"},
        may=["community_admin_a"],
        lesser=["grid_worker_a1", "resident_a1"],
        outsiders=["community_admin_b"],
        state=_positions,
    )


# ---------------------------------------------------------------------------------------------------
# The five cards


@scope_case("people:card_index")
def card_index(world):
    return _list("/people/cards/")


@scope_case("people:card_batch")
def card_batch(world):
    return ScopeCase(
        f"/people/cards/retired/community/{world.community_a.pk}/",
        may=["community_admin_a", "district_admin"],
        lesser=["member_user_a", "resident_a1"],
        outsiders=["community_admin_b", "grid_worker_a1"],
    )


@scope_case("people:member_card")
def member_card(world):
    return ScopeCase(
        f"/people/members/{world.member_a.pk}/cards/retired/",
        may=["community_admin_a", "member_user_a", "grid_worker_a1"],
        lesser=["resident_a1"],
        outsiders=["community_admin_b", "member_user_b", "grid_worker_a2"],
    )


# ---------------------------------------------------------------------------------------------------
# API


@scope_case("people_api:person_list")
def api_person_list(world):
    return _list("/api/v1/people/persons/")


@scope_case("people_api:person_detail")
def api_person_detail(world):
    return ScopeCase(
        f"/api/v1/people/persons/{world.person_a1.pk}/",
        may=["community_admin_a", "grid_worker_a1", "resident_a1"],
        lesser=["sysadmin", "unit_contact_a"],
        outsiders=["community_admin_b", "member_user_a"],
    )


@scope_case("people_api:member_list")
def api_member_list(world):
    return _list("/api/v1/people/members/")


@scope_case("people_api:member_detail")
def api_member_detail(world):
    return ScopeCase(
        f"/api/v1/people/members/{world.member_a.pk}/",
        may=["community_admin_a", "member_user_a"],
        lesser=["sysadmin", "resident_a1"],
        outsiders=["community_admin_b", "member_user_b"],
    )


@scope_case("people_api:search")
def api_search(world):
    return _list("/api/v1/people/search/?q=zhangsan")


from . import scope_cases_import  # noqa: E402, F401  (roster import, PPL-7)
