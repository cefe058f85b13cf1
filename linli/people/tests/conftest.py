"""Fixtures of the registry tests: the standard world plus floating, in-service, zone, post and cadre records."""

from types import SimpleNamespace

import pytest

from linli.people.tests import registry_data


@pytest.fixture
def registry(world):
    return SimpleNamespace(
        floating=registry_data.add_floating(world),
        inservice=registry_data.add_inservice(world),
        zone=registry_data.add_zone(world),
        post=registry_data.add_post(world),
        cadres=registry_data.add_cadres(world),
    )
