"""Core pages: the audit log, readable only by the audit administrator (审计管理员)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from linli.core.shortcuts import permission_required

from .choices import AuditAction
from .models import AuditEntry


@permission_required("core.view_audit")
def audit_list(request):
    entries = AuditEntry.objects.all()
    filters = {
        "actor": request.GET.get("actor", "").strip(),
        "action": request.GET.get("action", ""),
        "target": request.GET.get("target", "").strip(),
        "since": request.GET.get("since", ""),
        "until": request.GET.get("until", ""),
    }
    if filters["actor"]:
        entries = entries.filter(actor_name__icontains=filters["actor"])
    if filters["action"] in AuditAction.values:
        entries = entries.filter(action=filters["action"])
    if filters["target"]:
        entries = entries.filter(target_repr__icontains=filters["target"])
    if filters["since"]:
        entries = entries.filter(at__date__gte=filters["since"])
    if filters["until"]:
        entries = entries.filter(at__date__lte=filters["until"])
    page = Paginator(entries.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request, "core/audit_list.html", {"page": page, "filters": filters, "actions": AuditAction.choices}
    )
