"""`manage.py seed_scale`: copies of 永顺县 under 湖南省, and pages whose query count
does not grow with the data (the province user runs as many queries as the county one)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Activity, Branch, Retiree
from core.models import Region, User

pytestmark = pytest.mark.django_db

YONGSHUN = "433127000000"
COPIES = ["439001000000", "439002000000"]


@pytest.fixture(scope="module")
def seeded(demo, django_db_blocker):
    """Two copies of 永顺县 over the package's demo, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_scale", counties=2, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _counts(code: str) -> tuple[int, int, int]:
    region = Region.objects.get(code=code)
    return (
        Branch.all_objects.in_region(region).count(),
        Retiree.all_objects.in_region(region).count(),
        Activity.all_objects.in_region(region).count(),
    )


def _branch_list_queries(username: str) -> int:
    client = Client()
    client.force_login(User.objects.get(username=username))
    url = reverse("branches:branch_list")
    client.get(url, secure=True)  # warm-up (session, caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200
    return len(queries)


def test_each_copy_has_the_rows_of_yongshun(seeded):
    original = _counts(YONGSHUN)
    assert original[0] > 40
    assert original[1] > 1000
    assert original[2] > 2000
    for code in COPIES:
        region = Region.objects.get(code=code)
        assert region.is_demo_code
        assert region.level == "county"
        assert region.name.startswith("规模测试县")
        assert _counts(code) == original
        # the copies' people are new rows, without ID numbers
        assert not Retiree.objects.in_region(region).exclude(person__id_number="").exists()
        assert not Retiree.objects.in_region(region).filter(person__region__code__startswith="433127").exists()


def test_the_copies_presence_counts_agree_with_their_rolls(seeded):
    from django.db.models import Count, Q

    from branches.models import Activity

    for code in COPIES:
        activities = Activity.all_objects.filter(region__code__startswith=code[:6])
        raw = dict(
            activities.annotate(
                n=Count("attendances", filter=Q(attendances__status="present", attendances__archived_at__isnull=True))
            ).values_list("pk", "n")
        )
        kept = dict(activities.values_list("pk", "presence__present"))
        assert {pk: kept[pk] or 0 for pk in raw} == raw


def test_second_run_skips_the_counties_present(seeded):
    before = Branch.all_objects.count()
    out = io.StringIO()
    call_command("seed_scale", counties=2, stdout=out)
    assert Branch.all_objects.count() == before
    assert out.getvalue().count("skipped") == 2


def test_province_user_sees_three_yongshun(seeded):
    county = User.objects.get(username="laoganju")
    province = User.objects.get(username="sheng_laoganju")
    assert province.region_id == "430000000000"
    assert province.role == "county_staff"
    assert User.objects.get(username="shengji").role == "leader"
    in_yongshun = Branch.objects.visible_to(county).count()
    # 湖南省 also holds the demo county 溆浦县 (431224), which has no copies.
    xupu = Branch.objects.in_region(Region.objects.get(code="431224000000")).count()
    assert Branch.objects.visible_to(province).count() == 3 * in_yongshun + xupu


def test_branch_list_query_count_does_not_grow_with_the_scope(seeded):
    assert _branch_list_queries("sheng_laoganju") == _branch_list_queries("laoganju")


def _branch_options(html: str) -> int:
    select = html.split('name="branch"', 1)[1].split("</select>", 1)[0]
    return select.count("<option") - 1  # not the empty choice


def test_branch_picker_of_any_scope_renders_only_the_chosen_branch(seeded):
    # The branches are looked up as the user types (core.lookups): a province's 7,000 cost what a county's 30 do.
    client = Client()
    client.force_login(User.objects.get(username="sheng_laoganju"))
    url = reverse("branches:activity_list")
    assert Branch.objects.visible_to(User.objects.get(username="sheng_laoganju")).count() > 100
    assert _branch_options(client.get(url, secure=True).content.decode()) == 0
    copies = Branch.objects.filter(region__code__startswith="439002", activities__isnull=False).distinct()
    branch = copies.order_by("pk").first()
    response = client.get(url, {"branch": branch.pk}, secure=True)
    assert _branch_options(response.content.decode()) == 1
    assert {a.branch_id for a in response.context["object_list"]} == {branch.pk}
    client.force_login(User.objects.get(username="laoganju"))
    assert _branch_options(client.get(url, secure=True).content.decode()) == 0
