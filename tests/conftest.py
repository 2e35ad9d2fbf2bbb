import shutil
import tempfile

import pytest

from tests.world import build_world


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded files of the test run go to a temporary folder, not ./media."""
    from django.conf import settings

    path = tempfile.mkdtemp(prefix="yinling-media-")
    settings.MEDIA_ROOT = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def world(django_db_setup, django_db_blocker):
    """Two counties with one record of every kind, and a user of each role (see tests/world.py)."""
    from django.db import connection

    # A test module that uses `world` without the django_db mark gets no test
    # database: refuse rather than write into the development database.
    assert connection.settings_dict["NAME"].startswith("test_"), "mark the test module with pytest.mark.django_db"
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            built = build_world()
    return built


@pytest.fixture
def users(world, db):
    return world.users
