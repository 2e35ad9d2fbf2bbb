"""`/lookup/<kind>/`: what pickers may offer, to whom, and how typed text finds it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import access
from core.lookups import LIMIT, get_lookup
from core.scoping import Role
from tests.access.matrix import ROLES, everyone, expect
from tests.factories import BranchFactory, PersonFactory, RetireeFactory

pytestmark = pytest.mark.django_db

# Who may use each kind: the view permission of its model (and, for people, core.view_personal_data).
STATUS = {
    "person": expect(county=200, committee=200, secretary=403, director=403, leader=403, admin=200),
    "region": expect(county=200, committee=200, secretary=403, director=403, leader=200, admin=200),
    "branch": expect(county=200, committee=403, secretary=200, director=200, leader=200, admin=200),
    "cluster": expect(county=200, committee=403, secretary=403, director=403, leader=200, admin=200),
    "committee": everyone(200),
    "venue": everyone(200),
    "retiree": expect(county=200, committee=403, secretary=200, director=403, leader=403, admin=200),
    "wcmember": expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200),
    # What a fund entry relates to (funds/lookups.py).
    "fund_activity": expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200),
    "fund_post": expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200),
    # Five-elders volunteers and their teams (volunteers/lookups.py): leaders read counts only.
    "volunteer": expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200),
    "team": expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200),
    # Aid (aid_cases/lookups.py): children's records only for the roles that work on aid.
    "sponsor": expect(county=200, committee=200, secretary=403, director=200, leader=403, admin=200),
    "aid_case": expect(county=200, committee=200, secretary=403, director=200, leader=403, admin=200),
    "child": expect(county=200, committee=200, secretary=403, director=200, leader=403, admin=200),
    "programme": expect(county=200, committee=200, secretary=403, director=200, leader=200, admin=200),
}
# The world's record of each kind, and the text that finds it.
RECORD = {
    "person": ("person", lambda o: o.name),
    "region": ("town", lambda o: o.name),
    "branch": ("branch", lambda o: o.name),
    "cluster": ("cluster", lambda o: o.name),
    "committee": ("committee", lambda o: o.name),
    "venue": ("venue", lambda o: o.name),
    "retiree": ("retiree", lambda o: o.person.name),
    "wcmember": ("wc_member", lambda o: o.person.name),
    "fund_activity": ("activity", lambda o: o.topic),
    "fund_post": ("secretary_post", lambda o: o.person.name),
    "volunteer": ("volunteer", lambda o: o.person.name),
    "team": ("team", lambda o: o.name),
    "sponsor": ("sponsor", lambda o: o.name),
    "aid_case": ("case", lambda o: o.child.person.name),
    "child": ("child", lambda o: o.person.name),
    "programme": ("programme", lambda o: o.name),
}
# Names only the other county has (tests/world.py).
OUTSIDE_NAMES = ["外张谦", "外老年大学临时党总支", "外离退休干部党工委", "市中区", "苏稽镇", "乐山市", "四川省"]


def url(kind: str, /, **params) -> str:
    return reverse("core:lookup", kwargs={"kind": kind}) + ("?" + "&".join(f"{k}={v}" for k, v in params.items()))


def answer(client, kind: str, /, **params):
    response = client.get(url(kind, **params))
    return response, (json.loads(response.content) if response.status_code == 200 else None)


def test_every_kind_of_the_installed_apps_is_covered_here():
    from core.hooks import registry

    assert set(registry.lookups) == set(STATUS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(STATUS))
def test_a_lookup_offers_what_the_user_may_read_and_nothing_of_another_county(client, world, kind, role):
    user = world.users[role]
    client.force_login(user)
    attribute, text = RECORD[kind]
    inside, outside = getattr(world.inside, attribute), getattr(world.outside, attribute)

    response, found_inside = answer(client, kind, q=text(inside))
    assert response.status_code == STATUS[kind][role]
    if response.status_code != 200:
        return
    readable = access.readable(user, get_lookup(kind).model.objects.all())
    assert (inside.pk in {row["value"] for row in found_inside}) is readable.filter(pk=inside.pk).exists()
    # Even typed in full, another county's record is not found (the administrator's scope is all).
    _, found_outside = answer(client, kind, q=text(outside))
    assert (outside.pk in {row["value"] for row in found_outside}) is (role == Role.ADMIN)
    if role != Role.ADMIN:
        body = client.get(url(kind)).content.decode() + json.dumps(found_outside, ensure_ascii=False)
        assert [name for name in OUTSIDE_NAMES if name in body] == []


def test_an_unknown_kind_is_not_found(client, world):
    client.force_login(world.users[Role.ADMIN])
    assert client.get(reverse("core:lookup", kwargs={"kind": "nonsense"})).status_code == 404


@pytest.mark.parametrize("params", [{"colour": "red"}, {"kind": "nonsense"}, {"exclude": "x"}, {"exclude": "-1"}])
def test_an_unknown_filter_or_a_malformed_value_is_a_bad_request(client, world, params):
    client.force_login(world.users[Role.COUNTY_STAFF])
    assert client.get(url("branch", **params)).status_code == 400


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(url("person", q="zq"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_answers_are_not_cached(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    assert "no-store" in client.get(url("person")).headers["Cache-Control"]


# --- Finding by name, pinyin and initials -------------------------------------------------------


@pytest.fixture
def zhangs(world):
    town = world.inside.town
    people = {name: PersonFactory(name=name, region=town) for name in ("张谦", "张强", "赵琴", "李明")}
    PersonFactory(name="张秋", region=world.outside.town)  # zq too, in the other county
    return people


def texts(client, kind: str, /, **params) -> list[str]:
    response, rows = answer(client, kind, **params)
    assert response.status_code == 200
    return [row["text"] for row in rows]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("zq", {"张谦", "张强", "赵琴"}),  # initials
        ("ZQ", {"张谦", "张强", "赵琴"}),
        ("zhangqiang", {"张强"}),  # full pinyin
        ("zhang", {"张谦", "张强", "内张谦"}),  # part of it: 内张谦 is neizhangqian
        ("张", {"张谦", "张强", "内张谦"}),  # characters
        ("lm", {"李明"}),
    ],
)
def test_people_are_found_by_characters_pinyin_or_initials(client, world, zhangs, typed, expected):
    client.force_login(world.users[Role.COUNTY_STAFF])

    found = {text.split("（")[0] for text in texts(client, "person", q=typed)}

    # The world's other people have random names: look only at the ones made here.
    assert found & {*zhangs, "内张谦", "张秋"} == expected


def test_a_person_is_labelled_with_their_area(client, world, zhangs):
    client.force_login(world.users[Role.COUNTY_STAFF])

    assert "赵琴（灵溪镇）" in texts(client, "person", q="zhaoqin")


def test_organisations_are_found_by_pinyin_initials(client, world):
    BranchFactory(name="灵溪镇机关退休支部", region=world.inside.town)
    client.force_login(world.users[Role.COUNTY_STAFF])

    assert "灵溪镇机关退休支部" in texts(client, "branch", q="lxz")
    assert "灵溪镇机关退休支部" in texts(client, "branch", q="lingxi")


def test_retirees_are_found_by_pinyin_and_labelled_with_their_branch(client, world):
    RetireeFactory(person=PersonFactory(name="赵琴", region=world.inside.town), branch=world.inside.branch)
    client.force_login(world.users[Role.BRANCH_SECRETARY])

    assert texts(client, "retiree", q="zq") == [f"赵琴（{world.inside.branch.name}）"]


def test_a_lookup_answers_at_most_twenty_rows(client, world):
    PersonFactory.create_batch(LIMIT + 5, region=world.inside.village)
    client.force_login(world.users[Role.COUNTY_STAFF])

    assert len(texts(client, "person")) == LIMIT == 20


@pytest.mark.parametrize("kind", ["person", "retiree"])
def test_the_query_count_does_not_grow_with_the_rows(client, world, kind):
    client.force_login(world.users[Role.COUNTY_STAFF])
    counts = []
    for batch in (2, 30):
        for _ in range(batch):
            RetireeFactory(person=PersonFactory(region=world.inside.town), branch=world.inside.branch)
        with CaptureQueriesContext(connection) as queries:
            assert len(texts(client, kind)) >= 2
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Named filters -----------------------------------------------------------------------------


def test_named_filters_narrow_the_answer(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    general, branch = world.inside.general_branch, world.inside.branch

    assert texts(client, "branch", kind="general") == [general.name]
    assert general.name not in texts(client, "branch", exclude=general.pk)
    assert set(texts(client, "region", level="county,town")) == {"永顺县", "灵溪镇（永顺县）"}
    assert texts(client, "retiree", branch=branch.pk, current=1) == [f"内张谦（{branch.name}）"]


def test_a_filter_never_widens_the_scope(client, world):
    client.force_login(world.users[Role.BRANCH_SECRETARY])

    assert texts(client, "retiree", branch=world.outside.branch.pk) == []
