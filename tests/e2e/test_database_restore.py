"""After a browser test the database is put back exactly as every other test finds it.

Not a browser test, but transactional like them (it commits), so it lives here.
"""

import re

import pytest
from django.db import connection

from branches.models import Activity
from core.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_committed_state_comes_back_row_for_row(shared_database, e2e_world):
    Activity.objects.filter(pk=e2e_world.inside.activity.pk).update(topic="改过的主题")
    User.objects.filter(pk=e2e_world.users["leader"].pk).delete()

    shared_database.restore()

    assert _at_milliseconds(connection.creation.serialize_db_to_string()) == _at_milliseconds(shared_database.snapshot)
    assert shared_database.is_emptied() is False
    assert Activity.objects.get(pk=e2e_world.inside.activity.pk).topic == e2e_world.inside.activity.topic


def _at_milliseconds(serialized: str) -> str:
    """Django's serializer writes times to the millisecond: a time with fewer than 1,000 microseconds
    comes out as "…:18.000Z" before the restore and, stored back as :18 exactly, "…:18Z" after it."""
    return re.sub(r'\.000Z"', 'Z"', serialized)
