"""Services and selectors of the people area: registration, transfers, leaving, needs, counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from branches import models as b
from branches.selectors.people import branch_member_counts, branch_people_summary, hardship_totals_by_year
from branches.services import people as services
from core.models import Person, Region, StaleRecordError
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    province = f.RegionFactory(code="440000000000", name="广东省", level=Region.Level.PROVINCE)
    city = f.RegionFactory(code="441300000000", name="惠州市", level=Region.Level.CITY, parent=province)
    return f.RegionFactory(code="441322000000", name="博罗县", level=Region.Level.COUNTY, parent=city)


@pytest.fixture
def staff(county):
    return f.UserFactory(role=Role.COUNTY_STAFF, region=county)


@pytest.fixture
def branch_a(county):
    return f.BranchFactory(region=county, name="县教育局退休党支部")


@pytest.fixture
def branch_b(county):
    return f.BranchFactory(region=county, name="县卫健局退休党支部")


def _id_number(birth=dt.date(1944, 3, 8), seq=7, male=True):
    return f.make_id_number("441322", birth, seq, male)


def _person_data(county, **overrides):
    data = {"name": "张谦", "id_number": _id_number(), "region": county, "mobile": "13912345678"}
    data.update(overrides)
    return data


# --- registration ---------------------------------------------------------------------------


def test_register_creates_person_retiree_and_first_membership(county, staff, branch_a):
    retiree = services.retiree_register(
        person_data=_person_data(county),
        branch=branch_a,
        joined_on=dt.date(2010, 5, 1),
        by=staff,
        status=b.Retiree.Status.LIXIU,
        former_unit="县教育局",
    )
    assert retiree.branch == branch_a
    assert retiree.person.gender == "M"
    assert retiree.person.birth_date == dt.date(1944, 3, 8)
    membership = retiree.memberships.get()
    assert (membership.branch, membership.start_on, membership.end_on) == (branch_a, dt.date(2010, 5, 1), None)


def test_register_reuses_the_person_with_the_same_id_number(county, staff, branch_a):
    existing = f.PersonFactory(
        name="张谦", region=county, birth_date=dt.date(1944, 3, 8), gender="M", id_number=_id_number(), mobile=""
    )
    people_before = Person.all_objects.count()
    retiree = services.retiree_register(
        person_data=_person_data(county, id_number=" " + _id_number().lower() + " "),
        branch=branch_a,
        joined_on=dt.date(2010, 5, 1),
        by=staff,
    )
    assert retiree.person_id == existing.pk
    assert Person.all_objects.count() == people_before
    existing.refresh_from_db()
    assert existing.mobile == "13912345678"  # a blank contact field is filled in


def test_register_refuses_a_person_already_registered_as_retiree(county, staff, branch_a):
    services.retiree_register(
        person_data=_person_data(county), branch=branch_a, joined_on=dt.date(2010, 5, 1), by=staff
    )
    with pytest.raises(ValidationError) as error:
        services.retiree_register(
            person_data=_person_data(county), branch=branch_a, joined_on=dt.date(2010, 5, 1), by=staff
        )
    assert "id_number" in error.value.error_dict


def test_register_refuses_the_same_id_number_under_another_name(county, staff, branch_a):
    f.PersonFactory(name="李明", region=county, id_number=_id_number())
    with pytest.raises(ValidationError) as error:
        services.retiree_register(
            person_data=_person_data(county), branch=branch_a, joined_on=dt.date(2010, 5, 1), by=staff
        )
    assert "name" in error.value.error_dict
    assert not b.Retiree.objects.filter(branch=branch_a).exists()


def test_register_refuses_a_non_member_with_a_party_date(county, staff, branch_a):
    with pytest.raises(ValidationError):
        services.retiree_register(
            person_data=_person_data(county),
            branch=branch_a,
            joined_on=dt.date(2010, 5, 1),
            by=staff,
            is_party_member=False,
            joined_party_on=dt.date(1970, 7, 1),
        )
    assert not Person.objects.filter(name="张谦").exists()  # nothing is kept


def test_register_does_not_reuse_a_person_the_user_may_not_change(county, staff, branch_a):
    elsewhere = f.RegionFactory(code="511102000000", name="市中区")
    person = f.PersonFactory(region=elsewhere, id_number=_id_number(), name="张谦", mobile="")
    with pytest.raises(ValidationError) as error:
        services.retiree_register(
            person_data=_person_data(county), branch=branch_a, joined_on=dt.date(2010, 5, 1), by=staff
        )
    assert error.value.error_dict["id_number"][0].code == services.NOT_REGISTERABLE_HERE
    person.refresh_from_db()
    assert person.mobile == ""
    assert not b.Retiree.all_objects.filter(person=person).exists()
    with pytest.raises(ValidationError):
        services.retiree_register(person=person, branch=branch_a, joined_on=dt.date(2010, 5, 1), by=staff)


def test_register_refuses_an_archived_person_instead_of_restoring_it(county, staff, branch_a):
    person = f.PersonFactory(region=county, id_number=_id_number(), name="张谦")
    person.archive(by=staff)
    with pytest.raises(ValidationError) as error:
        services.retiree_register(
            person_data=_person_data(county), branch=branch_a, joined_on=dt.date(2010, 5, 1), by=staff
        )
    assert "已删除" in error.value.error_dict["id_number"][0].message
    assert Person.all_objects.get(pk=person.pk).is_archived is True


# --- transfers and counts -------------------------------------------------------------------


def test_transfer_counts_in_each_branch_for_the_right_dates(county, staff, branch_a, branch_b):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)  # member since 2020-01-01
    services.retiree_transfer(retiree=retiree, to_branch=branch_b, on=dt.date(2026, 7, 1), by=staff)

    retiree.refresh_from_db()
    assert retiree.branch == branch_b
    old, new = retiree.memberships.order_by("start_on")
    assert (old.branch, old.end_on, old.end_reason) == (branch_a, dt.date(2026, 7, 1), "transferred")
    assert (new.branch, new.start_on, new.end_on) == (branch_b, dt.date(2026, 7, 1), None)

    june_30, july_1 = dt.date(2026, 6, 30), dt.date(2026, 7, 1)
    assert branch_member_counts(branch_a, june_30)["total"] == 1
    assert branch_member_counts(branch_b, june_30)["total"] == 0
    assert branch_member_counts(branch_a, july_1)["total"] == 0
    assert branch_member_counts(branch_b, july_1)["total"] == 1


def test_transfer_to_the_same_branch_is_refused(county, staff, branch_a):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
    with pytest.raises(ValidationError) as error:
        services.retiree_transfer(retiree=retiree, to_branch=branch_a, on=dt.date(2026, 7, 1), by=staff)
    assert "to_branch" in error.value.error_dict


@pytest.mark.parametrize("on", [dt.date(2019, 12, 31), dt.date(2020, 1, 1)])
def test_transfer_not_after_the_current_membership_started_is_refused(county, staff, branch_a, branch_b, on):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
    with pytest.raises(ValidationError) as error:
        services.retiree_transfer(retiree=retiree, to_branch=branch_b, on=on, by=staff)
    assert "on" in error.value.error_dict
    assert "2020年1月1日" in str(error.value)
    assert retiree.memberships.get().end_on is None


def test_transfer_in_the_future_is_refused(county, staff, branch_a, branch_b):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
    with pytest.raises(ValidationError):
        services.retiree_transfer(
            retiree=retiree, to_branch=branch_b, on=dt.date.today() + dt.timedelta(days=3), by=staff
        )


def test_leave_ends_the_membership_and_open_care_pairs(county, staff, branch_a):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
    pair = f.CarePairFactory(cadre=f.PersonFactory(region=county), retiree=retiree)
    services.retiree_leave(retiree=retiree, on=dt.date(2026, 3, 1), reason=b.Membership.Reason.DECEASED, by=staff)

    retiree.refresh_from_db()
    pair.refresh_from_db()
    assert retiree.branch is None
    membership = retiree.memberships.get()
    assert (membership.end_on, membership.end_reason) == (dt.date(2026, 3, 1), "deceased")
    assert pair.ended_on == dt.date(2026, 3, 1)
    assert branch_member_counts(branch_a, dt.date(2026, 3, 1))["total"] == 0
    assert branch_member_counts(branch_a, dt.date(2026, 2, 28))["total"] == 1
    # The county still finds the record (payments to 遗属 go on).
    assert b.Retiree.objects.visible_to(staff).filter(pk=retiree.pk).exists()


def test_leave_needs_a_reason(county, staff, branch_a):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
    with pytest.raises(ValidationError):
        services.retiree_leave(retiree=retiree, on=dt.date(2026, 3, 1), reason="", by=staff)


# --- editing --------------------------------------------------------------------------------


def _stored(retiree) -> b.Retiree:
    return b.Retiree.objects.select_related("person").get(pk=retiree.pk)


def test_update_saves_the_retiree_and_the_contact_details_with_the_databases_versions(county, staff, branch_a):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county, mobile="13900000001"), branch=branch_a)
    seen = (retiree.version, retiree.person.version)
    retiree.lives_alone = True

    saved = services.retiree_update(
        retiree=retiree, version=seen[0], person_version=seen[1], mobile="13911112222", address="北门社区3栋", by=staff
    )

    stored = _stored(retiree)
    assert stored.lives_alone is True
    assert (stored.person.mobile, stored.person.address) == ("13911112222", "北门社区3栋")
    assert (saved.version, saved.person.version) == (stored.version, stored.person.version)
    assert (stored.version, stored.person.version) == (seen[0] + 1, seen[1] + 1)


def test_update_refuses_a_person_changed_since_and_saves_nothing(county, staff, branch_a):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county, mobile="13900000001"), branch=branch_a)
    seen = (retiree.version, retiree.person.version)
    Person.objects.filter(pk=retiree.person_id).update(mobile="13933334444")  # on the person's own page
    retiree.lives_alone = True

    with pytest.raises(StaleRecordError):
        services.retiree_update(
            retiree=retiree, version=seen[0], person_version=seen[1], mobile="13911112222", address="", by=staff
        )

    stored = _stored(retiree)
    assert (stored.lives_alone, stored.version, stored.person.mobile) == (False, seen[0], "13933334444")


# --- needs, care pairs, payments -------------------------------------------------------------


def test_need_resolve_requires_an_outcome(county, staff, branch_a):
    need = f.NeedFactory(branch=branch_a, received_on=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        services.need_resolve(need=need, on=dt.date(2026, 4, 5), outcome="  ", by=staff)
    assert "outcome" in error.value.error_dict
    need.refresh_from_db()
    assert need.resolved_on is None


def test_need_resolve_refuses_a_date_before_it_was_received(county, staff, branch_a):
    need = f.NeedFactory(branch=branch_a, received_on=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        services.need_resolve(need=need, on=dt.date(2026, 3, 31), outcome="已解决", by=staff)
    assert "resolved_on" in error.value.error_dict


def test_need_resolve_records_date_and_outcome(county, staff, branch_a):
    need = f.NeedFactory(branch=branch_a, received_on=dt.date(2026, 4, 1))
    version = need.version
    services.need_resolve(need=need, on=dt.date(2026, 4, 5), outcome="已送大字版学习资料", by=staff)
    need.refresh_from_db()
    assert (need.resolved_on, need.outcome, need.days_open) == (dt.date(2026, 4, 5), "已送大字版学习资料", 4)
    assert need.version == version + 1


def test_the_database_refuses_a_resolved_need_without_outcome(branch_a):
    need = f.NeedFactory(branch=branch_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        b.Need.objects.filter(pk=need.pk).update(resolved_on=dt.date(2026, 4, 2))


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_the_database_refuses_a_hardship_payment_that_is_not_positive(county, branch_a, amount):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        b.HardshipPayment.objects.create(retiree=retiree, paid_on=dt.date(2026, 1, 20), amount=amount)


def test_care_pair_end(county, staff, branch_a):
    pair = f.CarePairFactory(cadre=f.PersonFactory(region=county), retiree=f.RetireeFactory(branch=branch_a))
    with pytest.raises(ValidationError):
        services.care_pair_end(care_pair=pair, on=dt.date(2024, 12, 31), by=staff)
    services.care_pair_end(care_pair=pair, on=dt.date(2026, 1, 31), by=staff)
    pair.refresh_from_db()
    assert pair.ended_on == dt.date(2026, 1, 31)


# --- search and selectors --------------------------------------------------------------------


@pytest.mark.parametrize("query", ["zhang", "zq", "张", "zhangqian", "ZQ"])
def test_pinyin_search_finds_zhang_qian(county, branch_a, query):
    zhang = f.RetireeFactory(person=f.PersonFactory(name="张谦", region=county), branch=branch_a)
    f.RetireeFactory(person=f.PersonFactory(name="李明", region=county), branch=branch_a)
    assert list(b.Retiree.objects.filter(branch=branch_a).search(query)) == [zhang]


def test_member_counts_by_status_party_and_flags(county, branch_a):
    on = dt.date(2026, 7, 1)
    f.RetireeFactory(
        person=f.PersonFactory(region=county, birth_date=dt.date(1946, 7, 1)),  # 80 on that day
        branch=branch_a,
        status=b.Retiree.Status.LIXIU,
        limited_mobility=True,
    )
    f.RetireeFactory(
        person=f.PersonFactory(region=county, birth_date=dt.date(1946, 7, 2)),
        branch=branch_a,
        is_party_member=False,
        joined_party_on=None,
        lives_alone=True,
        in_hardship=True,
    )
    archived = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
    archived.archive(by=None)
    counts = branch_member_counts(branch_a, on)
    assert counts == {
        "total": 2,
        "party_members": 1,
        "non_party_members": 1,
        "lixiu": 1,
        "retired": 1,
        "limited_mobility": 1,
        "lives_alone": 1,
        "in_hardship": 1,
        "advanced_age": 1,
    }


def test_branch_people_summary_runs_a_fixed_number_of_queries(county, branch_a, django_assert_num_queries):
    def add_members(n):
        for i in range(n):
            retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
            f.NeedFactory(branch=branch_a, retiree=retiree, received_on=dt.date(2026, 4, 1) + dt.timedelta(days=i))
            f.CarePairFactory(cadre=f.PersonFactory(region=county), retiree=retiree)

    add_members(2)
    with django_assert_num_queries(4):
        summary = branch_people_summary(branch_a, on=dt.date(2026, 5, 1))
        [(n.retiree.person.name, n.days_open) for n in summary["open_needs"]]
        [(p.cadre.name, p.retiree.person.name) for p in summary["care_pairs"]]
    add_members(5)
    with django_assert_num_queries(4):
        summary = branch_people_summary(branch_a, on=dt.date(2026, 5, 1))
        [(n.retiree.person.name, n.days_open) for n in summary["open_needs"]]
        [(p.cadre.name, p.retiree.person.name) for p in summary["care_pairs"]]
    assert summary["counts"]["total"] == 7
    assert summary["open_need_count"] == 7
    assert summary["oldest_need_days"] == 30  # received 1 April, counted on 1 May
    assert [n.received_on for n in summary["open_needs"]] == sorted(n.received_on for n in summary["open_needs"])
    assert len(summary["care_pairs"]) == 7
    assert summary["year_needs"] == {"needs_received": 7, "needs_resolved": 0, "needs_open": 7}


def test_hardship_totals_by_year(county, branch_a):
    retiree = f.RetireeFactory(person=f.PersonFactory(region=county), branch=branch_a)
    for day, amount in [("2025-01-10", "1500"), ("2026-01-20", "2000"), ("2026-09-01", "500.50")]:
        b.HardshipPayment.objects.create(retiree=retiree, paid_on=day, amount=Decimal(amount))
    rows = hardship_totals_by_year(b.HardshipPayment.objects.filter(retiree=retiree))
    assert [(r["year"], r["total"], r["count"]) for r in rows] == [
        (2026, Decimal("2500.50"), 2),
        (2025, Decimal("1500.00"), 1),
    ]
