"""Transfers between counties (跨县组织关系转接), in the world of tests/world.py: two counties.

The inside county (its county staff is `world.users["county_staff"]`) receives
a retiree registered in the outside county, whose county staff decide.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import models as b
from branches.services import people as services
from core.models import Person, Region
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

CREATE = reverse("branches:transferrequest_create")
LIST = reverse("branches:transferrequest_list")


@pytest.fixture
def receiving(world):
    return world.users[Role.COUNTY_STAFF]


@pytest.fixture
def sending(world):
    return f.UserFactory(role=Role.COUNTY_STAFF, region=world.outside.region)


@pytest.fixture
def moving(world):
    """The outside county's retiree who moved to the inside county."""
    return world.outside.retiree


def _ask(client, world, user, person, **overrides):
    client.force_login(user)
    data = {"id_number": person.id_number, "name": person.name, "to_branch": world.inside.branch.pk, **overrides}
    return client.post(CREATE, data)


def _only_request(world, person) -> b.TransferRequest:
    return b.TransferRequest.objects.exclude(pk=world.outside.transfer_request.pk).get(id_number=person.id_number)


def _url(name, transfer) -> str:
    return reverse(f"branches:transferrequest_{name}", args=[transfer.pk])


def _row(transfer) -> dict:
    return b.TransferRequest.all_objects.filter(pk=transfer.pk).values().get()


# --- asking ----------------------------------------------------------------------------------


def test_the_registration_refusal_offers_a_request_filled_in_from_the_form(client, world, receiving, moving):
    client.force_login(receiving)
    registration = {
        "name": moving.person.name,
        "id_number": moving.person.id_number,
        "branch": world.inside.branch.pk,
        "joined_on": "2026年7月1日",
        "status": "retired",
    }
    refused = client.post(reverse("branches:retiree_create"), registration)
    assert f'formaction="{CREATE}"' in refused.content.decode()

    response = client.post(CREATE, {**registration, "from_registration": "1"})

    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert (form.initial["id_number"], form.initial["name"]) == (moving.person.id_number, moving.person.name)
    assert str(form.initial["to_branch"]) == str(world.inside.branch.pk)
    assert (
        b.TransferRequest.objects.filter(id_number=moving.person.id_number, to_branch=world.inside.branch).exists()
        is False
    )


def test_the_receiving_side_sees_only_what_it_typed_masked(client, world, receiving, moving):
    response = _ask(client, world, receiving, moving.person)
    assert response.status_code == 302
    transfer = _only_request(world, moving.person)
    assert (transfer.status, transfer.retiree, transfer.requested_by) == ("pending", moving, receiving)

    page = client.get(LIST, {"direction": "in"})

    html = page.content.decode()
    assert transfer.masked_name in html
    assert transfer.masked_name == moving.person.name[0] + "**"
    assert transfer.masked_id_number in html
    assert moving.person.name not in html
    assert moving.person.id_number not in html
    assert moving.get_absolute_url() not in html
    assert _url("withdraw", transfer) in html
    assert _url("accept", transfer) not in html


def test_a_number_registered_nowhere_is_answered_the_same(client, world, receiving, sending):
    nobody = Person(name="王建国", id_number=f.make_id_number("511102", dt.date(1950, 1, 2), 9, True))
    known = _ask(client, world, receiving, world.outside.person)
    unknown = _ask(client, world, receiving, nobody)

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    transfer = _only_request(world, nobody)
    assert (transfer.status, transfer.retiree) == ("pending", None)
    client.force_login(sending)
    assert transfer.masked_id_number not in client.get(LIST, {"direction": "out"}).content.decode()
    assert client.post(_url("accept", transfer)).status_code == 404


def test_a_person_the_county_may_change_is_not_asked_for(client, world, receiving):
    response = _ask(client, world, receiving, world.inside.person)
    assert response.status_code == 200
    assert "本县" in response.context["form"].errors["id_number"][0]


def test_one_pending_request_per_number_and_branch(client, world, receiving, moving):
    _ask(client, world, receiving, moving.person)
    response = _ask(client, world, receiving, moving.person)
    assert response.status_code == 200
    assert "等待处理" in str(response.context["form"].errors)


# --- who may do what -------------------------------------------------------------------------


def test_each_side_may_do_only_its_part(client, world, receiving, sending, moving):
    _ask(client, world, receiving, moving.person)
    transfer = _only_request(world, moving.person)
    before = _row(transfer)
    third = f.UserFactory(
        role=Role.COUNTY_STAFF,
        region=f.RegionFactory(code="441322000000", name="博罗县", level=Region.Level.COUNTY),
    )

    client.force_login(receiving)
    assert client.post(_url("accept", transfer)).status_code == 403
    assert client.post(_url("decline", transfer)).status_code == 403
    client.force_login(sending)
    assert client.post(_url("withdraw", transfer)).status_code == 403
    client.force_login(third)
    for action in ("accept", "decline", "withdraw"):
        assert client.post(_url(action, transfer)).status_code == 404

    assert _row(transfer) == before


def test_the_sending_side_sees_its_retiree_and_decides(client, world, receiving, sending, moving):
    _ask(client, world, receiving, moving.person, note="随子女迁居灵溪镇")
    transfer = _only_request(world, moving.person)
    client.force_login(sending)

    html = client.get(LIST, {"direction": "out"}).content.decode()

    assert moving.person.name in html
    assert moving.get_absolute_url() in html
    assert "随子女迁居灵溪镇" in html
    assert _url("accept", transfer) in html
    assert _url("withdraw", transfer) not in html


# --- deciding --------------------------------------------------------------------------------


def test_accepting_moves_the_retiree_and_their_record_to_the_receiving_county(
    client, world, receiving, sending, moving
):
    _ask(client, world, receiving, moving.person)
    transfer = _only_request(world, moving.person)
    client.force_login(sending)

    response = client.post(_url("accept", transfer))

    assert response.status_code == 302
    today = timezone.localdate()
    moving.refresh_from_db()
    assert moving.branch == world.inside.branch
    old, new = moving.memberships.order_by("start_on")
    assert (old.branch, old.end_on, old.end_reason) == (world.outside.branch, today, "transferred")
    assert (new.branch, new.start_on, new.end_on) == (world.inside.branch, today, None)
    assert Person.objects.get(pk=moving.person_id).region == world.inside.branch.region
    world.outside.care_pair.refresh_from_db()
    assert world.outside.care_pair.ended_on == today
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by, transfer.from_region) == (
        "accepted",
        sending,
        world.outside.branch.region,
    )
    # The record now belongs to the receiving county, and only to it.
    assert client.get(moving.get_absolute_url()).status_code == 404
    assert transfer.masked_id_number in client.get(LIST, {"direction": "out"}).content.decode()
    client.force_login(receiving)
    assert client.get(moving.get_absolute_url()).status_code == 200
    assert client.get(moving.person.get_absolute_url()).status_code == 200
    assert moving.person.name in client.get(LIST, {"direction": "in"}).content.decode()


def test_declining_moves_nothing(client, world, receiving, sending, moving):
    _ask(client, world, receiving, moving.person)
    transfer = _only_request(world, moving.person)
    client.force_login(sending)

    assert client.post(_url("decline", transfer)).status_code == 302

    transfer.refresh_from_db()
    moving.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == ("declined", sending)
    assert moving.branch == world.outside.branch
    assert client.post(_url("accept", transfer)).status_code == 403  # decided: no second answer


def test_the_requesting_side_may_withdraw_while_pending(client, world, receiving, moving):
    _ask(client, world, receiving, moving.person)
    transfer = _only_request(world, moving.person)
    assert client.post(_url("withdraw", transfer)).status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == ("withdrawn", receiving)


def test_a_retiree_who_had_left_joins_the_receiving_branch(world, receiving, sending, moving):
    services.retiree_leave(retiree=moving, on=timezone.localdate() - dt.timedelta(days=30), reason="left", by=sending)
    transfer = services.transfer_request(
        id_number=moving.person.id_number, name=moving.person.name, to_branch=world.inside.branch, by=receiving
    )
    assert transfer.retiree == moving

    accepted = services.transfer_accept(request=transfer, by=sending)

    moving.refresh_from_db()
    assert moving.branch == world.inside.branch
    assert moving.memberships.get(end_on__isnull=True).start_reason == "transferred"
    assert accepted.from_region == world.outside.town  # where the person lived: the branch was gone


def _ask_for_new_retirees(world, receiving, n):
    for _ in range(n):
        person = f.PersonFactory(region=world.outside.town)
        f.RetireeFactory(person=person, branch=world.outside.branch)
        services.transfer_request(
            id_number=person.id_number, name=person.name, to_branch=world.inside.branch, by=receiving
        )


@pytest.mark.parametrize("direction", ["in", "out"])
def test_the_list_query_count_does_not_grow(client, world, receiving, sending, direction):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = receiving if direction == "in" else sending
    client.force_login(user)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"direction": direction}).status_code == 200
        return len(captured)

    _ask_for_new_retirees(world, receiving, 1)
    few = queries()
    _ask_for_new_retirees(world, receiving, 5)
    assert queries() == few
