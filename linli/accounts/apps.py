"""Accounts: users, role grants on tree nodes, login security and the three system roles (三员分立)."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "linli.accounts"
    label = "accounts"
    verbose_name = "账号与权限"
