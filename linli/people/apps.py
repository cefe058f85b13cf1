"""People: persons, Party members, in-service and floating members, responsibility zones, cadres (PPL)."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "linli.people"
    label = "people"
    verbose_name = "人员与党员"

    def ready(self) -> None:
        # Residents and members per node, coverage checks and cadre blocks on the organisation pages.
        from . import extensions  # noqa: F401
