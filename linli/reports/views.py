"""Home page: what the signed-in user's roles need first, with figures computed for their scope."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from linli.core.scope import scope_for

from . import selectors


@login_required
def home(request):
    scope = scope_for(request.user)
    context = {"scope": scope, "dashboard": None, "member_home": None, "resident_home": None}
    if scope.has_perm("people.browse"):
        dashboard = selectors.staff_dashboard(user=request.user)
        context["dashboard"] = dashboard
        context["chart_data"] = {
            "categories": [
                {"name": f.label, "value": f.value, "url": f.url} for f in dashboard.members_by_category
            ],
            "tags": [{"name": f.label, "value": f.value, "url": f.url} for f in dashboard.households_by_tag],
        }
    if scope.member_id is not None:
        context["member_home"] = selectors.member_home(user=request.user)
    context["resident_home"] = selectors.resident_home(user=request.user)
    return render(request, "reports/home.html", context)
