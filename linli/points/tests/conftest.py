"""Fixtures of the points tests: the points world on top of the standard world."""

import pytest

from .builders import PointsWorld, build_points_world


@pytest.fixture
def pw(world) -> PointsWorld:
    return build_points_world(world)
