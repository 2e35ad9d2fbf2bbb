"""The access matrix's thousands of tests only read the world's objects: they get the world
itself rather than a copy of it (a copy costs about 10 ms, 40 s of the suite here)."""

import pytest


@pytest.fixture
def world(shared_database, db):
    return shared_database.world
