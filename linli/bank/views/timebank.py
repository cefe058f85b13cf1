"""Time bank pages for staff (records, proxy confirmation, disputes, withdrawals, relays) and shared actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.core.scope import scope_for
from linli.core.shortcuts import permission_required

from .. import services
from ..choices import ServiceState
from ..codes import code_read
from ..forms import (
    OptionalReasonForm,
    ReasonForm,
    ResolveForm,
    StaffRelayForm,
    StaffServiceClaimForm,
    WithdrawForm,
)
from ..machines import SERVICE_MACHINE
from ..models import ServiceRecord
from ..selectors.depositors import depositor_by_code
from ..selectors.timebank import RECORD_RELATED, service_records_for
from .common import any_permission, attempt, num


def _record_for(request, pk: int) -> ServiceRecord:
    """A record the user may reach as its recipient side (self) or as staff; 404 otherwise."""
    records = ServiceRecord.objects.visible_to(request.user, "bank.self") | ServiceRecord.objects.visible_to(
        request.user, "bank.timebank"
    )
    record = records.select_related(*RECORD_RELATED).filter(pk=pk).first()
    if record is None:
        raise Http404("未找到该服务记录，或您无权查看。")
    return record


def _code(request, form, field: str):
    """Resolve a scanned or typed code in the form to a depositor in the user's time-bank scope."""
    read = code_read(form.cleaned_data[field])
    if read.error:
        form.add_error(field, read.error)
        return None
    depositor = depositor_by_code(request.user, read, "bank.timebank")
    if depositor is None:
        form.add_error(field, "未找到该储户，或该储户不在您的管辖范围内。")
    return depositor


@permission_required("bank.timebank")
def timebank_list(request):
    state, q = request.GET.get("state", ""), request.GET.get("q", "")
    page = Paginator(service_records_for(request.user, state=state, q=q), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bank/timebank_list.html",
        {"page": page, "state": state, "q": q, "states": ServiceState.choices},
    )


@permission_required("bank.timebank")
def timebank_claim(request):
    form = StaffServiceClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider, recipient = _code(request, form, "provider_code"), _code(request, form, "recipient_code")
        if provider is not None and recipient is not None:
            ok, record = attempt(
                request,
                lambda: services.service_claim(
                    actor=request.user,
                    provider=provider,
                    recipient=recipient,
                    what=form.cleaned_data["what"],
                    served_on=form.cleaned_data["served_on"],
                    hours=form.cleaned_data["hours"],
                ),
                form=form,
                default_field="hours",
            )
            if ok:
                messages.success(request, "服务记录已登记，待受助人或其家人、网格员确认后入账。")
                return redirect("bank:timebank_detail", pk=record.pk)
    return render(
        request, "bank/form.html", {"form": form, "title": "登记时间银行服务", "back": "bank:timebank_list"}
    )


@any_permission("bank.self", "bank.timebank")
def timebank_detail(request, pk: int):
    record = _record_for(request, pk)
    actions = {t.name for t in SERVICE_MACHINE.available(record, request.user)}
    if request.user.pk == record.claimed_by_id or (
        request.user.person_id and request.user.person_id == record.provider.person_id
    ):
        actions -= {"confirm", "dispute"}
    return render(
        request,
        "bank/timebank_detail.html",
        {
            "record": record,
            "actions": actions,
            "history": SERVICE_MACHINE.history(record),
            "dispute_form": ReasonForm(),
            "resolve_form": ResolveForm(initial={"hours": record.hours}),
            "reject_form": ReasonForm(),
            "is_staff": scope_for(request.user).has_perm_at("bank.timebank", record.get_scope_path()),
        },
    )


def _back(request, record: ServiceRecord):
    if request.POST.get("next") == "me":
        return redirect("bank:me_timebank")
    return redirect("bank:timebank_detail", pk=record.pk)


@require_POST
@any_permission("bank.self", "bank.timebank")
def service_confirm(request, pk: int):
    record = _record_for(request, pk)
    ok, _ = attempt(request, lambda: services.service_confirm(actor=request.user, record=record))
    if ok:
        note = "（代为确认，已记录）" if record.is_on_behalf else ""
        messages.success(request, f"已确认，{record.provider.name}获得{num(record.hours)}小时{note}。")
    return _back(request, record)


@require_POST
@any_permission("bank.self", "bank.timebank")
def service_dispute(request, pk: int):
    record = _record_for(request, pk)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, _ = attempt(
        request, lambda: services.service_dispute(actor=request.user, record=record, reason=reason)
    )
    if ok:
        messages.success(request, "已提出异议，社区将核实处理。")
    return _back(request, record)


@require_POST
@permission_required("bank.timebank_resolve")
def service_resolve(request, pk: int):
    record = _record_for(request, pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        ok, _ = attempt(
            request,
            lambda: services.service_resolve(
                actor=request.user,
                record=record,
                hours=form.cleaned_data["hours"],
                note=form.cleaned_data["note"],
            ),
        )
        if ok:
            messages.success(request, f"异议已处理，记入{num(record.credited_hours)}小时。")
    else:
        messages.error(request, "请填写入账时长和处理意见。")
    return redirect("bank:timebank_detail", pk=record.pk)


@require_POST
@permission_required("bank.timebank_resolve")
def service_reject(request, pk: int):
    record = _record_for(request, pk)
    form = ReasonForm(request.POST)
    note = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, _ = attempt(request, lambda: services.service_reject(actor=request.user, record=record, note=note))
    if ok:
        messages.success(request, "异议已处理，该记录不入账。")
    return redirect("bank:timebank_detail", pk=record.pk)


@permission_required("bank.timebank")
def time_withdraw(request):
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        depositor = _code(request, form, "depositor_code")
        if depositor is not None:
            ok, withdrawal = attempt(
                request,
                lambda: services.time_withdraw(
                    actor=request.user,
                    depositor=depositor,
                    hours=form.cleaned_data["hours"],
                    service=form.cleaned_data["service"],
                    occurred_on=form.cleaned_data["occurred_on"],
                ),
                form=form,
                default_field="hours",
            )
            if ok:
                messages.success(
                    request, f"{depositor.name}已支取{num(withdrawal.hours)}小时：{withdrawal.service}。"
                )
                return redirect("bank:depositor_detail", pk=depositor.pk)
    return render(
        request,
        "bank/form.html",
        {"form": form, "title": "时间银行支取（为本人兑换服务）", "back": "bank:timebank_list"},
    )


@permission_required("bank.timebank")
def time_relay(request):
    form = StaffRelayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        donor, recipient = _code(request, form, "donor_code"), _code(request, form, "recipient_code")
        if donor is not None and recipient is not None:
            ok, relay = attempt(
                request,
                lambda: services.time_relay(
                    actor=request.user,
                    donor=donor,
                    recipient=recipient,
                    hours=form.cleaned_data["hours"],
                    reason=form.cleaned_data["reason"],
                ),
                form=form,
                default_field="recipient_code",
            )
            if ok:
                messages.success(
                    request,
                    f"爱心接力：{donor.name}转给{recipient.name}{num(relay.hours)}小时（{relay.get_relation_display()}）。",
                )
                return redirect("bank:timebank_list")
    return render(
        request,
        "bank/form.html",
        {"form": form, "title": "爱心接力（转赠给家人或困难群众）", "back": "bank:timebank_list"},
    )
