"""URLs of the points app."""

app_name = "points"

urlpatterns: list = []
