"""Helpers shared by the bank's pages: calling a service and showing its refusal, picking a station."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.core.forms import apply_validation_error
from linli.core.scope import scope_for
from linli.core.statemachine import TransitionError

from ..models import Depositor, Station


def attempt(
    request, call: Callable[[], Any], *, form=None, default_field: str | None = None
) -> tuple[bool, Any]:
    """Run a service call; a refusal goes onto the form (or into messages) and nothing was changed."""
    try:
        return True, call()
    except ValidationError as error:
        if form is not None:
            apply_validation_error(form, error, default_field)
        else:
            messages.error(request, "；".join(error.messages))
    except TransitionError as error:
        if form is not None:
            form.add_error(None, str(error))
        else:
            messages.error(request, str(error))
    return False, None


def any_permission(*permissions: str) -> Callable:
    """Login and a role carrying one of the permissions (e.g. a resident or a grid worker)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            scope = scope_for(request.user)
            if not any(scope.has_perm(p) for p in permissions):
                raise PermissionDenied("您的角色无权使用此功能。")
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def pick_station(request, stations: list[Station]) -> Station | None:
    """The station named by ?station= among those given (404 if it is not one of them), else the first."""
    wanted = request.GET.get("station") or request.POST.get("station")
    if wanted:
        for station in stations:
            if str(station.pk) == wanted:
                return station
        raise Http404("未找到该驿站，或您无权查看。")
    return stations[0] if stations else None


def my_depositor(request) -> Depositor:
    """The signed-in resident's own depositor, opened on first visit."""
    from ..services import depositor_open

    person_id = request.user.person_id
    if person_id is None:
        raise PermissionDenied("您的账号没有关联居民信息，请联系社区工作人员。")
    depositor = (
        Depositor.objects.select_related("points_account", "hours_account", "community", "node", "person")
        .filter(person_id=person_id)
        .first()
    )
    if depositor is not None:
        return depositor
    try:
        depositor_open(actor=request.user, person=request.user.person)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from None
    return Depositor.objects.select_related(
        "points_account", "hours_account", "community", "node", "person"
    ).get(person_id=person_id)


def num(value) -> str:
    return f"{value.normalize():f}"
