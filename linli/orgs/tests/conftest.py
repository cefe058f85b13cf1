"""Fixtures of the organisation tests: the registry records people adds, so figures and coverage have data."""

from linli.people.tests.conftest import registry  # noqa: F401 -- a fixture shared with the people tests
