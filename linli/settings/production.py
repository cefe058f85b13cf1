"""Production settings: every secret from the environment, HTTPS and strict cookies by default."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env_bool

for _name in ("DJANGO_SECRET_KEY", "LINLI_FIELD_KEY", "LINLI_HASH_KEY"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {_name}（可用 `linli genkeys` 生成）。")

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
LINLI_FIELD_KEY = os.environ["LINLI_FIELD_KEY"]
LINLI_HASH_KEY = os.environ["LINLI_HASH_KEY"]

# An intranet behind a TLS-terminating proxy is the expected deployment; LINLI_HTTPS=0 is for a
# plain-HTTP loopback run such as the benchmark's load test.
_https = env_bool("LINLI_HTTPS", True)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = int(os.environ.get("LINLI_HSTS_SECONDS", "31536000")) if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# W021 (HSTS preload): an intranet host can never be on the browsers' public preload list.
SILENCED_SYSTEM_CHECKS = ["security.W021"] + (
    [] if _https else ["security.W004", "security.W008", "security.W012", "security.W016"]
)
# WhiteNoise serves the collected static files (npm packages included) from the app server itself.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
