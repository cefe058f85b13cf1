"""URLs of the points app."""

from django.urls import path

from .views import exemptions, member, review, schemes, year

app_name = "points"

urlpatterns = [
    # 党员本人
    path("me/", member.my_points, name="my_points"),
    path("me/report/", member.claim_create, name="claim_create"),
    path("claims/<int:pk>/", member.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/withdraw/", member.claim_withdraw, name="claim_withdraw"),
    path("claims/<int:pk>/review/", member.claim_review, name="claim_review"),
    path("claims/<int:pk>/correct/", member.claim_correct, name="claim_correct"),
    path("evidence/<int:pk>/", member.evidence_file, name="evidence_file"),
    # 社区党组织初评
    path("review/", review.review_queue_page, name="review_queue"),
    path("review/bulk/", review.review_bulk, name="review_bulk"),
    # 支部年度流程
    path("years/", year.year_list_page, name="year_list"),
    path("years/open/", year.year_open, name="year_open"),
    path("years/<int:pk>/", year.year_detail, name="year_detail"),
    path("years/<int:pk>/step/<slug:name>/", year.year_step, name="year_step"),
    path("years/<int:pk>/export/", year.year_export, name="year_export"),
    path("years/<int:pk>/record/", year.record_create, name="record_create"),
    path("years/<int:pk>/violations/", year.violation_create, name="violation_create"),
    path("violations/<int:pk>/revoke/", year.violation_revoke, name="violation_revoke"),
    path("notices/<int:pk>/", year.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/objections/", year.objection_create, name="objection_create"),
    path("objections/<int:pk>/resolve/", year.objection_resolve, name="objection_resolve"),
    path("filed/", year.filed_page, name="filed"),
    path("filed/export/", year.filed_export, name="filed_export"),
    # 免于参加积分
    path("exemptions/", exemptions.exemption_list, name="exemption_list"),
    path("exemptions/new/", exemptions.exemption_create, name="exemption_create"),
    path("exemptions/<int:pk>/<slug:name>/", exemptions.exemption_decide, name="exemption_decide"),
    # 积分细则
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/new/", schemes.scheme_create, name="scheme_create"),
    path("schemes/copy-forward/", schemes.scheme_copy_forward, name="scheme_copy_forward"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", schemes.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/publish/", schemes.scheme_publish, name="scheme_publish"),
    path("schemes/<int:pk>/new-version/", schemes.scheme_new_version, name="scheme_new_version"),
    path("schemes/<int:pk>/items/new/", schemes.item_create, name="item_create"),
    path("items/<int:pk>/edit/", schemes.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", schemes.item_delete, name="item_delete"),
]
