import shutil
import tempfile

import pytest

from tests.world import build_world


def pytest_collection_modifyitems(session, config, items):
    """Tests on the committed world run last: the others expect an empty database.

    The world stays in the test database for the rest of the session once a test
    has used it, so a test that counts rows would otherwise pass or fail by order.
    """
    items.sort(key=lambda item: "world" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread (LocaleMiddleware does not reset it)."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded files of the test run go to a temporary folder, not ./media."""
    from django.conf import settings

    path = tempfile.mkdtemp(prefix="yinling-media-")
    settings.MEDIA_ROOT = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def _committed_world(django_db_setup, django_db_blocker):
    """Built and committed once per session, so hundreds of access tests share it."""
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
def users(world):
    return world.users


@pytest.fixture
def world(_committed_world, db):
    """Two counties with one record of every kind, and a user of each role (see tests/world.py).

    A browser test (transactional) empties the database when it ends; a test that
    runs after one gets a world rebuilt inside its own transaction.
    """
    from core.models import User

    if User.objects.filter(pk=_committed_world.users["admin"].pk).exists():
        return _committed_world
    return build_world()
