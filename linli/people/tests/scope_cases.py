"""Scope cases for the people pages; each area keeps its cases in its own module, registered on import."""

from . import scope_cases_import  # noqa: F401  (roster import, PPL-7)
