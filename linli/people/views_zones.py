"""党员责任区 and member posts (PPL-5): zones with their buildings and key contact households,
设岗定责 for members without office and 党员示范岗."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.shortcuts import get_visible_or_404, permission_required, require_perm_at

from . import selectors, services
from .choices import PostKind
from .forms import PostForm, SimpleFilterForm, ZoneForm
from .models import Member, MemberPost, ResponsibilityZone
from .views import _page


@permission_required("people.browse")
def zone_list(request):
    form = SimpleFilterForm(request.GET or None, user=request.user)
    rows = selectors.zone_list(user=request.user, node=form.value("node"), is_active=form.is_active())
    return render(
        request,
        "people/zone_list.html",
        {
            "form": form,
            "page": _page(request, rows),
            "can_change": bool(scope_for(request.user).paths_for("people.change")),
        },
    )


def _member_for_change(request, member_pk: int) -> Member:
    member = get_visible_or_404(
        Member.objects.select_related("person", "branch__node"), request.user, "people.view", pk=member_pk
    )
    return member


@permission_required("people.change")
def zone_create(request, member_pk: int):
    member = _member_for_change(request, member_pk)
    form = ZoneForm(request.POST or None, user=request.user, initial={"name": f"{member.person.name}责任区"})
    if request.method == "POST" and form.is_valid():
        try:
            services.zone_create(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, "责任区已划定。")
            return redirect("people:member_detail", pk=member.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"划定党员责任区：{member.person.name}",
            "back_url": reverse("people:member_detail", args=[member.pk]),
        },
    )


@permission_required("people.change")
def zone_edit(request, pk: int):
    zone = get_visible_or_404(
        ResponsibilityZone.objects.select_related("node", "member__person"),
        request.user,
        "people.view",
        pk=pk,
    )
    require_perm_at(request.user, "people.change", zone.node.path)
    initial = {
        "name": zone.name,
        "duties": zone.duties,
        "buildings": list(zone.buildings.values_list("pk", flat=True)),
        "key_households": list(zone.key_households.values_list("pk", flat=True)),
        "is_active": zone.is_active,
    }
    form = ZoneForm(request.POST or None, user=request.user, zone=zone, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.zone_update(actor=request.user, zone=zone, member=zone.member, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="name")
        else:
            messages.success(request, "责任区已保存。")
            return redirect("people:zone_list")
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"编辑责任区：{zone.name}（{zone.member.person.name}）",
            "back_url": reverse("people:zone_list"),
        },
    )


@permission_required("people.browse")
def post_list(request):
    form = SimpleFilterForm(request.GET or None, user=request.user)
    kind = request.GET.get("kind", "")
    rows = selectors.post_list(
        user=request.user,
        node=form.value("node"),
        kind=kind if kind in PostKind.values else "",
        current=form.is_active() is not False,
    )
    return render(
        request,
        "people/post_list.html",
        {
            "form": form,
            "kind": kind,
            "kinds": PostKind.choices,
            "page": _page(request, rows),
            "can_change": bool(scope_for(request.user).paths_for("people.change")),
        },
    )


@permission_required("people.change")
def post_create(request, member_pk: int):
    member = _member_for_change(request, member_pk)
    form = PostForm(
        request.POST or None,
        user=request.user,
        initial={"start_date": timezone.localdate(), "kind": request.GET.get("kind", PostKind.DUTY)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_post_create(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="title")
        else:
            messages.success(request, "岗位已设立。")
            return redirect("people:member_detail", pk=member.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"设岗定责 / 示范岗：{member.person.name}",
            "back_url": reverse("people:member_detail", args=[member.pk]),
        },
    )


@permission_required("people.change")
def post_edit(request, pk: int):
    post = get_visible_or_404(
        MemberPost.objects.select_related("node", "member__person"), request.user, "people.view", pk=pk
    )
    require_perm_at(request.user, "people.change", post.node.path)
    fields = ("kind", "title", "duties", "start_date", "end_date")
    form = PostForm(
        request.POST or None, user=request.user, editing=True, initial={f: getattr(post, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_post_update(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="title")
        else:
            messages.success(request, "岗位已保存。")
            return redirect("people:post_list")
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"编辑岗位：{post.title}（{post.member.person.name}）",
            "back_url": reverse("people:post_list"),
        },
    )
