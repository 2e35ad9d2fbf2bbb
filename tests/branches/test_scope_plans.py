"""A county user's retiree list costs what the county holds, not what the province holds.

Other counties' retirees grow tenfold (a small but skewed data set); the county user's
queries must still reach their rows through the index on `region_code`, never by
scanning every retiree of the province (the OR over the branch's and the person's
regions it replaced did exactly that).
"""

import pytest
from django.db import connection

from branches import models as b
from core import access
from core.models import Person
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

OTHER_COUNTY_RETIREES = 4000


def _grow_other_county(world):
    """Thousands of retirees in the other county, in two INSERT … SELECTs (the triggers fill region_code)."""
    branch, town = world.outside.branch, world.outside.town
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_person (name, pinyin, pinyin_initials, pinyin_surname, id_number, gender, mobile,
                                     address, note, region_id, created_at, updated_at, version)
            SELECT '规模' || n, 'gui mo ' || n, 'gm', 'gui', '', '', '', '', '', %s, now(), now(), 1
              FROM generate_series(1, %s) AS n
            """,
            [town.code, OTHER_COUNTY_RETIREES],
        )
        cursor.execute(
            """
            INSERT INTO branches_retiree (person_id, branch_id, status, former_unit, former_post,
                   is_party_member, limited_mobility, lives_alone, in_hardship, skills, specialty, note,
                   party_group, created_at, updated_at, version)
            SELECT p.id, %s, 'retired', '', '', true, false, false, false, '{}', '', '', '', now(), now(), 1
              FROM core_person p WHERE p.name LIKE '规模%%' AND p.region_id = %s
            """,
            [branch.pk, town.code],
        )
        cursor.execute("ANALYZE core_person")
        cursor.execute("ANALYZE branches_retiree")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_region_code_follows_the_branch_and_the_person(world):
    retiree = world.inside.retiree
    assert b.Retiree.objects.get(pk=retiree.pk).region_code == retiree.branch.region_id

    b.Branch.objects.filter(pk=retiree.branch_id).update(region=world.inside.village)
    assert b.Retiree.objects.get(pk=retiree.pk).region_code == world.inside.village.code

    b.Retiree.objects.filter(pk=retiree.pk).update(branch=None, region_code="999999999999")
    assert b.Retiree.objects.get(pk=retiree.pk).region_code == retiree.person.region_id  # not what was written

    Person.objects.filter(pk=retiree.person_id).update(region=world.inside.region)
    assert b.Retiree.objects.get(pk=retiree.pk).region_code == world.inside.region.code


def test_a_county_users_retiree_queries_use_the_scope_index_when_other_counties_grow(world):
    user = world.users[Role.COUNTY_STAFF]
    scoped = access.readable(user, b.Retiree.objects)
    before = scoped.count()
    _grow_other_county(world)
    assert b.Retiree.objects.count() > 10 * before

    count_plan = _plan(scoped.order_by().values("pk"))
    page_plan = _plan(scoped.select_related("person", "branch")[:25])

    for plan in (count_plan, page_plan):
        assert "Seq Scan on branches_retiree" not in plan, plan
        assert "branches_retiree_region_code" in plan, plan
    assert scoped.count() == before
    # The leaving retirees are scoped by their person's region: still this county's, still indexed.
    f.RetireeFactory(branch=None, person=f.PersonFactory(region=world.inside.town))
    assert scoped.count() == before + 1
