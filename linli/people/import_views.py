"""Pages of the roster import (PPL-7): upload with templates, preview with every row error, commit, history."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from linli.core.forms import apply_validation_error
from linli.core.shortcuts import get_visible_or_404, permission_required

from . import importing
from .choices import ImportKind, ImportStatus
from .import_forms import ImportCommitForm, ImportUploadForm, import_scope_nodes
from .models import ImportBatch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 50
BATCHES_PER_PAGE = 20
_LIST_FIELDS = (
    "kind",
    "node__name",
    "file_name",
    "uploaded_by_name",
    "created_at",
    "status",
    "row_count",
    "error_row_count",
    "imported_count",
    "only_valid",
    "finished_at",
    "finished_by_name",
)


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        data, content_type=XLSX, headers={"Content-Disposition": content_disposition_header(True, filename)}
    )


def _batch(request, pk: int, *fields: str) -> ImportBatch:
    queryset = ImportBatch.objects.select_related("node")
    queryset = queryset.only(*fields) if fields else queryset.defer("payload")
    return get_visible_or_404(queryset, request.user, "people.import", pk=pk)


@permission_required("people.import")
def import_upload(request):
    if request.method == "POST" and request.POST.get("node"):
        # A scope the user does not hold is answered like a missing one.
        get_visible_or_404(
            import_scope_nodes(request.user), request.user, "people.import", pk=request.POST["node"]
        )
    form = ImportUploadForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        preview = (
            importing.resident_roster_import_preview
            if form.cleaned_data["kind"] == ImportKind.RESIDENT
            else importing.member_roster_import_preview
        )
        upload = form.cleaned_data["file"]
        try:
            batch = preview(
                actor=request.user, node=form.cleaned_data["node"], upload=upload, file_name=upload.name
            )
        except ValidationError as error:
            apply_validation_error(form, error, default_field="file")
        else:
            return redirect("people:import_preview", pk=batch.pk)
    recent = (
        ImportBatch.objects.visible_to(request.user, "people.import")
        .select_related("node")
        .only(*_LIST_FIELDS)[:5]
    )
    return render(request, "people/import/upload.html", {"form": form, "recent": recent})


@permission_required("people.import")
def import_template(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404("没有这种花名册模板。")
    if request.GET.get("node"):
        node = get_visible_or_404(
            import_scope_nodes(request.user), request.user, "people.import", pk=request.GET["node"]
        )
    else:
        node = import_scope_nodes(request.user).first()
        if node is None:
            raise Http404("您没有可导入的范围。")
    data = importing.roster_template(kind=kind, node=node)
    return _xlsx_response(data, f"{ImportKind(kind).label}导入模板（{node.name}）.xlsx")


@permission_required("people.import")
def import_preview(request, pk: int):
    batch = _batch(request, pk)
    errors = Paginator(batch.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/import/preview.html",
        {
            "batch": batch,
            "errors": errors,
            "page": errors,
            "headers": importing.PREVIEW_HEADERS[batch.kind],
            "summary": batch.summary,
        },
    )


@permission_required("people.import")
def import_errors(request, pk: int):
    """Every error of a batch as a workbook (row, column, value as shown, reason), for fixing the file."""
    batch = _batch(request, pk, "kind", "node__path", "file_name", "errors")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误清单")
    header = []
    for title in ("行号", "列", "填写内容", "错误原因"):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for error in batch.errors:
        sheet.append([error["row"], error["column"], error["value"], error["message"]])
    output = io.BytesIO()
    workbook.save(output)
    stem = batch.file_name.rsplit(".", 1)[0] or "花名册"
    return _xlsx_response(output.getvalue(), f"{stem}_错误清单.xlsx")


@require_POST
@permission_required("people.import")
def import_commit(request, pk: int):
    batch = _batch(request, pk, "node__path", "status")
    form = ImportCommitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(form.non_field_errors()))
        return redirect("people:import_preview", pk=batch.pk)
    only_valid = form.cleaned_data["only_valid"]
    try:
        outcome = importing.import_batch_commit(actor=request.user, batch=batch, only_valid=only_valid)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if outcome.committed:
            parts = [f"已导入{outcome.imported}行", f"新增人员{outcome.persons_created}人"]
            if outcome.members_created:
                parts.append(f"登记党员{outcome.members_created}人")
            if outcome.households_created:
                parts.append(f"新建户{outcome.households_created}户")
            if outcome.buildings_created:
                parts.append(f"新建楼栋{outcome.buildings_created}栋")
            if outcome.new_errors:
                parts.append(f"另有{len({e['row'] for e in outcome.new_errors})}行在预览后发生变化，未导入")
            messages.success(request, "，".join(parts) + "。")
        else:
            rows = len({e["row"] for e in outcome.new_errors})
            messages.error(
                request,
                f"提交时发现{rows}行在预览之后发生了变化（如身份证号已被登记），按规定整批未导入。"
                "请查看下方错误清单，修改后重新上传，或确认「只导入无误的行」。",
            )
    return redirect("people:import_preview", pk=batch.pk)


@require_POST
@permission_required("people.import")
def import_discard(request, pk: int):
    batch = _batch(request, pk, "node__path", "status")
    try:
        importing.import_batch_discard(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "该批次已作废，上传的数据已清除。")
    return redirect("people:import_preview", pk=batch.pk)


@permission_required("people.import")
def import_history(request):
    batches = ImportBatch.objects.visible_to(request.user, "people.import").select_related("node")
    filters = {"kind": request.GET.get("kind", ""), "status": request.GET.get("status", "")}
    if filters["kind"] in ImportKind.values:
        batches = batches.filter(kind=filters["kind"])
    if filters["status"] in ImportStatus.values:
        batches = batches.filter(status=filters["status"])
    page = Paginator(batches.only(*_LIST_FIELDS).order_by("-created_at", "-id"), BATCHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/import/history.html",
        {"page": page, "filters": filters, "kinds": ImportKind.choices, "statuses": ImportStatus.choices},
    )
