"""Points: the Party member points system (党员积分制) — schemes, the eleven-step year, grades (PTS)."""

from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "linli.points"
    label = "points"
    verbose_name = "党员积分"
