"""Home page: what the signed-in user's roles need first, with figures computed for their scope."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from linli.core.scope import scope_for


@login_required
def home(request):
    scope = scope_for(request.user)
    return render(request, "reports/home.html", {"scope": scope})
