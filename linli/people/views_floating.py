"""流动党员 (PPL-4): outflow and inflow records, where and how to reach the member, the contact log with
thought reports, and the list of members not contacted for a while."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from linli.core.excel import Column, export_queryset
from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required, require_perm_at

from . import selectors, services
from .forms import FloatingContactForm, FloatingFilterForm, FloatingRecordForm
from .models import FloatingRecord, Member
from .views import _filter_note, _page


def _filtered(request):
    form = FloatingFilterForm(request.GET or None, user=request.user)
    rows = selectors.floating_list(
        user=request.user,
        q=form.value("q", ""),
        node=form.value("node"),
        direction=form.value("direction", ""),
        is_active=form.is_active(),
        stale_days=form.value("stale_days"),
    )
    return form, rows


@permission_required("people.browse")
def floating_list(request):
    form, rows = _filtered(request)
    return render(
        request,
        "people/floating_list.html",
        {
            "form": form,
            "page": _page(request, rows),
            "today": timezone.localdate(),
            "can_export": scope_for(request.user).has_perm("people.export"),
        },
    )


@permission_required("people.export")
def floating_export(request):
    form, rows = _filtered(request)
    columns = [
        Column("姓名", lambda r: r.member.person.name, 10),
        Column("所在党组织", lambda r: r.member.branch.name, 22),
        Column("流向", lambda r: r.get_direction_display(), 6),
        Column("流出/流入地", lambda r: r.place, 18),
        Column("所在地党组织", lambda r: r.place_party_org, 20),
        Column("外出原因", lambda r: r.reason, 12),
        Column("起始日期", lambda r: r.since, 12),
        Column("结束日期", lambda r: r.until, 12),
        Column("联系电话", lambda r: r.contact_phone_masked, 14),
        Column("最近联系", lambda r: r.last_contact_on, 12),
        Column("联系次数", lambda r: r.contact_count, 8),
        Column("思想汇报", lambda r: r.thought_report_count, 8),
    ]
    return export_queryset(
        request,
        filename="流动党员",
        sheet_title="流动党员",
        columns=columns,
        queryset=rows,
        back_url=reverse("people:floating_list"),
        target_type="people.floatingrecord",
        note=_filter_note(form),
    )


@permission_required("people.change")
def floating_create(request, member_pk: int):
    member = get_visible_or_404(
        Member.objects.select_related("person", "branch__node"), request.user, "people.view", pk=member_pk
    )
    require_perm_at(request.user, "people.change", member.branch.node.path)
    form = FloatingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.floating_record_create(
                actor=request.user, member=member, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error, default_field="place")
        else:
            messages.success(request, "流动党员记录已登记。")
            return redirect("people:floating_detail", pk=record.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"登记流动党员：{member.person.name}",
            "back_url": reverse("people:member_detail", args=[member.pk]),
        },
    )


def _get_record(request, pk: int) -> FloatingRecord:
    return get_visible_or_404(
        FloatingRecord.objects.select_related("member__person", "member__branch__node"),
        request.user,
        "people.view",
        pk=pk,
    )


def _detail(request, record: FloatingRecord, contact_form=None, status: int = 200):
    return render(
        request,
        "people/floating_detail.html",
        {
            "record": record,
            "contacts": record.contacts.order_by("-contacted_on", "-id"),
            "contact_form": contact_form
            or FloatingContactForm(initial={"contacted_on": timezone.localdate()}),
            "can_change": scope_for(request.user).has_perm_at(
                "people.change", record.member.branch.node.path
            ),
        },
        status=status,
    )


@permission_required("people.view")
def floating_detail(request, pk: int):
    return _detail(request, _get_record(request, pk))


@require_POST
@permission_required("people.change")
def floating_contact_add(request, pk: int):
    record = _get_record(request, pk)
    require_perm_at(request.user, "people.change", record.member.branch.node.path)
    form = FloatingContactForm(request.POST)
    if form.is_valid():
        try:
            services.floating_contact_add(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="content")
        else:
            messages.success(request, "联系记录已保存。")
            return redirect("people:floating_detail", pk=record.pk)
    return _detail(request, record, contact_form=form)


@permission_required("people.change")
def floating_edit(request, pk: int):
    record = _get_record(request, pk)
    require_perm_at(request.user, "people.change", record.member.branch.node.path)
    fields = ("direction", "place", "place_party_org", "reason", "since", "until")
    form = FloatingRecordForm(
        request.POST or None, record=record, initial={f: getattr(record, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.floating_record_update(actor=request.user, record=record, **form.service_kwargs())
        except ValidationError as error:
            apply_validation_error(form, error, default_field="place")
        else:
            messages.success(request, "流动记录已保存。")
            return redirect("people:floating_detail", pk=record.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"编辑流动记录：{record.member.person.name}",
            "back_url": reverse("people:floating_detail", args=[record.pk]),
        },
    )
