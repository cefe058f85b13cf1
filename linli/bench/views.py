"""The framework floor: the same middleware and login as every page, one trivial indexed query, a minimal template."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from linli.orgs.models import OrgNode


@login_required
def floor(request):
    root = OrgNode.objects.filter(pk=1).values_list("name", flat=True).first()
    return render(request, "bench/floor.html", {"root": root})
