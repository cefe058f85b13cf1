"""Orgs: the organisation tree (区→街道→社区→小区→网格, units), Party organisations, buildings and households."""

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "linli.orgs"
    label = "orgs"
    verbose_name = "组织与网格"
