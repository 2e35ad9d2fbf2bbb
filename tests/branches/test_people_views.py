"""Pages of the people area: lists (filters, search, flat query counts), forms, scoping."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches import models as b
from core.models import Person, Region
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    province = f.RegionFactory(code="440000000000", name="广东省", level=Region.Level.PROVINCE)
    city = f.RegionFactory(code="441300000000", name="惠州市", level=Region.Level.CITY, parent=province)
    county = f.RegionFactory(code="441322000000", name="博罗县", level=Region.Level.COUNTY, parent=city)
    town = f.RegionFactory(code="441322100000", name="罗阳街道", level=Region.Level.TOWN, parent=county)
    f.RegionFactory(code="441322100001", name="北门社区", level=Region.Level.VILLAGE, parent=town)
    return county


@pytest.fixture
def village(county):
    return Region.objects.get(code="441322100001")


@pytest.fixture
def staff(county):
    return f.UserFactory(role=Role.COUNTY_STAFF, region=county)


@pytest.fixture
def branch_a(county):
    return f.BranchFactory(region=county, name="县教育局退休党支部")


@pytest.fixture
def branch_b(county):
    return f.BranchFactory(region=county, name="县卫健局退休党支部")


@pytest.fixture
def secretary(county, branch_a):
    person = f.PersonFactory(region=county)
    f.PostFactory(person=person, branch=branch_a, role=b.Post.Role.SECRETARY, start_on=dt.date(2022, 5, 1))
    return f.UserFactory(role=Role.BRANCH_SECRETARY, person=person)


def _retiree(county, branch, **kwargs):
    person_kwargs = {k[7:]: kwargs.pop(k) for k in list(kwargs) if k.startswith("person_")}
    return f.RetireeFactory(person=f.PersonFactory(region=county, **person_kwargs), branch=branch, **kwargs)


def _add_data(county, branch, n):
    for i in range(n):
        retiree = _retiree(county, branch, limited_mobility=bool(i % 2))
        f.NeedFactory(branch=branch, retiree=retiree)
        pair = f.CarePairFactory(cadre=f.PersonFactory(region=county), retiree=retiree)
        b.CareRecord.objects.create(care_pair=pair, happened_on=dt.date(2026, 2, 1), description="走访")
        b.HardshipPayment.objects.create(retiree=retiree, paid_on=dt.date(2026, 1, 20), amount=1000)
        b.GovernanceRole.objects.create(person=retiree.person, kind=b.GovernanceRole.Kind.GRID_WORKER)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["branches:retiree_list", "branches:need_list", "branches:carepair_list", "branches:hardshippayment_list"],
)
def test_list_query_counts_do_not_grow_with_the_data(client, county, staff, branch_a, url_name):
    client.force_login(staff)
    url = reverse(url_name)
    _add_data(county, branch_a, 2)
    few = _queries(client, url)
    _add_data(county, branch_a, 8)
    assert _queries(client, url) == few


def test_retiree_list_stays_within_its_query_budget(client, county, staff, branch_a, django_assert_max_num_queries):
    _add_data(county, branch_a, 6)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        client.get(reverse("branches:retiree_list"), {"q": "", "o": "age"})


def _add_rows_of_the_retiree_page(county, branch, retiree, day):
    f.NeedFactory(branch=branch, retiree=retiree)
    b.HardshipPayment.objects.create(retiree=retiree, paid_on=dt.date(2026, 1, day), amount=100)
    b.GovernanceRole.objects.create(person=retiree.person, kind=b.GovernanceRole.Kind.BUILDING_HEAD)
    b.CommunityCheckIn.objects.create(
        person=retiree.person, community=Region.objects.get(code="441322100001"), checked_in_on=dt.date(2024, 3, day)
    )


def test_retiree_detail_query_count_does_not_grow(client, county, staff, branch_a, branch_b):
    client.force_login(staff)
    retiree = _retiree(county, branch_a)
    _add_rows_of_the_retiree_page(county, branch_a, retiree, 1)  # each table asks its archive buttons once
    url = reverse("branches:retiree_detail", args=[retiree.pk])
    few = _queries(client, url)
    for day in range(2, 6):
        _add_rows_of_the_retiree_page(county, branch_a, retiree, day)
    f.CarePairFactory(cadre=f.PersonFactory(region=county), retiree=retiree)
    assert _queries(client, url) == few


def test_retiree_page_shows_each_button_only_to_who_may_use_it(client, world):
    w = world.inside
    urls = {
        "edit": reverse("branches:retiree_update", args=[w.retiree.pk]),
        "archive": reverse("branches:retiree_archive", args=[w.retiree.pk]),
        "transfer": reverse("branches:retiree_transfer", args=[w.retiree.pk]),
        "leave": reverse("branches:retiree_leave", args=[w.retiree.pk]),
        "check_in": reverse("branches:communitycheckin_create", args=[w.retiree.pk]),
        "archive_check_in": reverse("branches:communitycheckin_archive", args=[w.check_in.pk]),
        "archive_role": reverse("branches:governancerole_archive", args=[w.governance_role.pk]),
        "archive_payment": reverse("branches:hardshippayment_archive", args=[w.hardship_payment.pk]),
    }
    shown = {}
    for role in (Role.COUNTY_STAFF, Role.BRANCH_SECRETARY):
        client.force_login(world.users[role])
        html = client.get(w.retiree.get_absolute_url()).content.decode()
        shown[role] = {name for name, url in urls.items() if f'"{url}"' in html}
    assert shown[Role.COUNTY_STAFF] == set(urls)
    assert shown[Role.BRANCH_SECRETARY] == {"edit"}  # secretaries edit their members, nothing more


# --- retiree list filters --------------------------------------------------------------------


def _names(response):
    return sorted(r.person.name for r in response.context["object_list"])


def test_retiree_list_search_by_pinyin(client, county, staff, branch_a):
    _retiree(county, branch_a, person_name="张谦")
    _retiree(county, branch_a, person_name="李明")
    client.force_login(staff)
    for query in ("zhang", "zq", "张"):
        assert _names(client.get(reverse("branches:retiree_list"), {"q": query})) == ["张谦"]


def test_retiree_list_filters(client, county, village, staff, branch_a, branch_b):
    old = _retiree(county, branch_a, person_name="王老", person_birth_date=dt.date(1940, 1, 1), skills=["law"])
    _retiree(county, branch_b, person_name="赵青", person_birth_date=dt.date(1960, 1, 1), in_hardship=True)
    b.GovernanceRole.objects.create(person=old.person, kind=b.GovernanceRole.Kind.RED_STEWARD, region=village)
    client.force_login(staff)
    url = reverse("branches:retiree_list")
    assert _names(client.get(url, {"advanced_age": "true"})) == ["王老"]
    assert _names(client.get(url, {"skill": "law"})) == ["王老"]
    assert _names(client.get(url, {"governance_role": "red_steward"})) == ["王老"]
    assert _names(client.get(url, {"in_hardship": "true"})) == ["赵青"]
    assert _names(client.get(url, {"branch": branch_b.pk})) == ["赵青"]
    ordered = client.get(url, {"o": "age"}).context["object_list"]
    assert [r.person.name for r in ordered] == ["王老", "赵青"]


# --- scoping ---------------------------------------------------------------------------------


def test_secretary_cannot_see_or_edit_a_retiree_of_another_branch(client, county, secretary, branch_a, branch_b):
    mine = _retiree(county, branch_a)
    other = _retiree(county, branch_b)
    client.force_login(secretary)
    assert client.get(reverse("branches:retiree_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("branches:retiree_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("branches:retiree_update", args=[other.pk])).status_code == 404
    response = client.post(reverse("branches:retiree_update", args=[other.pk]), {"status": "retired"})
    assert response.status_code == 404
    listed = client.get(reverse("branches:retiree_list")).context["object_list"]
    assert [r.pk for r in listed] == [mine.pk]


def test_secretary_edits_a_member_and_contact_details_together(client, county, secretary, branch_a):
    retiree = _retiree(county, branch_a)
    client.force_login(secretary)
    response = client.post(
        reverse("branches:retiree_update", args=[retiree.pk]),
        {
            "version": retiree.version,
            "mobile": "139 0000 1111",
            "address": "北门社区3栋",
            "status": "retired",
            "is_party_member": "on",
            "joined_party_on": "1975年7月1日",
            "lives_alone": "on",
            "skills": ["arts", "law"],
        },
    )
    assert response.status_code == 302
    retiree.refresh_from_db()
    retiree.person.refresh_from_db()
    assert retiree.lives_alone is True
    assert retiree.skills == ["arts", "law"]
    assert (retiree.person.mobile, retiree.person.address) == ("13900001111", "北门社区3栋")


# --- registration ----------------------------------------------------------------------------


def _register_data(branch, **overrides):
    data = {
        "name": "张谦",
        "id_number": f.make_id_number("441322", dt.date(1944, 3, 8), 3, False),
        "mobile": "13912345678",
        "branch": branch.pk,
        "joined_on": "2010年5月1日",
        "status": "lixiu",
        "former_unit": "县教育局",
        "is_party_member": "on",
        "joined_party_on": "1943.7.1",
        "skills": ["education"],
    }
    data.update(overrides)
    return data


def test_register_a_retiree_with_chinese_dates(client, county, staff, branch_a):
    client.force_login(staff)
    response = client.post(reverse("branches:retiree_create"), _register_data(branch_a))
    assert response.status_code == 302
    retiree = b.Retiree.objects.get(person__name="张谦")
    assert response["Location"] == retiree.get_absolute_url()
    assert retiree.person.gender == "F"
    assert retiree.person.birth_date == dt.date(1944, 3, 8)
    assert retiree.person.region == county  # defaults to the branch's region
    assert retiree.joined_party_on == dt.date(1943, 7, 1)
    assert retiree.memberships.get().start_on == dt.date(2010, 5, 1)


def test_register_shows_id_number_errors_on_the_field(client, county, staff, branch_a):
    client.force_login(staff)
    bad = f.make_id_number("441322", dt.date(1944, 3, 8), 3, False)[:-1] + "0"
    bad = bad if bad != f.make_id_number("441322", dt.date(1944, 3, 8), 3, False) else bad[:-1] + "1"
    response = client.post(reverse("branches:retiree_create"), _register_data(branch_a, id_number=bad))
    assert response.status_code == 200
    assert "校验位" in str(response.context["form"].errors["id_number"])
    assert not b.Retiree.objects.filter(branch=branch_a).exists()


def test_register_reuses_a_registered_person(client, county, staff, branch_a):
    number = f.make_id_number("441322", dt.date(1944, 3, 8), 3, False)
    person = f.PersonFactory(name="张谦", region=county, birth_date=dt.date(1944, 3, 8), gender="F", id_number=number)
    client.force_login(staff)
    response = client.post(reverse("branches:retiree_create"), _register_data(branch_a))
    assert response.status_code == 302
    assert b.Retiree.objects.get(branch=branch_a).person == person
    assert Person.objects.filter(id_number=number).count() == 1


def test_register_refuses_a_duplicate_with_the_error_on_the_id_number(client, county, staff, branch_a):
    client.force_login(staff)
    client.post(reverse("branches:retiree_create"), _register_data(branch_a))
    response = client.post(reverse("branches:retiree_create"), _register_data(branch_a))
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors


# --- registration across counties (the world: two counties) ---------------------------------

NOT_HERE = "该身份证号无法在此登记"


def _register_someone(client, world, person, **overrides):
    """County staff of the inside county register `person`'s ID number with their own branch."""
    client.force_login(world.users[Role.COUNTY_STAFF])
    data = {
        "name": person.name,
        "id_number": person.id_number,
        "mobile": "13700000000",
        "address": "灵溪镇新街1号",
        "branch": world.inside.branch.pk,
        "joined_on": "2010年5月1日",
        "status": "retired",
        "is_party_member": "on",
        **overrides,
    }
    return client.post(reverse("branches:retiree_create"), data)


def _person_row(person) -> dict:
    return Person.all_objects.filter(pk=person.pk).values().get()


def test_registering_an_id_number_of_another_county_does_not_take_the_person_over(client, world):
    person = world.outside.person  # a retiree of the other county
    before = _person_row(person)

    response = _register_someone(client, world, person)

    assert response.status_code == 200
    errors = response.context["form"].errors["id_number"]
    assert NOT_HERE in errors[0]
    assert "组织关系转接" in errors[0]
    assert _person_row(person) == before
    assert b.Retiree.all_objects.get(person=person).branch == world.outside.branch
    html = response.content.decode()  # what was typed comes back; nothing of the record does
    assert person.mobile not in html
    assert world.outside.town.name not in html


def test_the_refusal_says_the_same_whatever_the_person_is_registered_as(client, world):
    as_retiree = _register_someone(client, world, world.outside.person)
    as_plain_person = _register_someone(client, world, world.outside.director_person)
    assert as_retiree.context["form"].errors == as_plain_person.context["form"].errors


def test_an_archived_person_of_the_county_must_be_restored_before_registering(client, world):
    person = f.PersonFactory(region=world.inside.town)
    person.archive(by=None)
    before = _person_row(person)

    response = _register_someone(client, world, person)

    assert response.status_code == 200
    assert "已删除" in response.context["form"].errors["id_number"][0]
    assert _person_row(person) == before  # still archived, nothing filled in
    assert not b.Retiree.all_objects.filter(person=person).exists()


def test_an_archived_person_of_another_county_gets_the_neutral_refusal(client, world):
    person = f.PersonFactory(region=world.outside.town)
    person.archive(by=None)
    response = _register_someone(client, world, person)
    errors = response.context["form"].errors["id_number"]
    assert NOT_HERE in errors[0]
    assert "已归档" not in errors[0]
    assert Person.all_objects.get(pk=person.pk).is_archived is True


def test_a_person_of_the_county_is_still_reused(client, world):
    person = f.PersonFactory(region=world.inside.town, address="")
    response = _register_someone(client, world, person)
    assert response.status_code == 302
    assert b.Retiree.objects.get(person=person).branch == world.inside.branch
    person.refresh_from_db()
    assert person.address == "灵溪镇新街1号"


# --- transfer, leave, check-in ---------------------------------------------------------------


def test_transfer_page_moves_the_retiree(client, county, staff, branch_a, branch_b):
    retiree = _retiree(county, branch_a)
    client.force_login(staff)
    url = reverse("branches:retiree_transfer", args=[retiree.pk])
    response = client.post(url, {"to_branch": branch_b.pk, "on": "2019-06-01", "reason": "transferred"})
    assert response.status_code == 200
    assert "on" in response.context["form"].errors
    response = client.post(url, {"to_branch": branch_b.pk, "on": "2026年7月1日", "reason": "transferred"})
    assert response.status_code == 302
    retiree.refresh_from_db()
    assert retiree.branch == branch_b


def test_leave_page(client, county, staff, branch_a):
    retiree = _retiree(county, branch_a)
    client.force_login(staff)
    response = client.post(
        reverse("branches:retiree_leave", args=[retiree.pk]), {"on": "2026-03-01", "reason": "deceased"}
    )
    assert response.status_code == 302
    retiree.refresh_from_db()
    assert retiree.branch is None
    assert client.get(retiree.get_absolute_url()).status_code == 200


def test_check_in_needs_a_village_level_community(client, county, village, staff, branch_a):
    retiree = _retiree(county, branch_a)
    client.force_login(staff)
    url = reverse("branches:communitycheckin_create", args=[retiree.pk])
    response = client.post(url, {"community": county.pk, "checked_in_on": "2024年3月1日"})
    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    response = client.post(url, {"community": village.pk, "checked_in_on": "2024年3月1日"})
    assert response.status_code == 302
    assert retiree.person.check_ins.get().community == village


# --- needs -----------------------------------------------------------------------------------


def test_secretary_need_form_preselects_the_branch_and_offers_its_members(
    client, county, secretary, branch_a, branch_b
):
    mine = _retiree(county, branch_a, person_name="张谦")
    _retiree(county, branch_b, person_name="李明")
    client.force_login(secretary)
    form = client.get(reverse("branches:need_create")).context["form"]
    assert form.fields["branch"].initial == branch_a.pk
    assert list(form.fields["retiree"].queryset) == [mine]
    response = client.post(
        reverse("branches:need_create"),
        {"branch": branch_a.pk, "retiree": mine.pk, "received_on": "2026年11月2日", "content": "希望上门送学"},
    )
    assert response.status_code == 302
    assert b.Need.objects.get(branch=branch_a).retiree == mine


def test_secretary_cannot_raise_a_need_in_another_branch(client, county, secretary, branch_a, branch_b):
    client.force_login(secretary)
    response = client.post(
        reverse("branches:need_create"),
        {"branch": branch_b.pk, "received_on": "2026-11-02", "content": "希望上门送学"},
    )
    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    assert not b.Need.objects.filter(branch__in=[branch_a, branch_b]).exists()


def test_resolving_a_need_requires_an_outcome(client, county, secretary, branch_a):
    need = f.NeedFactory(branch=branch_a, received_on=dt.date(2026, 4, 1))
    client.force_login(secretary)
    url = reverse("branches:need_resolve", args=[need.pk])
    response = client.post(url, {"resolved_on": "2026-04-03", "outcome": ""})
    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors
    response = client.post(url, {"resolved_on": "2026-04-03", "outcome": "已解决"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.resolved_on == dt.date(2026, 4, 3)


def test_need_list_filters_by_state_and_received_dates(client, county, staff, branch_a):
    f.NeedFactory(branch=branch_a, received_on=dt.date(2026, 3, 1), content="旧的")
    f.NeedFactory(
        branch=branch_a, received_on=dt.date(2026, 4, 1), content="已办", resolved_on=dt.date(2026, 4, 2), outcome="好"
    )
    client.force_login(staff)
    url = reverse("branches:need_list")
    open_only = client.get(url, {"state": "open"}).context["object_list"]
    assert [n.content for n in open_only] == ["旧的"]
    in_april = client.get(url, {"received_from": "2026年4月1日", "received_to": "2026-04-30"}).context["object_list"]
    assert [n.content for n in in_april] == ["已办"]


# --- care pairs and hardship payments -------------------------------------------------------


def test_care_record_with_goods_value(client, county, staff, branch_a):
    pair = f.CarePairFactory(cadre=f.PersonFactory(region=county), retiree=_retiree(county, branch_a))
    client.force_login(staff)
    response = client.post(
        reverse("branches:carerecord_create", args=[pair.pk]),
        {"happened_on": "2026年2月1日", "kind": "visit", "description": "春节慰问", "goods_value": "300.50"},
    )
    assert response.status_code == 302
    assert pair.records.get().goods_value == Decimal("300.50")
    page = client.get(pair.get_absolute_url())
    assert "300.50" in page.content.decode()


def test_hardship_payment_must_be_positive_and_needs_a_payee_after_death(client, county, staff, branch_a):
    retiree = _retiree(county, branch_a)
    client.force_login(staff)
    url = reverse("branches:hardshippayment_create")
    data = {"retiree": retiree.pk, "paid_on": "2026-01-20", "amount": "0", "fund": "特殊困难离休干部帮扶资金"}
    response = client.post(url, data)
    assert "amount" in response.context["form"].errors
    retiree.branch = None
    retiree.save()
    response = client.post(url, {**data, "amount": "2000"})
    assert "payee" in response.context["form"].errors
    response = client.post(url, {**data, "amount": "2000", "payee": "李秀英（配偶）"})
    assert response.status_code == 302
    assert b.HardshipPayment.objects.get(retiree=retiree).payee == "李秀英（配偶）"


def test_hardship_list_shows_the_yearly_total(client, county, staff, branch_a):
    retiree = _retiree(county, branch_a)
    for day in ("2026-01-20", "2026-06-20"):
        b.HardshipPayment.objects.create(retiree=retiree, paid_on=day, amount=Decimal("81000"))
    client.force_login(staff)
    response = client.get(reverse("branches:hardshippayment_list"), {"year": "2026"})
    assert response.context["totals"]["total"] == Decimal("162000")
    assert "16.20万元" in response.content.decode()


# --- the branch page's people summary ---------------------------------------------------------


def _render_summary(user, branch):
    from django.template.loader import render_to_string

    from branches.selectors.people import branch_people_summary

    context = {"people_summary": branch_people_summary(branch), "branch": branch, "user": user}
    return render_to_string("branches/partials/people_branch_summary.html", context)


def test_branch_summary_shows_names_only_to_those_allowed(county, staff, branch_a):
    retiree = _retiree(county, branch_a, person_name="张谦", person_birth_date=dt.date(1940, 1, 1))
    f.NeedFactory(branch=branch_a, retiree=retiree, content="希望上门送学", received_on=dt.date(2026, 4, 1))
    leader = f.UserFactory(role=Role.LEADER, region=county)
    for_staff = _render_summary(staff, branch_a)
    assert "希望上门送学" in for_staff
    assert "张谦" in for_staff
    for_leader = _render_summary(leader, branch_a)
    assert "办理中的个性需求：1 件" in for_leader
    assert "张谦" not in for_leader
    assert "希望上门送学" not in for_leader


def test_secretary_home_shows_open_needs(client, county, secretary, branch_a):
    f.NeedFactory(branch=branch_a)
    client.force_login(secretary)
    response = client.get(reverse("core:home"))
    assert "办理中的个性需求" in response.content.decode()
    assert reverse("branches:need_list") in response.content.decode()


def test_the_branch_page_says_how_many_needs_were_collected_and_resolved_this_year(client, world):
    branch, today = f.BranchFactory(region=world.inside.region), dt.date.today()
    start = today.replace(month=1, day=1)
    for resolved in (start, start, None):
        f.NeedFactory(branch=branch, received_on=start, resolved_on=resolved, outcome="已办" if resolved else "")
    last_years = start.replace(year=start.year - 1)
    f.NeedFactory(branch=branch, received_on=last_years, resolved_on=start, outcome="已办")  # resolved this year
    client.force_login(world.users[Role.COUNTY_STAFF])

    html = client.get(branch.get_absolute_url()).content.decode()

    line = html.split('data-testid="year-needs">')[1].split("</p>")[0]
    assert line == f"{today.year}年收集个性需求 3 条，已解决 3 条"


def test_the_branch_page_says_when_every_need_was_resolved(client, world):
    branch, today = f.BranchFactory(region=world.inside.region), dt.date.today()
    f.NeedFactory(branch=branch, received_on=today.replace(month=1, day=1), resolved_on=today, outcome="已办")
    client.force_login(world.users[Role.COUNTY_STAFF])

    html = client.get(branch.get_absolute_url()).content.decode()

    assert f"{today.year}年收集个性需求 1 条，已解决 1 条，已全部解决" in html


def test_a_communitys_page_shows_its_check_ins_branches_participants_and_governance_roles(client, world):
    county = world.inside
    neighbour = f.RetireeFactory(branch=county.branch, person__region=county.village)
    temporary = f.BranchFactory(region=county.village, kind=b.Branch.Kind.TEMPORARY, name="花园小区临时党支部")
    b.Participation.objects.create(person=neighbour.person, branch=temporary, start_on=dt.date(2024, 7, 1))
    b.CommunityCheckIn.objects.create(
        person=neighbour.person, community=county.village, checked_in_on=dt.date(2025, 5, 4)
    )
    kind = b.GovernanceRole.Kind.choices[0][0]
    b.GovernanceRole.objects.create(person=neighbour.person, kind=kind, region=county.village)
    client.force_login(world.users[Role.COUNTY_STAFF])

    response = client.get(reverse("branches:community_detail", args=[county.village.pk]))

    s = response.context["s"]
    assert s["check_in_count"] == 2  # the world's own check-in (2024) and this one
    assert s["check_ins_by_year"] == [(2025, 1), (2024, 1)]
    assert [(x.name, x.participant_count) for x in s["branches"]] == [("花园小区临时党支部", 1)]
    assert len(s["governance_roles"]) == 2  # the world's own and this one
    html = response.content.decode()
    assert "2025年报到1人，2024年报到1人。" in html
    assert neighbour.person.name in html
    listed = client.get(reverse("branches:community_list")).context["object_list"]
    assert [(c.pk, c.check_in_count, c.branch_count) for c in listed] == [(county.village.pk, 2, 1)]


def test_a_secretary_sees_only_her_members_check_ins_in_a_community(client, world):
    county = world.inside
    stranger = f.PersonFactory(region=county.village)
    b.CommunityCheckIn.objects.create(person=stranger, community=county.village, checked_in_on=dt.date(2025, 5, 4))
    client.force_login(world.users[Role.BRANCH_SECRETARY])

    response = client.get(reverse("branches:community_detail", args=[county.village.pk]))

    assert response.status_code == 200
    assert [c.person_id for c in response.context["s"]["check_ins"]] == [county.person.pk]
    assert stranger.name not in response.content.decode()


def test_the_community_page_costs_the_same_queries_for_more_check_ins(client, world, django_assert_max_num_queries):
    county = world.inside
    for n in range(10):
        retiree = f.RetireeFactory(branch=county.branch, person__region=county.village)
        b.CommunityCheckIn.objects.create(
            person=retiree.person, community=county.village, checked_in_on=dt.date(2025, 1, 1 + n)
        )
    client.force_login(world.users[Role.COUNTY_STAFF])

    with django_assert_max_num_queries(14):
        assert client.get(reverse("branches:community_detail", args=[county.village.pk])).status_code == 200
