"""Bench cases for the points pages and API: the demo 党员 on her own points, the 社区书记 of 复兴社区 on the
review queue and her branches' years, the 区管理员 on the district's schemes and filed results."""

from django.core.exceptions import ValidationError

from linli.bench.cases import BenchDataMissing, BenchRequest, bench_case, bench_skip
from linli.points.models import BranchYear, Claim, Evidence, PublicNotice, Scheme

bench_skip(
    "points:claim_withdraw",
    "points:claim_review",
    "points:claim_correct",
    "points:review_bulk",
    "points:year_open",
    "points:year_step",
    "points:violation_create",
    "points:violation_revoke",
    "points:objection_create",
    "points:objection_resolve",
    "points:exemption_decide",
    "points:scheme_copy_forward",
    "points:scheme_publish",
    "points:scheme_new_version",
    "points:item_delete",
    reason="只接受 POST 的操作",
)

MEMBER = "dangyuan_demo"
ADMIN = "shequ_fuxing"
DISTRICT = "quwei_admin"


def _page(data, username: str, url: str, label: str) -> BenchRequest:
    return BenchRequest(data.user(username), url, label)


def branch_year(data) -> BranchYear:
    """This year's (the latest) year of the demo member's branch: the one with the most claims."""
    member = data.member(MEMBER)
    years = BranchYear.objects.filter(branch_id=member.branch_id).order_by("-year", "pk")
    return data.pick(years, "党员所在支部的积分年度")


def _own_report_with_evidence(data) -> None:
    """The scale seed stores no evidence files; the first run has the demo member self-report one matter
    with a photo through the service, as she would from her phone (her branch is in 党员自评)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from linli.core import clock
    from linli.core.demo import demo_png
    from linli.points.models import SchemeItem
    from linli.points.services import claim_submit

    member = data.member(MEMBER)
    today = clock.today()
    items = SchemeItem.objects.filter(
        scheme__year=today.year,
        scheme__status="published",
        auto_code="",
        direction="add",
        default_points__isnull=False,
    ).order_by("pk")
    photo = SimpleUploadedFile("学习照片.png", demo_png(), content_type="image/png")
    for item in items:
        try:
            claim_submit(
                actor=data.user(MEMBER), member=member, item=item, occurred_on=today,
                description="参加社区党委组织的专题学习", files=[photo],
            )  # fmt: skip
            return
        except ValidationError:
            photo.seek(0)  # another member class's item, or its cap is full: try the next
    raise BenchDataMissing("演示党员没有可以申报的积分项目。")


def own_claim(data) -> Claim:
    member = data.member(MEMBER)
    if not Evidence.objects.filter(claim__member=member).exists():
        _own_report_with_evidence(data)
    return data.most(Claim.objects.filter(member=member), "evidence", "演示党员带证据的积分申报")


def scheme(data) -> Scheme:
    schemes = Scheme.objects.visible_to(data.user(DISTRICT), "points.scheme_view").order_by("-year", "-pk")
    return data.most(schemes, "items", "有积分项目的细则")


# ---------------------------------------------------------------- the member's own pages


@bench_case("points:my_points", kind="dashboard")
def my_points(data):
    return _page(data, MEMBER, "/points/me/", "我的积分（党员）")


@bench_case("points:claim_create", kind="form")
def claim_create(data):
    return _page(data, MEMBER, "/points/me/report/", "积分申报（党员）")


@bench_case("points:claim_detail", kind="detail")
def claim_detail(data):
    return _page(data, MEMBER, f"/points/claims/{own_claim(data).pk}/", "申报详情（党员本人）")


@bench_case("points:evidence_file", kind="detail")
def evidence_file(data):
    evidence = data.pick(Evidence.objects.filter(claim=own_claim(data)).order_by("pk"), "申报的证据文件")
    return _page(data, MEMBER, f"/points/evidence/{evidence.pk}/", "证据文件（党员本人）")


@bench_case("points_api:me", kind="api")
def api_me(data):
    return _page(data, MEMBER, "/api/v1/points/me/", "接口：我的积分（党员）")


# ---------------------------------------------------------------- the community's review and years


@bench_case("points:review_queue", kind="list")
def review_queue(data):
    return _page(data, ADMIN, "/points/review/", "积分审核队列（社区书记）")


@bench_case("points_api:review_queue", kind="api")
def api_review_queue(data):
    return _page(data, ADMIN, "/api/v1/points/review/", "接口：积分审核队列（社区书记）")


@bench_case("points:year_list", kind="list")
def year_list(data):
    return _page(data, ADMIN, "/points/years/", "支部年度积分（社区书记）")


@bench_case("points:year_detail", kind="detail")
def year_detail(data):
    return _page(data, ADMIN, f"/points/years/{branch_year(data).pk}/", "支部年度详情（社区书记）")


@bench_case("points:year_export", kind="export")
def year_export(data):
    return _page(data, ADMIN, f"/points/years/{branch_year(data).pk}/export/", "导出支部年度积分（社区书记）")


@bench_case("points_api:year_summary", kind="api")
def api_year_summary(data):
    return _page(
        data, ADMIN, f"/api/v1/points/years/{branch_year(data).pk}/", "接口：支部年度汇总（社区书记）"
    )


@bench_case("points:record_create", kind="form")
def record_create(data):
    return _page(data, ADMIN, f"/points/years/{branch_year(data).pk}/record/", "记录加扣分（社区书记）")


def _publish_notice(data, username: str) -> None:
    """The scale seed stops its branches at 党员大会评定; the first run has the user confirm one branch's
    assembly through the service, which freezes every member's total in a 公示 (later runs reuse it)."""
    from linli.core import clock
    from linli.points.choices import Stage
    from linli.points.services import branch_year_step

    years = BranchYear.objects.visible_to(data.user(username), "points.view").filter(stage=Stage.ASSEMBLY)
    year = data.most(years, "branch__members", f"{username} 可见的处于党员大会评定阶段的支部年度")
    members = year.branch.members.filter(record_state="active").count()
    today = clock.today()
    branch_year_step(
        actor=data.user(username), branch_year=year, name="confirm_assembly", meeting_date=today,
        expected=members, attended=members, publicity_start=today, contact="社区党委办公室",
    )  # fmt: skip


@bench_case("points:notice_detail", kind="detail")
def notice_detail(data):
    """A 公示 of 复兴社区 as its 社区书记 sees it; where none of her branches has reached the assembly
    (the tiny CI data), one of the district's as the 区管理员 sees it."""
    for username in (ADMIN, DISTRICT):
        notices = PublicNotice.objects.visible_to(data.user(username), "points.view").order_by("-pk")
        if not notices.exists():
            try:
                _publish_notice(data, username)
            except BenchDataMissing:
                continue
        notice = data.most(notices, "lines", f"{username} 可见的积分公示")
        return _page(data, username, f"/points/notices/{notice.pk}/", "积分公示")
    raise BenchDataMissing("基准数据中没有处于党员大会评定阶段的支部年度，无法生成积分公示。")


@bench_case("points:exemption_list", kind="list")
def exemption_list(data):
    return _page(data, ADMIN, "/points/exemptions/", "免于参加积分活动（社区书记）")


@bench_case("points:exemption_create", kind="form")
def exemption_create(data):
    return _page(data, ADMIN, "/points/exemptions/new/", "申请免于参加积分活动（社区书记）")


# ---------------------------------------------------------------- the district


@bench_case("points:filed", kind="list")
def filed(data):
    return _page(data, DISTRICT, "/points/filed/", "积分结果归档（区管理员，全区）")


@bench_case("points:filed_export", kind="export")
def filed_export(data):
    return _page(data, DISTRICT, "/points/filed/export/", "导出积分结果归档（区管理员）")


@bench_case("points:scheme_list", kind="list")
def scheme_list(data):
    return _page(data, DISTRICT, "/points/schemes/", "积分细则（区管理员）")


@bench_case("points:scheme_create", kind="form")
def scheme_create(data):
    return _page(data, DISTRICT, "/points/schemes/new/", "新建积分细则（区管理员）")


@bench_case("points:scheme_detail", kind="detail")
def scheme_detail(data):
    return _page(data, DISTRICT, f"/points/schemes/{scheme(data).pk}/", "积分细则详情（区管理员）")


@bench_case("points:scheme_edit", kind="form")
def scheme_edit(data):
    return _page(data, DISTRICT, f"/points/schemes/{scheme(data).pk}/edit/", "编辑积分细则（区管理员）")


@bench_case("points:item_create", kind="form")
def item_create(data):
    return _page(data, DISTRICT, f"/points/schemes/{scheme(data).pk}/items/new/", "新增积分项目（区管理员）")


@bench_case("points:item_edit", kind="form")
def item_edit(data):
    item = data.pick(scheme(data).items.order_by("sort_order", "pk"), "积分细则的项目")
    return _page(data, DISTRICT, f"/points/items/{item.pk}/edit/", "编辑积分项目（区管理员）")
