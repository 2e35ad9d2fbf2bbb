"""Helpers of the volunteers tests: more volunteers and records in the world's inside county."""

import datetime as dt
from decimal import Decimal

import pytest

from core.scoping import Role
from tests import factories as f
from volunteers import models as v
from volunteers import services


@pytest.fixture
def inside(world):
    return world.inside


@pytest.fixture
def director(world):
    return world.users[Role.COMMITTEE_DIRECTOR]


@pytest.fixture
def team_leader(world):
    """The branch secretary's person leads the world's team: their records wait for confirmation."""
    return world.users[Role.BRANCH_SECRETARY]


@pytest.fixture
def make_volunteer(inside):
    count = iter(range(100, 10_000))

    def make(committee=None, **fields):
        committee = committee or inside.committee
        person = f.PersonFactory(region=committee.region)
        defaults = {
            "category": v.Volunteer.Category.TEACHER,
            "registered_on": dt.date(2024, 1, 1),
            "number": f"T{next(count):05d}",
        }
        return v.Volunteer.objects.create(person=person, committee=committee, **(defaults | fields))

    return make


@pytest.fixture
def record(inside, director):
    """`record(volunteers, hours=2, by=director, day=...)`: a service record through the service."""

    def make(
        volunteers, hours="2", by=None, day=dt.date(2026, 5, 4), kind=v.ServiceRecord.Kind.DROWNING_PATROL, **fields
    ):
        row = v.ServiceRecord(committee=inside.committee, served_on=day, kind=kind, **fields)
        return services.service_record_save(
            by=by or director, record=row, hours={vol: Decimal(str(hours)) for vol in volunteers}
        )

    return make


@pytest.fixture
def new_retiree(inside):
    """A retiree of the world's branch (run with the committee: 党支部+关工委) not yet a volunteer."""
    person = f.PersonFactory(region=inside.town, name="周秀英")
    return f.RetireeFactory(
        person=person, branch=inside.branch, former_unit="镇人民政府", former_post="副镇长", skills=["education"]
    )
