"""Reports: home pages per role, dashboards, big screen, periodic reports (RPT); reads every app's selectors."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "linli.reports"
    label = "reports"
    verbose_name = "统计报表"
