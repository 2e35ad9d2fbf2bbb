"""Organisation pages: forms with errors on the field, term change, filters, and query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from branches import models as b
from branches.forms.organisation import PostForm
from core.models import Region
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    county = f.RegionFactory(code="439903000000", name="永顺测试县", level=Region.Level.COUNTY)
    f.RegionFactory(code="439903100000", name="灵溪镇", level=Region.Level.TOWN, parent=county)
    return county


@pytest.fixture
def staff(county, client):
    user = f.UserFactory(role=Role.COUNTY_STAFF, region=county)
    client.force_login(user)
    return user


@pytest.fixture
def branch(county):
    return f.BranchFactory(region=county, name="县政府办老干党支部")


@pytest.fixture
def secretary(branch):
    return f.PostFactory(branch=branch, role=b.Post.Role.SECRETARY, person__region=branch.region)


def _post_data(person, **extra):
    data = {"person": person.pk, "role": "secretary", "start_on": "2026-06-01", "monthly_allowance": "200"}
    data.update(extra)
    return data


def test_a_second_secretary_is_an_error_on_the_role_field(client, staff, branch, secretary):
    person = f.PersonFactory(region=branch.region)
    url = reverse("branches:post_create_for_branch", kwargs={"branch_pk": branch.pk})

    response = client.post(url, _post_data(person))

    assert response.status_code == 200
    assert "现任书记" in response.context["form"].errors["role"][0]
    assert b.Post.objects.filter(branch=branch).count() == 1


def test_the_database_constraint_is_the_last_guard(client, staff, branch, secretary, monkeypatch):
    """Two secretaries saved at the same moment both pass the form's query; the database refuses one."""
    monkeypatch.setattr(PostForm, "other_current_holders", lambda self, role: b.Post.objects.none())
    person = f.PersonFactory(region=branch.region)
    url = reverse("branches:post_create_for_branch", kwargs={"branch_pk": branch.pk})

    response = client.post(url, _post_data(person))

    assert response.status_code == 200
    assert "现任书记" in response.context["form"].errors["role"][0]
    assert list(b.Post.objects.filter(branch=branch)) == [secretary]


def test_adding_a_post_with_its_allowance(client, staff, branch):
    person = f.PersonFactory(region=branch.region)
    url = reverse("branches:post_create_for_branch", kwargs={"branch_pk": branch.pk})

    response = client.post(url, _post_data(person, role="committee_member", duty="publicity", monthly_allowance="150"))

    assert response.status_code == 302
    post = b.Post.objects.get(branch=branch, person=person)
    assert (post.duty, post.monthly_allowance) == ("publicity", Decimal("150.00"))
    page = client.get(reverse("branches:branch_detail", args=[branch.pk]))
    assert "150.00 元" in page.content.decode()


def test_a_committee_post_shows_its_outside_role(client, staff, county):
    committee = f.CommitteeFactory(region=county)
    person = f.PersonFactory(region=county)
    url = reverse("branches:post_create_for_committee", kwargs={"committee_pk": committee.pk})
    data = {"person": person.pk, "role": "member", "outside_role": "派出所所长", "start_on": "2026-01-01"}

    assert client.post(url, data).status_code == 302
    page = client.get(reverse("branches:committee_detail", args=[committee.pk]))
    assert "派出所所长" in page.content.decode()


def test_an_end_before_the_start_is_an_error_on_the_field(client, staff, branch):
    person = f.PersonFactory(region=branch.region)
    url = reverse("branches:post_create_for_branch", kwargs={"branch_pk": branch.pk})

    response = client.post(url, _post_data(person, role="committee_member", end_on="2026-01-01"))

    assert response.status_code == 200
    assert "end_on" in response.context["form"].errors
    assert not b.Post.objects.filter(person=person).exists()


def test_ending_a_post(client, staff, secretary):
    url = reverse("branches:post_end", args=[secretary.pk])

    refused = client.post(url, {"end_on": "2020-01-01"})
    assert refused.status_code == 200
    assert "end_on" in refused.context["form"].errors

    assert client.post(url, {"end_on": "2026-10-31"}).status_code == 302
    secretary.refresh_from_db()
    assert secretary.end_on == dt.date(2026, 10, 31)


def _term_data(rows, on="2026-07-01"):
    data = {
        "on": on,
        "posts-TOTAL_FORMS": str(len(rows)),
        "posts-INITIAL_FORMS": "0",
        "posts-MIN_NUM_FORMS": "0",
        "posts-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"posts-{i}-{key}"] = value
    return data


def test_term_change_page_replaces_the_committee(client, staff, branch, secretary):
    new_secretary, member = f.PersonFactory.create_batch(2, region=branch.region)
    url = reverse("branches:branch_change_term", args=[branch.pk])
    assert client.get(url).status_code == 200

    rows = [
        {"person": new_secretary.pk, "role": "secretary", "monthly_allowance": "200"},
        {"person": member.pk, "role": "committee_member", "duty": "organisation", "monthly_allowance": "150"},
        {},  # a blank row is ignored
    ]
    response = client.post(url, _term_data(rows))

    assert response.status_code == 302
    current = b.Post.objects.filter(branch=branch).current(dt.date(2026, 7, 1))
    assert set(current.values_list("person", flat=True)) == {new_secretary.pk, member.pk}
    secretary.refresh_from_db()
    assert secretary.end_on == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    "rows",
    [
        lambda p: [{"person": p[0].pk, "role": "secretary"}, {"person": p[1].pk, "role": "secretary"}],
        lambda p: [{"person": p[0].pk, "role": "secretary"}, {"role": "committee_member", "monthly_allowance": "150"}],
    ],
    ids=["two secretaries", "missing person"],
)
def test_an_invalid_term_change_shows_errors_and_saves_nothing(client, staff, branch, secretary, rows):
    people = f.PersonFactory.create_batch(2, region=branch.region)
    before = list(b.Post.all_objects.values_list("pk", "end_on").order_by("pk"))

    response = client.post(reverse("branches:branch_change_term", args=[branch.pk]), _term_data(rows(people)))

    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.non_form_errors() or any(form.errors for form in formset)
    assert list(b.Post.all_objects.values_list("pk", "end_on").order_by("pk")) == before


def test_a_branch_parent_must_be_a_general_branch(client, staff, county, branch):
    url = reverse("branches:branch_create")
    data = {"name": "新支部", "kind": "retiree", "host_kind": "agency", "region": county.pk, "parent": branch.pk}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    general = f.BranchFactory(region=county, kind=b.Branch.Kind.GENERAL)
    assert client.post(url, {**data, "parent": general.pk}).status_code == 302
    assert b.Branch.objects.get(name="新支部").parent == general


def test_branch_list_filters_by_region_subtree_kind_and_archived(client, staff, county):
    town = Region.objects.get(code="439903100000")
    in_town = f.BranchFactory(region=town, name="灵溪镇退休党支部")
    at_county = f.BranchFactory(region=county, name="县直党总支", kind=b.Branch.Kind.GENERAL)
    archived = f.BranchFactory(region=county, name="已撤并支部")
    archived.archive(by=staff)
    url = reverse("branches:branch_list")

    def names(**params):
        return {x.name for x in client.get(url, params).context["object_list"]}

    assert names() == {in_town.name, at_county.name}
    assert names(region=town.pk) == {in_town.name}
    assert names(kind="general") == {at_county.name}
    assert names(q="灵溪") == {in_town.name}
    assert names(archived="1") == {archived.name}


def test_committee_list_filters_one_shoulder_and_linked_branch(client, staff, county, branch):
    together = f.CommitteeFactory(region=county, branch=branch, name="镇关工委")
    alone = f.CommitteeFactory(region=county, name="中学关工委", level=b.YouthCareCommittee.Level.SCHOOL)
    person = f.PersonFactory(region=county, name="王元金")
    f.PostFactory(person=person, branch=branch, role=b.Post.Role.COMMITTEE_MEMBER)
    f.PostFactory(person=person, branch=None, committee=together, role=b.Post.Role.EXECUTIVE_DIRECTOR)
    url = reverse("branches:committee_list")

    def names(**params):
        return {x.name for x in client.get(url, params).context["object_list"]}

    assert names(one_shoulder="1") == {together.name}
    assert names(one_shoulder="0") == {alone.name}
    assert names(with_branch="0") == {alone.name}
    assert names(level="school") == {alone.name}
    page = client.get(reverse("branches:committee_detail", args=[together.pk])).content.decode()
    assert 'data-testid="one-shoulder"' in page
    assert "王元金" in page


def test_work_committee_page_highlights_members_behind(client, staff, county, branch):
    wc = f.WorkCommitteeFactory(region=county)
    ok = f.WorkCommitteeMemberFactory(work_committee=wc, person__name="李达标", person__region=county)
    behind = f.WorkCommitteeMemberFactory(work_committee=wc, person__name="赵落后", person__region=county)
    for month in (1, 4, 7, 10):
        f.GuidanceVisitFactory(member=ok, branch=branch, visited_on=dt.date(2025, month, 2))
    f.GuidanceVisitFactory(member=behind, branch=branch, visited_on=dt.date(2025, 3, 2))

    response = client.get(reverse("branches:workcommittee_detail", args=[wc.pk]), {"year": 2025})

    assert response.status_code == 200
    assert [(m.person.name, m.behind) for m in response.context["members"]] == [("李达标", False), ("赵落后", True)]
    assert response.context["behind_count"] == 1


def _populate(county, n):
    """n clusters of branches with members, posts, venues and committees, and a work committee."""
    wc = f.WorkCommitteeFactory(region=county)
    for _ in range(n):
        cluster = f.ClusterFactory(region=county)
        general = f.BranchFactory(region=county, kind=b.Branch.Kind.GENERAL, cluster=cluster)
        x = f.BranchFactory(region=county, cluster=cluster, parent=general)
        x.venues.add(f.VenueFactory(region=county))
        f.RetireeFactory(branch=x, person__region=county)
        f.PostFactory(branch=x, role=b.Post.Role.SECRETARY, person__region=county)
        committee = f.CommitteeFactory(region=county, branch=x)
        f.PostFactory(branch=None, committee=committee, role=b.Post.Role.EXECUTIVE_DIRECTOR, person__region=county)
        member = f.WorkCommitteeMemberFactory(work_committee=wc, person__region=county)
        member.branches.add(x)
        f.GuidanceVisitFactory(member=member, branch=x)
    return wc


PAGES = [
    ("branches:branch_list", None),
    ("branches:cluster_list", None),
    ("branches:venue_list", None),
    ("branches:committee_list", None),
    ("branches:guidancevisit_list", None),
    ("branches:workcommittee_list", None),
    ("branches:workcommittee_detail", "wc"),
    ("branches:cluster_detail", "cluster"),
]


@pytest.mark.parametrize(("url_name", "obj"), PAGES, ids=[p[0] for p in PAGES])
def test_page_query_counts_do_not_grow_with_the_data(
    client, staff, county, url_name, obj, django_assert_max_num_queries
):
    wc = _populate(county, 2)
    objects = {"wc": wc, "cluster": b.Cluster.objects.filter(region=county).first()}
    url = reverse(url_name, args=[objects[obj].pk]) if obj else reverse(url_name)
    small = _count_queries(client, url)
    _populate(county, 6)
    objects["cluster"].refresh_from_db()
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_branch_page_query_count_does_not_grow(client, staff, county, django_assert_max_num_queries):
    _populate(county, 1)
    general = b.Branch.objects.filter(region=county, kind=b.Branch.Kind.GENERAL).first()
    # One post already: the page asks core.access about its posts' buttons once for all of them.
    f.PostFactory(branch=general, role=b.Post.Role.SECRETARY, person__region=county)
    url = reverse("branches:branch_detail", args=[general.pk])
    small = _count_queries(client, url)
    for _ in range(5):
        x = f.BranchFactory(region=county, parent=general)
        f.RetireeFactory(branch=x, person__region=county)
        f.PostFactory(branch=general, role=b.Post.Role.COMMITTEE_MEMBER, person__region=county)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def test_editing_the_current_secretary_is_not_a_second_secretary(client, staff, secretary):
    url = reverse("branches:post_update", args=[secretary.pk])
    data = _post_data(secretary.person, start_on="2022-05-01", monthly_allowance="250", version=secretary.version)

    response = client.post(url, data)

    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.monthly_allowance == Decimal("250.00")


def test_venue_page_lists_the_branches_and_committees_using_it(client, staff, county, branch):
    venue = f.VenueFactory(region=county, name="金秋讲堂", kind=b.Venue.Kind.LECTURE_HALL)
    branch.venues.add(venue)
    committee = f.CommitteeFactory(region=county, name="镇关工委")
    committee.venues.add(venue)

    response = client.get(reverse("branches:venue_detail", args=[venue.pk]))

    assert list(response.context["branches"]) == [branch]
    assert list(response.context["committees"]) == [committee]


def test_the_cluster_page_shows_standing_branches_their_coverage_and_the_others_apart(client, world):
    county = world.inside.region
    general = f.BranchFactory(region=county, kind=b.Branch.Kind.GENERAL)
    f.BranchFactory(region=county, kind=b.Branch.Kind.TEMPORARY, parent=general)
    client.force_login(world.users[Role.COUNTY_STAFF])

    response = client.get(reverse("branches:cluster_list"))

    totals = response.context["totals"]
    html = response.content.decode()
    assert totals["general"] >= 1
    assert totals["gathering"] >= 1
    assert f'<div class="yl-stat-value">{totals["standing"]}</div><div class="yl-stat-label">离退休干部党支部' in html
    assert f"另有党总支 {totals['general']} 个、临时（功能性）党支部 {totals['gathering']} 个" in html


def test_committee_staff_link_a_new_committee_to_a_branch_of_their_county_only(client, world):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    form = client.get(reverse("branches:committee_create")).context["form"]

    offered = set(form.fields["branch"].queryset)
    assert world.inside.branch in offered
    assert world.outside.branch not in offered


def test_a_work_committee_member_guides_clusters_too_and_the_years_reach_back(client, world):
    wc = world.inside.work_committee
    cluster = f.ClusterFactory(region=world.inside.region, name="城区片")
    member = f.WorkCommitteeMemberFactory(work_committee=wc, start_on=dt.date(2015, 3, 1))
    member.clusters.add(cluster)
    client.force_login(world.users[Role.COUNTY_STAFF])

    response = client.get(wc.get_absolute_url())

    assert "联系片组：" in response.content.decode()
    assert "城区片" in response.content.decode()
    assert 2015 in response.context["years"]
    assert response.context["years"][0] == dt.date.today().year
