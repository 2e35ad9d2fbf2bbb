"""`core.access.prefetch`: a list's `can` answers in one query per action, the same answers as row by row."""

import pytest

from branches.models import GuidanceVisit, Post
from core import access
from core.models import User
from core.scoping import Role

pytestmark = pytest.mark.django_db

ACTIONS = (access.VIEW, access.CHANGE, access.ARCHIVE)


def fresh(user) -> User:
    """The user loaded again: no cached permissions or answers."""
    return User.objects.get(pk=user.pk)


def _posts(world) -> list[Post]:
    return [world.inside.secretary_post, world.inside.director_post, world.outside.secretary_post]


@pytest.mark.parametrize("role", list(Role))
def test_prefetched_answers_are_the_answers_of_can(world, role):
    one_by_one, prefetched = fresh(world.users[role]), fresh(world.users[role])
    posts = _posts(world)

    access.prefetch(prefetched, posts, *ACTIONS)

    for action in ACTIONS:
        for post in posts:
            assert access.can(prefetched, action, post) is access.can(one_by_one, action, post), (action, post)


def test_after_prefetching_can_asks_no_more_queries(world, django_assert_num_queries):
    user = fresh(world.users[Role.COUNTY_STAFF])
    posts = _posts(world)
    access.can(user, access.VIEW, world.inside.branch)  # the role's permissions and region load once per user

    with django_assert_num_queries(len(ACTIONS)):
        access.prefetch(user, posts, *ACTIONS)
    with django_assert_num_queries(0):
        answers = [access.can(user, action, post) for action in ACTIONS for post in posts]

    assert answers == [True, True, False] * len(ACTIONS)


def test_prefetch_asks_nothing_for_an_action_the_role_lacks(world, django_assert_num_queries):
    user = fresh(world.users[Role.BRANCH_SECRETARY])
    visits = [world.inside.guidance_visit]
    user.has_perm("branches.view_guidancevisit")

    with django_assert_num_queries(1):  # view only: no change or delete permission
        access.prefetch(user, visits, *ACTIONS)

    assert access.can(user, access.VIEW, visits[0]) is True
    assert access.can(user, access.CHANGE, visits[0]) is False


def test_prefetch_of_nothing_asks_nothing(world, django_assert_num_queries):
    user = fresh(world.users[Role.COUNTY_STAFF])

    with django_assert_num_queries(0):
        access.prefetch(user, [], *ACTIONS)
        access.prefetch(user, [GuidanceVisit()], access.VIEW)
