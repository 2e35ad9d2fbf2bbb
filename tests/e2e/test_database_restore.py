"""After a browser test the database is put back exactly as every other test finds it.

Not a browser test, but transactional like them (it commits), so it lives here.
"""

import pytest

from branches.models import Activity
from core.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_committed_state_comes_back_row_for_row(shared_database, e2e_world):
    Activity.objects.filter(pk=e2e_world.inside.activity.pk).update(topic="改过的主题")
    User.objects.filter(pk=e2e_world.users["leader"].pk).delete()

    assert set(shared_database.changed_tables()) >= {"branches_activity", "core_user"}  # the check can fail

    shared_database.restore()

    assert shared_database.changed_tables() == []
    assert shared_database.is_emptied() is False
    assert Activity.objects.get(pk=e2e_world.inside.activity.pk).topic == e2e_world.inside.activity.topic
