"""Fixtures shared by every test: the standard small world and logged-in clients."""

import pytest

from linli.testing.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL's row locks; on SQLite they are skipped, and CI runs them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run by .ci/run with DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
