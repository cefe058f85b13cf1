"""Fixtures of the home page tests: the registry records people adds on top of the standard world."""

from linli.people.tests.conftest import registry  # noqa: F401 -- a fixture shared with the people tests
