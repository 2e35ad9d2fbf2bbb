"""Forms and list filters pick people and organisations by typing (core.lookups), inside the scope only."""

import re

import pytest
from django.urls import reverse

from branches.forms.organisation import BranchForm
from branches.models import Branch, Post
from core.scoping import Role
from tests import factories as f
from tests.factories import BranchFactory, VenueFactory

pytestmark = pytest.mark.django_db


def select_of(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', html, re.DOTALL)
    assert match, f"no <select name={name}>"
    return match.group(0)


def options(select: str) -> list[str]:
    return [text.strip() for value, text in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select) if value]


@pytest.fixture
def staff(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    return client


def post_url(world):
    return reverse("branches:post_create_for_branch", kwargs={"branch_pk": world.inside.branch.pk})


def post_data(person, **changes):
    return {"person": person.pk, "role": Post.Role.COMMITTEE_MEMBER, "start_on": "2026年3月1日", **changes}


# --- Forms -------------------------------------------------------------------------------------


def test_a_person_field_is_a_picker_that_lists_no_one_before_typing(staff, world):
    select = select_of(staff.get(post_url(world)).content.decode(), "person")

    assert 'data-lookup-url="/lookup/person/"' in select
    assert options(select) == []
    assert world.inside.person.name not in select


def test_a_chosen_person_is_rendered_with_the_label_the_lookup_gives(staff, world):
    response = staff.post(post_url(world), post_data(world.inside.person, role=""))

    assert response.status_code == 200
    assert options(select_of(response.content.decode(), "person")) == ["内张谦（灵溪镇）"]


def test_a_person_of_another_county_is_refused_and_not_named(staff, world):
    outsider = world.outside.person

    response = staff.post(post_url(world), post_data(outsider))

    assert response.status_code == 200
    assert "选择一个有效的选项" in response.context["form"].errors["person"][0]
    assert outsider.name not in response.content.decode()
    assert Post.objects.filter(person=outsider, branch=world.inside.branch).exists() is False


def test_a_person_in_scope_is_saved_with_a_chinese_date(staff, world):
    response = staff.post(post_url(world), post_data(world.inside.person))

    assert response.status_code == 302, response.context["form"].errors
    post = Post.objects.get(person=world.inside.person, branch=world.inside.branch)
    assert post.start_on.isoformat() == "2026-03-01"


def test_the_parent_picker_asks_only_for_general_branches_other_than_itself(staff, world):
    general = world.inside.general_branch
    url = reverse("branches:branch_update", args=[general.pk])

    select = select_of(staff.get(url).content.decode(), "parent")

    assert f'data-lookup-url="/lookup/branch/?kind=general&amp;exclude={general.pk}"' in select


def test_a_branch_that_is_not_general_is_refused_as_a_parent(world):
    branch = world.inside.branch
    data = {
        "name": branch.name,
        "kind": branch.kind,
        "parent": BranchFactory(region=world.inside.town).pk,
        "host_unit": "",
        "host_kind": branch.host_kind,
        "region": branch.region_id,
        "version": branch.version,
    }

    form = BranchForm(data, instance=branch, user=world.users[Role.COUNTY_STAFF])

    assert form.is_valid() is False
    assert "选择一个有效的选项" in form.errors["parent"][0]


def test_venues_are_a_multiple_picker_showing_the_chosen_ones(staff, world):
    branch = world.inside.branch
    VenueFactory(region=world.inside.town, name="不该列出的阵地")

    select = select_of(staff.get(reverse("branches:branch_update", args=[branch.pk])).content.decode(), "venues")

    assert "multiple" in select
    assert 'data-lookup-url="/lookup/venue/"' in select
    assert options(select) == [world.inside.venue.name]


def test_the_need_form_looks_up_the_current_members_of_the_chosen_branch(staff, world):
    select = select_of(staff.get(reverse("branches:need_create")).content.decode(), "retiree")

    assert 'data-lookup-url="/lookup/retiree/?current=1"' in select
    assert 'data-lookup-forward="{&quot;branch&quot;: &quot;branch&quot;}"' in select


def test_naturally_short_lists_stay_selects(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    html = client.get(reverse("branches:assessment_list")).content.decode()

    assert "data-lookup-url" not in select_of(html, "scheme")
    assert world.inside.scheme.name in select_of(html, "scheme")


# --- List filters ------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["branches:retiree_list", "branches:activity_list", "branches:need_list"])
def test_a_branch_filter_renders_only_the_chosen_branch(staff, world, url_name):
    BranchFactory(region=world.inside.town, name="另一个支部")
    url = reverse(url_name)

    assert options(select_of(staff.get(url).content.decode(), "branch")) == []
    response = staff.get(url, {"branch": world.inside.branch.pk})
    assert options(select_of(response.content.decode(), "branch")) == [world.inside.branch.name]
    assert 'data-lookup-url="/lookup/branch/"' in select_of(response.content.decode(), "branch")


def test_a_branch_of_another_county_in_the_link_shows_no_name(staff, world):
    response = staff.get(reverse("branches:retiree_list"), {"branch": world.outside.branch.pk})

    assert world.outside.branch.name not in response.content.decode()
    assert world.outside.retiree not in response.context["object_list"]


def test_the_region_filter_goes_down_to_villages_and_communities(staff, world):
    village_branch = f.BranchFactory(region=world.inside.village, kind=Branch.Kind.TEMPORARY, name="社区临时党支部")
    select = select_of(staff.get(reverse("branches:branch_list")).content.decode(), "region")

    assert 'data-lookup-url="/lookup/region/"' in select
    response = staff.get(reverse("branches:branch_list"), {"region": world.inside.village.pk})
    assert response.context["filterset"].form.is_valid()
    assert list(response.context["object_list"]) == [village_branch]


def test_the_retiree_list_filters_by_where_people_live_down_to_the_village(staff, world):
    neighbour = f.RetireeFactory(branch=world.inside.branch, person__region=world.inside.village)

    response = staff.get(reverse("branches:retiree_list"), {"lives_in": world.inside.village.pk})

    assert list(response.context["object_list"]) == [neighbour]


def test_a_secretary_is_offered_no_area_filter(client, world):
    client.force_login(world.users[Role.BRANCH_SECRETARY])

    assert "lives_in" not in client.get(reverse("branches:retiree_list")).context["filterset"].form.fields


def test_the_parent_filter_accepts_only_general_branches(staff, world):
    url = reverse("branches:branch_list")

    assert staff.get(url, {"parent": world.inside.general_branch.pk}).context["filterset"].form.is_valid() is True
    assert staff.get(url, {"parent": world.inside.branch.pk}).context["filterset"].form.is_valid() is False
    assert Branch.objects.filter(pk=world.inside.branch.pk, kind=Branch.Kind.GENERAL).exists() is False
