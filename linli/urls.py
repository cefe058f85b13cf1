"""Root URL configuration: one include per app; the API lives under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("linli.reports.urls")),
    path("accounts/", include("linli.accounts.urls")),
    path("core/", include("linli.core.urls")),
    path("orgs/", include("linli.orgs.urls")),
    path("people/", include("linli.people.urls")),
]
