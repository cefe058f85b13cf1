"""URLs of the bank app."""

app_name = "bank"

urlpatterns: list = []
