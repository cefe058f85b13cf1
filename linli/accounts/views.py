"""Pages of the accounts app: login/logout, own password, account management, login security."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from linli.core.forms import apply_validation_error
from linli.core.models import AuditEntry
from linli.core.shortcuts import permission_required

from . import services
from .forms import (
    GrantForm,
    LoginForm,
    OwnPasswordChangeForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
)
from .models import RoleGrant, User


def login_view(request):
    if request.user.is_authenticated:
        return redirect("reports:home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        auth_login(request, user)
        services.login_success_record(user=user)
        target = request.POST.get("next") or request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("reports:home")
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.logout_record(user=request.user)
    auth_logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(
            actor=request.user,
            user=request.user,
            password=form.cleaned_data["new_password1"],
            must_change=False,
        )
        request.user.refresh_from_db()
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("reports:home")
    return render(request, "accounts/password_change.html", {"form": form})


@permission_required("accounts.manage")
def user_list(request):
    q = request.GET.get("q", "").strip()
    users = User.objects.order_by("username").prefetch_related(
        Prefetch(
            "grants",
            queryset=RoleGrant.objects.filter(is_active=True).select_related("node"),
            to_attr="active_grants",
        )
    )
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@permission_required("accounts.manage")
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="password")
        else:
            messages.success(request, f"账号「{user.username}」已创建。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建账号"})


@permission_required("accounts.manage")
def user_detail(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    grants = user.grants.filter(is_active=True).select_related("node")
    edit_form = UserEditForm(initial={"display_name": user.display_name, "is_active": user.is_active})
    grant_form = GrantForm()
    reset_form = PasswordResetForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "edit":
                edit_form = UserEditForm(request.POST)
                if edit_form.is_valid():
                    services.user_update(
                        actor=request.user, user=user, person=user.person, **edit_form.cleaned_data
                    )
                    messages.success(request, "账号信息已保存。")
                    return redirect("accounts:user_detail", pk=pk)
            elif action == "grant":
                grant_form = GrantForm(request.POST)
                if grant_form.is_valid():
                    services.role_grant(actor=request.user, user=user, **grant_form.cleaned_data)
                    messages.success(request, "已授权。")
                    return redirect("accounts:user_detail", pk=pk)
            elif action == "password":
                reset_form = PasswordResetForm(request.POST)
                if reset_form.is_valid():
                    services.user_set_password(
                        actor=request.user,
                        user=user,
                        password=reset_form.cleaned_data["password"],
                        must_change=True,
                    )
                    messages.success(request, "密码已重置，用户下次登录须修改。")
                    return redirect("accounts:user_detail", pk=pk)
        except ValidationError as error:
            target = {"edit": edit_form, "grant": grant_form, "password": reset_form}.get(action, grant_form)
            apply_validation_error(target, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "grants": grants,
            "edit_form": edit_form,
            "grant_form": grant_form,
            "reset_form": reset_form,
        },
    )


@require_POST
@permission_required("accounts.manage")
def grant_revoke(request, pk: int):
    grant = get_object_or_404(RoleGrant, pk=pk, is_active=True)
    try:
        services.role_revoke(actor=request.user, grant=grant)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已撤销授权。")
    return redirect("accounts:user_detail", pk=grant.user_id)


@permission_required("accounts.security")
def security(request):
    locked = User.objects.filter(locked_until__gt=timezone.now()).order_by("username")
    failures = AuditEntry.objects.filter(action__in=["login_failed", "lock", "unlock"]).order_by("-at")[:100]
    return render(request, "accounts/security.html", {"locked": locked, "failures": failures})


@require_POST
@permission_required("accounts.security")
def unlock(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, f"账号「{user.username}」已解锁。")
    return redirect("accounts:security")
