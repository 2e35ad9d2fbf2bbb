"""Organisation names sort and search by pinyin, like people's names."""

import pytest
from django.urls import reverse

from branches.models import Branch, Cluster
from core.models import pinyin_name_q
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_branches_sort_by_pinyin_not_by_code_point():
    region = f.RegionFactory()
    for name in ["张家坪支部", "安乐支部", "赵家湾支部", "单位退休支部"]:
        f.BranchFactory(name=name, region=region)
    names = list(Branch.objects.filter(region=region).values_list("name", flat=True))
    assert names == ["安乐支部", "单位退休支部", "张家坪支部", "赵家湾支部"]
    assert Branch.objects.get(name="单位退休支部").pinyin.startswith("danwei")  # no surname reading


def test_bulk_created_rows_get_their_keys():
    region = f.RegionFactory()
    [cluster] = Cluster.objects.bulk_create([Cluster(name="文旅金融片组", region=region, leading_unit="县文旅局")])
    assert cluster.pinyin.startswith("wenlv")
    assert Cluster.objects.filter(pinyin_name_q("wljr")).get() == cluster


def test_the_branch_list_finds_a_branch_by_its_initials(client, world):
    client.force_login(world.users["county_staff"])
    branch = world.inside.branch
    response = client.get(reverse("branches:branch_list"), {"q": branch.pinyin_initials[:3]})
    assert branch in response.context["object_list"]
