"""URLs of the people app."""

app_name = "people"

urlpatterns: list = []


# --- Roster import (PPL-7). Kept as the last block of this file so it merges cleanly. ---
from django.urls import path  # noqa: E402

from . import import_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/history/", import_views.import_history, name="import_history"),
    path("import/template/<slug:kind>/", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/errors/", import_views.import_errors, name="import_errors"),
    path("import/<int:pk>/commit/", import_views.import_commit, name="import_commit"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
