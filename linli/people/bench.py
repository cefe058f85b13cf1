"""Bench cases for the people pages and API: the 社区书记 of 复兴社区 on her registers, the 区管理员 on the
district's cadre overview, the demo 党员 as the member whose records are opened."""

from urllib.parse import quote

from linli.bench.cases import BenchRequest, bench_case, bench_skip
from linli.people.models import (
    CadrePosition,
    FloatingRecord,
    ImportBatch,
    InServiceRegistration,
    Member,
    MemberPost,
    Person,
    ResponsibilityZone,
)

bench_skip(
    "people:person_reveal",
    "people:person_status",
    "people:person_delete",
    "people:inservice_evaluate",
    "people:inservice_end",
    "people:floating_contact_add",
    "people:import_commit",
    "people:import_discard",
    reason="只接受 POST 的操作",
)

ADMIN = "shequ_fuxing"


def _page(data, url: str, label: str, username: str = ADMIN) -> BenchRequest:
    return BenchRequest(data.user(username), url, label)


def demo_member(data) -> Member:
    return data.member("dangyuan_demo")


def resident(data) -> Person:
    """A resident of 复兴社区 who is not a member (the one with the biggest household)."""
    user = data.user(ADMIN)
    persons = Person.objects.visible_to(user, "people.view").filter(
        member__isnull=True, household__isnull=False
    )
    return data.pick(persons.order_by("household_id", "pk"), "复兴社区的居民")


def visible(data, model, permission: str, what: str, username: str = ADMIN):
    return data.pick(model.objects.visible_to(data.user(username), permission).order_by("-pk"), what)


IMPORT_PREVIEW_ROWS = 300


def import_batch(data) -> ImportBatch:
    """The latest roster import the 社区书记 can see.

    A seeded database has none, so the first run uploads one as she would: a roster of 300 new members
    of her community, checked and left as a preview waiting for her decision (the import benchmark's
    own 30,000-row imports are rolled back and leave nothing). Later runs reuse it.
    """
    user = data.user(ADMIN)
    batches = ImportBatch.objects.visible_to(user, "people.import").order_by("-pk")
    if not batches.exists():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from linli.bench.importing import roster_build
        from linli.people.importing.services import member_roster_import_preview

        node = data.node(ADMIN)
        roster = roster_build(node, IMPORT_PREVIEW_ROWS, seed="page-bench")
        upload = SimpleUploadedFile("复兴社区党员花名册.xlsx", roster.data)
        member_roster_import_preview(actor=user, node=node, upload=upload, file_name=upload.name)
    return data.pick(batches, "复兴社区的花名册导入记录")


# ---------------------------------------------------------------- persons


@bench_case("people:person_list", kind="list")
def person_list(data):
    return _page(data, "/people/persons/", "人员列表（社区书记）")


@bench_case("people:person_export", kind="export")
def person_export(data):
    return _page(data, "/people/persons/export/", "导出人员（社区书记）")


@bench_case("people:person_create", kind="form")
def person_create(data):
    return _page(data, "/people/persons/new/", "新建人员（社区书记）")


@bench_case("people:person_detail", kind="detail")
def person_detail(data):
    person = demo_member(data).person
    return _page(data, f"/people/persons/{person.pk}/", "人员详情（社区书记）")


@bench_case("people:person_edit", kind="form")
def person_edit(data):
    person = resident(data)
    return _page(data, f"/people/persons/{person.pk}/edit/", "编辑人员（社区书记）")


@bench_case("people:search", kind="list")
def search(data):
    surname = demo_member(data).person.name[:1]
    return _page(data, f"/people/search/?q={quote(surname)}", "人员搜索（社区书记，按姓氏）")


# ---------------------------------------------------------------- members


@bench_case("people:member_list", kind="list")
def member_list(data):
    return _page(data, "/people/members/", "党员列表（社区书记）")


@bench_case("people:member_export", kind="export")
def member_export(data):
    return _page(data, "/people/members/export/", "导出党员（社区书记）")


@bench_case("people:member_create", kind="form")
def member_create(data):
    person = resident(data)
    return _page(data, f"/people/persons/{person.pk}/member/new/", "登记为党员（社区书记）")


@bench_case("people:member_detail", kind="detail")
def member_detail(data):
    return _page(data, f"/people/members/{demo_member(data).pk}/", "党员详情（社区书记）")


@bench_case("people:member_edit", kind="form")
def member_edit(data):
    return _page(data, f"/people/members/{demo_member(data).pk}/edit/", "编辑党员（社区书记）")


# ---------------------------------------------------------------- 在职党员报到


@bench_case("people:inservice_list", kind="list")
def inservice_list(data):
    return _page(data, "/people/inservice/", "在职党员报到列表（社区书记）")


@bench_case("people:inservice_export", kind="export")
def inservice_export(data):
    return _page(data, "/people/inservice/export/", "导出在职党员报到（社区书记）")


@bench_case("people:inservice_create", kind="form")
def inservice_create(data):
    return _page(data, f"/people/members/{demo_member(data).pk}/inservice/new/", "新建报到（社区书记）")


@bench_case("people:inservice_edit", kind="detail")
def inservice_edit(data):
    registration = visible(data, InServiceRegistration, "people.change", "复兴社区的在职党员报到")
    return _page(data, f"/people/inservice/{registration.pk}/", "报到详情（社区书记）")


@bench_case("people:inservice_letter", kind="detail")
def inservice_letter(data):
    registrations = InServiceRegistration.objects.visible_to(data.user(ADMIN), "people.view").exclude(
        evaluation=""
    )
    registration = data.pick(registrations.order_by("-pk"), "复兴社区已填写评价的在职党员报到")
    return _page(data, f"/people/inservice/{registration.pk}/letter/", "报到反馈函（社区书记）")


# ---------------------------------------------------------------- 流动党员


def floating_record(data) -> FloatingRecord:
    records = FloatingRecord.objects.visible_to(data.user("quwei_admin"), "people.view")
    return data.most(records, "contacts", "有联系记录的流动党员记录")


@bench_case("people:floating_list", kind="list")
def floating_list(data):
    return _page(data, "/people/floating/", "流动党员列表（区管理员）", "quwei_admin")


@bench_case("people:floating_export", kind="export")
def floating_export(data):
    return _page(data, "/people/floating/export/", "导出流动党员（区管理员）", "quwei_admin")


@bench_case("people:floating_create", kind="form")
def floating_create(data):
    return _page(data, f"/people/members/{demo_member(data).pk}/floating/new/", "登记流动党员（社区书记）")


@bench_case("people:floating_detail", kind="detail")
def floating_detail(data):
    record = floating_record(data)
    return _page(data, f"/people/floating/{record.pk}/", "流动党员详情（区管理员）", "quwei_admin")


@bench_case("people:floating_edit", kind="form")
def floating_edit(data):
    record = floating_record(data)
    return _page(data, f"/people/floating/{record.pk}/edit/", "编辑流动党员记录（区管理员）", "quwei_admin")


# ---------------------------------------------------------------- 责任区、岗位


@bench_case("people:zone_list", kind="list")
def zone_list(data):
    return _page(data, "/people/zones/", "党员责任区（社区书记）")


@bench_case("people:zone_create", kind="form")
def zone_create(data):
    return _page(data, f"/people/members/{demo_member(data).pk}/zones/new/", "新建责任区（社区书记）")


@bench_case("people:zone_edit", kind="form")
def zone_edit(data):
    zone = visible(data, ResponsibilityZone, "people.change", "复兴社区的党员责任区")
    return _page(data, f"/people/zones/{zone.pk}/edit/", "编辑责任区（社区书记）")


@bench_case("people:post_list", kind="list")
def post_list(data):
    return _page(data, "/people/posts/", "党员岗位（社区书记）")


@bench_case("people:post_create", kind="form")
def post_create(data):
    return _page(data, f"/people/members/{demo_member(data).pk}/posts/new/", "新建党员岗位（社区书记）")


@bench_case("people:post_edit", kind="form")
def post_edit(data):
    post = visible(data, MemberPost, "people.change", "复兴社区的党员岗位")
    return _page(data, f"/people/posts/{post.pk}/edit/", "编辑党员岗位（社区书记）")


# ---------------------------------------------------------------- 干部


@bench_case("people:cadre_overview", kind="dashboard")
def cadre_overview(data):
    return _page(data, "/people/cadres/", "干部队伍概况（区管理员，全区）", "quwei_admin")


@bench_case("people:cadre_list", kind="list")
def cadre_list(data):
    return _page(data, "/people/cadres/list/", "干部名单（区管理员）", "quwei_admin")


@bench_case("people:cadre_export", kind="export")
def cadre_export(data):
    return _page(data, "/people/cadres/export/", "导出干部名单（区管理员）", "quwei_admin")


@bench_case("people:cadre_roster", kind="list")
def cadre_roster(data):
    community = data.node(ADMIN)
    return _page(data, f"/people/cadres/community/{community.pk}/", "社区干部花名册（社区书记）")


@bench_case("people:cadre_create", kind="form")
def cadre_create(data):
    person = resident(data)
    return _page(data, f"/people/persons/{person.pk}/positions/new/", "新建干部任职（社区书记）")


@bench_case("people:cadre_edit", kind="form")
def cadre_edit(data):
    position = visible(data, CadrePosition, "people.cadres", "复兴社区的干部任职")
    return _page(data, f"/people/positions/{position.pk}/edit/", "编辑干部任职（社区书记）")


# ---------------------------------------------------------------- 卡片


@bench_case("people:card_index", kind="form")
def card_index(data):
    return _page(data, "/people/cards/", "党员卡片（社区书记）")


@bench_case("people:card_batch", kind="export")
def card_batch(data):
    community = data.node(ADMIN)
    return _page(
        data, f"/people/cards/retired/community/{community.pk}/", "整社区离退休党员管理卡（社区书记）"
    )


@bench_case("people:member_card", kind="detail")
def member_card(data):
    member = demo_member(data)
    return _page(data, f"/people/members/{member.pk}/cards/retired/", "离退休党员管理卡（社区书记）")


# ---------------------------------------------------------------- 花名册导入


@bench_case("people:import_upload", kind="form")
def import_upload(data):
    return _page(data, "/people/import/", "花名册导入（社区书记）")


@bench_case("people:import_history", kind="list")
def import_history(data):
    return _page(data, "/people/import/history/", "导入记录（社区书记）")


@bench_case("people:import_template", kind="export")
def import_template(data):
    return _page(data, "/people/import/template/resident/", "下载居民花名册模板（社区书记）")


@bench_case("people:import_preview", kind="detail")
def import_preview(data):
    return _page(data, f"/people/import/{import_batch(data).pk}/", "导入预览（社区书记）")


@bench_case("people:import_errors", kind="export")
def import_errors(data):
    return _page(data, f"/people/import/{import_batch(data).pk}/errors/", "导入错误清单（社区书记）")


# ---------------------------------------------------------------- API


@bench_case("people_api:person_list", kind="api")
def api_person_list(data):
    return _page(data, "/api/v1/people/persons/", "接口：人员列表（社区书记）")


@bench_case("people_api:person_detail", kind="api")
def api_person_detail(data):
    return _page(data, f"/api/v1/people/persons/{demo_member(data).person_id}/", "接口：人员详情（社区书记）")


@bench_case("people_api:member_list", kind="api")
def api_member_list(data):
    return _page(data, "/api/v1/people/members/", "接口：党员列表（社区书记）")


@bench_case("people_api:member_detail", kind="api")
def api_member_detail(data):
    return _page(data, f"/api/v1/people/members/{demo_member(data).pk}/", "接口：党员详情（社区书记）")


@bench_case("people_api:search", kind="api")
def api_search(data):
    surname = demo_member(data).person.name[:1]
    return _page(data, f"/api/v1/people/search/?q={quote(surname)}", "接口：人员搜索（社区书记）")
