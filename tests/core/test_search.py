"""Name search ranks what was meant first: `zhang` lists the 张 before 符长勇, in one query."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Retiree
from core.models import Person, Region
from core.pinyin import surname_pinyin
from core.scoping import Role
from core.search import search_by_name
from tests import factories as f

pytestmark = pytest.mark.django_db

NAMES = ["符长勇", "张三", "詹刚", "龚长学", "张伟", "章明", "李张华", "查文", "周森", "张山"]


@pytest.mark.parametrize(
    ("name", "surname"),
    [("张谦", "zhang"), ("欧阳修", "ouyang"), ("单田芳", "shan"), ("曾山生", "zeng"), ("Tom Li", ""), ("", "")],
)
def test_the_surname_key_is_the_surnames_pinyin(name, surname):
    assert surname_pinyin(name) == surname


@pytest.fixture
def people(world):
    """Ten people in a village of their own: the queries below see only them."""
    town = world.inside.town
    village = f.RegionFactory(parent=town, code=town.code[:9] + "977", level=Region.Level.VILLAGE, name="测试村")
    for name in NAMES:
        f.PersonFactory(name=name, region=village)
    return Person.objects.filter(region=village)


def names(queryset):
    return [p.name for p in queryset]


def test_the_people_surnamed_zhang_come_before_given_name_matches(people):
    found = names(people.search("zhang"))
    # 章 and 张 (surname zhang) by pinyin, then 詹刚 (zhan·gang opens with "zhang"),
    # then the given names: 符长勇, 龚长学, 李张华.
    assert found == ["章明", "张三", "张山", "张伟", "詹刚", "符长勇", "龚长学", "李张华"]


@pytest.mark.parametrize("query", ["zhang san", "zhangsan", "ZHANG SAN", "ｚｈａｎｇ ｓａｎ", "张san", "张三", "张 三"])
def test_spaces_case_full_width_and_mixed_writing_find_the_same_person(people, query):
    assert names(people.search(query))[0] == "张三"


def test_initials_find_the_person(people):
    assert names(people.search("zs")) == ["张三", "张山", "周森"]


def test_characters_rank_the_names_that_open_with_them_first(people):
    assert names(people.search("张")) == ["张三", "张山", "张伟", "李张华"]


def test_a_surname_typed_in_part_finds_every_surname_it_opens(people):
    found = names(people.search("zha"))
    assert found[:6] == ["查文", "詹刚", "章明", "张三", "张山", "张伟"]
    assert found[6:] == ["符长勇", "龚长学", "李张华"]  # "zha" inside the given name


def test_an_empty_query_changes_nothing(people):
    assert people.search("  ").query.order_by == people.query.order_by


def test_a_retirees_search_ranks_by_the_persons_name(world):
    branch = world.inside.branch
    for name in ("符长勇", "张三", "龚长学", "张伟"):
        f.RetireeFactory(branch=branch, person=f.PersonFactory(name=name, region=world.inside.town))
    found = [r.person.name for r in Retiree.objects.filter(branch=branch).search("zhang").select_related("person")]
    # The world's own member, 内张谦 (nei·zhang·qian), is a given-name match.
    assert found == ["张三", "张伟", "符长勇", "龚长学", world.inside.retiree.person.name]


def test_the_search_is_one_query_whatever_the_number_of_matches(world):
    town = world.inside.town
    counts = []
    for batch in (3, 30):
        for i in range(batch):
            f.PersonFactory(name=f"张{i}{'三' * (i % 3)}", region=town)
        with CaptureQueriesContext(connection) as queries:
            list(search_by_name(Person.objects.filter(region=town), "zhang"))
        counts.append(len(queries))
    assert counts == [1, 1]


def test_the_retiree_list_shows_surname_matches_first_and_the_count(client, world):
    branch = world.inside.branch
    for name in ("符长勇", "张三", "张伟"):
        f.RetireeFactory(branch=branch, person=f.PersonFactory(name=name, region=world.inside.town))
    client.force_login(world.users[Role.COUNTY_STAFF])
    response = client.get(reverse("branches:retiree_list"), {"q": "zhang", "branch": branch.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("张三") < html.index("张伟") < html.index("符长勇") < html.index(world.inside.retiree.person.name)
    assert "共 4 条" in html


def test_the_retiree_picker_answers_surname_matches_first(client, world):
    branch = world.inside.branch
    for name in ("符长勇", "张三"):
        f.RetireeFactory(branch=branch, person=f.PersonFactory(name=name, region=world.inside.town))
    client.force_login(world.users[Role.COUNTY_STAFF])
    rows = client.get(reverse("core:lookup", args=["retiree"]), {"q": "zhang", "branch": branch.pk}).json()
    assert [row["text"].split("（")[0] for row in rows] == ["张三", "符长勇", world.inside.retiree.person.name]


def test_the_migration_fills_the_surname_key_of_existing_people(people):
    people.update(pinyin_surname="")
    migration = importlib.import_module("core.migrations.0005_add_person_pinyin_surname")
    version_before = {p.pk: p.version for p in people}
    migration.fill_surname_keys(None, SimpleNamespace(connection=connection))
    keys = dict(people.values_list("name", "pinyin_surname"))
    assert keys["张三"] == "zhang"
    assert keys["查文"] == "zha"
    assert {p.pk: p.version for p in people} == version_before  # a derived key is no edit


def test_a_searched_list_costs_the_same_queries_for_ten_times_the_matches(client, world):
    branch = world.inside.branch
    client.force_login(world.users[Role.COUNTY_STAFF])
    counts = []
    for batch in (2, 20):
        for i in range(batch):
            f.RetireeFactory(branch=branch, person=f.PersonFactory(name=f"张{i}", region=world.inside.town))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("branches:retiree_list"), {"q": "zhang", "branch": branch.pk})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
