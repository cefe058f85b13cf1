"""Forms of the accounts app: login with lockout, password change, user and grant editing."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.utils import timezone

from linli.core.forms import LongSelect
from linli.core.roles import Role
from linli.orgs.models import OrgNode

from . import services
from .models import User


class LoginForm(forms.Form):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        username = self.cleaned_data.get("username", "")
        password = self.cleaned_data.get("password", "")
        if not username or not password:
            return self.cleaned_data
        existing = User.objects.filter(username__iexact=username).first()
        if existing is not None and existing.is_locked:
            until = timezone.localtime(existing.locked_until)
            raise forms.ValidationError(f"账号已锁定，请于 {until:%H:%M} 后再试，或联系安全管理员解锁。")
        self.user_cache = authenticate(
            self.request, username=existing.username if existing else username, password=password
        )
        if self.user_cache is None:
            user = services.login_failure_record(username=username)
            if user is not None and user.is_locked:
                raise forms.ValidationError("连续登录失败次数过多，账号已锁定，请稍后再试或联系安全管理员。")
            raise forms.ValidationError("用户名或密码不正确。")
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class OwnPasswordChangeForm(PasswordChangeForm):
    pass


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, help_text="首次登录须修改。")


class UserEditForm(forms.Form):
    display_name = forms.CharField(label="姓名", max_length=50, required=False)
    is_active = forms.BooleanField(label="启用", required=False)


class PasswordResetForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput, help_text="用户下次登录须修改。")


class GrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=[(r.value, r.label) for r in Role if r != Role.SYSADMIN])
    node = forms.ModelChoiceField(
        label="授权节点",
        queryset=OrgNode.objects.exclude(kind="area").order_by("path"),
        required=False,
        help_text="区/街道/社区管理员、网格员、单位联系人须选择节点；党员、居民和三员不选。",
        widget=LongSelect,
    )
