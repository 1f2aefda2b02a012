import pytest

from netlearn.networks.tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()
