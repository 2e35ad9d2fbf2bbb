"""`{% person_name person %}`: names only for roles that work with people (every role but the leader)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from core.models import Person, User
from core.scoping import Role

pytestmark = pytest.mark.django_db


def render(context: dict) -> str:
    return Template("{% person_name person %}").render(Context(context))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.LEADER])
def test_roles_that_work_with_people_see_the_name(world, role):
    user = User.objects.get(pk=world.users[role].pk)

    assert render({"user": user, "person": world.inside.person}) == world.inside.person.name


def test_a_leader_sees_a_neutral_label_instead(world):
    user = User.objects.get(pk=world.users[Role.LEADER].pk)

    shown = render({"user": user, "person": world.inside.person})

    assert shown != ""  # a neutral label: the page still says someone holds the post
    assert world.inside.person.name not in shown


def test_the_tag_falls_back_to_the_request_user_and_escapes_the_name(world):
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=world.users[Role.COUNTY_STAFF].pk)

    shown = render({"request": request, "person": Person(name="<b>王</b>")})

    assert shown == "&lt;b&gt;王&lt;/b&gt;"


def test_no_person_shows_nothing(world):
    assert render({"user": world.users[Role.COUNTY_STAFF], "person": None}) == ""
