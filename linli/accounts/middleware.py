"""Session security: log out after idle minutes, and send users who must change their password to do so."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

_TOUCH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("linli_last_seen")
            limit = settings.LINLI_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - last > limit:
                logout(request)
                messages.info(
                    request, f"您已超过{settings.LINLI_IDLE_TIMEOUT_MINUTES}分钟未操作，请重新登录。"
                )
                return redirect(settings.LOGIN_URL)
            # Write the session at most once a minute, not on every request.
            if last is None or now - last > _TOUCH_EVERY_SECONDS:
                request.session["linli_last_seen"] = now
            if user.must_change_password:
                allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
                if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                    return redirect("accounts:password_change")
        return self.get_response(request)
