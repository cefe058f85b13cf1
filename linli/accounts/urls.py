"""URLs of the accounts app."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("security/", views.security, name="security"),
    path("security/<int:pk>/unlock/", views.unlock, name="unlock"),
]
