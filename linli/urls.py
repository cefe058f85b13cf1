"""Root URL configuration: one include per app for pages; each app's `api.py` is mounted under /api/v1/<app>/."""

import importlib

from django.apps import apps
from django.urls import include, path


def _api_patterns() -> list:
    """Every linli app with an `api.py` exposing `urlpatterns` gets /api/v1/<label>/ and namespace <label>_api."""
    patterns = []
    for config in apps.get_app_configs():
        if not config.name.startswith("linli."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.api":
                raise
            continue
        patterns.append(path(f"{config.label}/", include((module.urlpatterns, f"{config.label}_api"))))
    return patterns


urlpatterns = [
    path("", include("linli.reports.urls")),
    path("accounts/", include("linli.accounts.urls")),
    path("core/", include("linli.core.urls")),
    path("orgs/", include("linli.orgs.urls")),
    path("people/", include("linli.people.urls")),
    path("points/", include("linli.points.urls")),
    path("bank/", include("linli.bank.urls")),
    path("api/v1/", include(_api_patterns())),
]
