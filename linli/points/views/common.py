"""Helpers shared by the points pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from linli.core.scope import scope_for
from linli.core.statemachine import TransitionError
from linli.people.models import Member


def own_member(user: Any) -> Member:
    """The signed-in member's own record (党员 role); 404 when the account is not linked to a member."""
    scope = scope_for(user)
    if not scope.member_id:
        raise Http404("您的账号未关联党员信息。")
    return Member.objects.select_related("person", "branch__node").get(pk=scope.member_id)


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error)


def flash_error(request, error: ValidationError | TransitionError) -> None:
    if isinstance(error, ValidationError) and len(error.messages) > 1 and hasattr(error, "error_list"):
        for message in error.messages:
            messages.error(request, message)
        return
    messages.error(request, error_text(error))


def safe_next(request, default: str) -> str:
    """The page to return to after a POST: only a path on this site, else the default."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
