"""Fixtures shared by every test: the standard small world and logged-in clients."""

import pytest

from linli.testing.world import build_world


@pytest.fixture
def world(db):
    return build_world()
