import pytest

from core.scoping import Role


@pytest.fixture
def inside(world):
    return world.inside


@pytest.fixture
def office(world):
    """Committee staff of the inside county: the county committee's office."""
    return world.users[Role.COMMITTEE_STAFF]


@pytest.fixture
def director(world):
    """The executive director of the inside town committee (which handles the world's cases)."""
    return world.users[Role.COMMITTEE_DIRECTOR]
