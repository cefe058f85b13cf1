"""Core: the shared machinery every domain app builds on (scope, audit, personal data, state machines)."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = "基础设施"

    def ready(self) -> None:
        # Each app declares its permissions in access.py and its menu entries in nav.py.
        autodiscover_modules("access")
        autodiscover_modules("nav")
