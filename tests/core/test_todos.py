"""The home page's 待办事项: each rule's count is the number of rows the list it links to shows, for
every role inside its scope; a neighbouring county's records are not counted; a role that may not
see the rows gets no item; the panel's query count does not grow with the data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aid_cases import models as a
from branches import models as b
from core.scoping import Role
from core.todos import todo_items, todo_panel
from funds import models as fm
from funds import services as funds_services
from tests import factories as f
from volunteers import models as v

pytestmark = pytest.mark.django_db

OFFICE_ROLES = (Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR)

# Who sees each rule's rows in the test world (tests/world.py): the branches' work is county staff's
# and the secretary's, the work committee county staff's, the aid steps the committees', the ledgers
# everyone's own.
IN_SCOPE = {
    "meetings_to_hold": {Role.COUNTY_STAFF, Role.BRANCH_SECRETARY},
    "home_study": {Role.COUNTY_STAFF, Role.BRANCH_SECRETARY},
    "political_birthdays": {Role.COUNTY_STAFF, Role.BRANCH_SECRETARY},
    "guidance_behind": {Role.COUNTY_STAFF},
    "needs_open_over_30": {Role.COUNTY_STAFF, Role.BRANCH_SECRETARY},
    "cases_waiting_for_me": {Role.COMMITTEE_STAFF, Role.COMMITTEE_DIRECTOR},
    "pairing_payments_owing": {Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.COMMITTEE_DIRECTOR},
    "service_records_to_confirm": {Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.COMMITTEE_DIRECTOR},
    "budgets_near_overspend": set(OFFICE_ROLES),
}
PAIRS_IN = [(role, key) for key, roles in IN_SCOPE.items() for role in OFFICE_ROLES if role in roles]
PAIRS_OUT = [(role, key) for key, roles in IN_SCOPE.items() for role in OFFICE_ROLES if role not in roles]


def _paginated(response) -> int:
    return response.context["page_obj"].paginator.count


# How many rows each linked list shows (all its pages).
ROWS_SHOWN = {
    "meetings_to_hold": _paginated,
    "home_study": _paginated,
    "political_birthdays": lambda r: len(list(r.context["people"])),
    "guidance_behind": lambda r: len(r.context["members"]),
    "needs_open_over_30": _paginated,
    "cases_waiting_for_me": _paginated,
    "pairing_payments_owing": lambda r: len(r.context["rows"]),
    "service_records_to_confirm": _paginated,
    "budgets_near_overspend": _paginated,
}


def add_one_of_each(w, owner, today: dt.date) -> None:
    """One more record for every rule in county `w`, inside the scope of its office and post holders."""
    # A standing branch that has held nothing: its meetings are due or overdue (a county's, not a secretary's).
    new_branch = f.BranchFactory(region=w.town, kind=b.Branch.Kind.RETIREE)
    # A member with a political birthday this month, absent from this month's general meeting (送学上门).
    retiree = f.RetireeFactory(branch=w.branch, joined_party_on=today.replace(year=1980, day=1))
    meeting = f.ActivityFactory(branch=w.branch, kind=b.Activity.Kind.GENERAL_MEETING, held_on=today)
    f.AttendanceFactory(activity=meeting, person=retiree.person, status=b.Attendance.Status.ABSENT)
    # A need waiting 40 days.
    f.NeedFactory(branch=w.branch, retiree=retiree, received_on=today - dt.timedelta(days=40))
    # A work-committee member with no visit this year.
    f.WorkCommitteeMemberFactory(work_committee=w.work_committee)
    # A case registered with the town committee, waiting for its verification.
    programme = a.Programme.objects.create(name="春蕾计划", kind="student_aid", year=today.year, committee=w.committee)
    a.AidCase.objects.create(child=w.child, programme=programme, committee=w.committee, registered_on=today)
    # A pairing whose first month is this month, not yet paid.
    sponsor = a.Sponsor.objects.create(kind="individual", name="爱心人士", region=w.region)
    a.Pairing.objects.create(sponsor=sponsor, case=w.case, monthly_amount=Decimal("300"), start_on=today.replace(day=1))
    # A team leader's service record waiting for confirmation.
    v.ServiceRecord.objects.create(
        committee=w.committee,
        region=w.committee.region,
        team=w.team,
        served_on=today,
        kind=v.ServiceRecord.Kind.TUTORING,
        minors_served=5,
        recorded_by=owner,
    )
    # A new ledger whose activity budget is 95% spent.
    _nearly_spent(funds_services.ledger_open(branch=new_branch), today)


def _nearly_spent(ledger, today: dt.date, amount: Decimal = Decimal("950.00")) -> None:
    fm.Budget.objects.create(ledger=ledger, year=today.year, category=fm.Category.ACTIVITY, amount=Decimal("1000"))
    funds_services.entry_record(
        ledger=ledger,
        occurred_on=today,
        direction=fm.Direction.EXPENSE,
        category=fm.Category.ACTIVITY,
        amount=amount,
        summary="主题党日活动",
        by=None,
    )


def set_up_county(w, owner, today: dt.date) -> None:
    """The county's own ledgers near their budget too (the secretary's and the director's), and one of each."""
    _nearly_spent(w.committee_ledger, today)
    funds_services.entry_record(
        ledger=w.ledger,
        occurred_on=today,
        direction=fm.Direction.EXPENSE,
        category=fm.Category.ACTIVITY,
        amount=Decimal("460.00"),  # of the world's 500-yuan line
        summary="主题党日活动",
        by=None,
    )
    add_one_of_each(w, owner, today)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def inside(world, today):
    set_up_county(world.inside, world.users[Role.BRANCH_SECRETARY], today)
    return world.inside


def items_of(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    panels = [p for p in response.context["panels"] if p["template"] == "core/partials/todo_panel.html"]
    assert len(panels) == 1
    return {item.key: item for item in panels[0]["items"]}


@pytest.mark.parametrize(("role", "key"), PAIRS_IN)
def test_each_item_counts_the_rows_its_list_shows(client, world, inside, role, key):
    item = items_of(client, world.users[role])[key]

    response = client.get(item.url)

    assert response.status_code == 200
    assert item.count > 0
    assert item.count == ROWS_SHOWN[key](response)


@pytest.mark.parametrize(("role", "key"), PAIRS_IN)
def test_a_neighbouring_countys_records_are_not_counted(client, world, inside, today, role, key):
    before = items_of(client, world.users[role])[key].count

    set_up_county(world.outside, world.users[Role.ADMIN], today)

    assert items_of(client, world.users[role])[key].count == before


@pytest.mark.parametrize(("role", "key"), PAIRS_OUT)
def test_a_role_that_may_not_see_the_rows_gets_no_item(client, world, inside, role, key):
    assert key not in items_of(client, world.users[role])


def test_the_panel_shows_each_item_as_a_link_with_its_count(client, world, inside):
    items = items_of(client, world.users[Role.COUNTY_STAFF])

    page = client.get(reverse("core:home")).content.decode()

    assert 'data-testid="todo-panel"' in page
    for item in items.values():
        assert f'href="{item.url}"' in page.replace("&amp;", "&")
        assert str(item.label) in page


def test_an_empty_to_do_list_says_so(client, world):
    director = f.UserFactory(role=Role.COMMITTEE_DIRECTOR, person=f.PersonFactory(region=world.inside.town))
    client.force_login(director)

    page = client.get(reverse("core:home")).content.decode()

    assert 'data-testid="todo-panel"' in page
    assert "暂无待办事项" in page


def test_leaders_read_the_dashboard_not_a_to_do_panel(rf, world):
    request = rf.get("/")
    request.user = world.users[Role.LEADER]

    assert todo_panel(request) is None


def _queries(user) -> int:
    request = RequestFactory().get("/")
    request.user = type(user).objects.get(pk=user.pk)  # a fresh request's user: no cached access answers
    with CaptureQueriesContext(connection) as queries:
        todo_panel(request)
    return len(queries)


@pytest.mark.parametrize("role", OFFICE_ROLES)
def test_the_panel_costs_the_same_queries_with_ten_times_the_rows(
    world, inside, today, role, django_assert_max_num_queries
):
    user = world.users[role]
    few = _queries(user)

    for _ in range(10):
        add_one_of_each(world.inside, world.users[Role.BRANCH_SECRETARY], today)

    assert _queries(user) == few
    with django_assert_max_num_queries(30):
        todo_items(user, today)


def test_every_count_agrees_with_the_panel_for_a_secretary_of_two_branches(client, world, inside, today):
    """A second branch of the secretary's: both are counted, and both lists show them."""
    w = world.inside
    second = f.BranchFactory(region=w.town, kind=b.Branch.Kind.RETIREE)
    f.PostFactory(person=w.secretary_person, branch=second, role=b.Post.Role.SECRETARY)
    f.NeedFactory(branch=second, received_on=today - dt.timedelta(days=31))
    f.NeedFactory(branch=second, received_on=today - dt.timedelta(days=30))  # 30 days: not over 30

    items = items_of(client, world.users[Role.BRANCH_SECRETARY])

    for key in ("meetings_to_hold", "needs_open_over_30"):
        assert items[key].count == ROWS_SHOWN[key](client.get(items[key].url))
    assert items["meetings_to_hold"].count == 2
    assert items["needs_open_over_30"].count == 3  # the world's need, one of each's and the 31-day one


@pytest.mark.parametrize("key", ["meetings_to_hold", "needs_open_over_30", "guidance_behind"])
def test_the_dashboard_shows_the_county_staffs_to_do_figures(client, world, inside, key):
    """The county's dashboard counts its rows by the same rules: its figure is county staff's count."""
    count = items_of(client, world.users[Role.COUNTY_STAFF])[key].count
    client.force_login(world.users[Role.LEADER])

    response = client.get(reverse("reports:dashboard"))

    assert response.context["todo_figures"][key] == count
    assert f'data-testid="todo-figure-{key}"' in response.content.decode()


def test_the_filtered_lists_leave_out_what_the_rules_do_not_count(client, world, inside, today):
    w = world.inside
    on_track = f.WorkCommitteeMemberFactory(work_committee=w.work_committee)
    for _ in range(w.work_committee.required_visits_per_year):
        f.GuidanceVisitFactory(member=on_track, branch=w.branch, visited_on=today)
    half_spent = funds_services.ledger_open(branch=f.BranchFactory(region=w.town))
    _nearly_spent(half_spent, today, amount=Decimal("500.00"))
    v.ServiceRecord.objects.filter(pk=w.service_record.pk).update(
        status=v.ServiceRecord.Status.CONFIRMED, confirmed_at=timezone.now()
    )

    client.force_login(world.users[Role.COUNTY_STAFF])
    members = client.get(items_of(client, world.users[Role.COUNTY_STAFF])["guidance_behind"].url).context["members"]
    ledgers = client.get(reverse("funds:ledger_list") + "?near_overspend=1").context["ledgers"]
    client.force_login(world.users[Role.COMMITTEE_DIRECTOR])
    cases = client.get(reverse("aid_cases:case_list") + "?waiting_for_me=1").context["object_list"]
    records = client.get(reverse("volunteers:servicerecord_list") + "?waiting_for_me=1").context["object_list"]

    assert on_track not in members
    assert w.wc_member in members
    assert half_spent not in ledgers
    assert w.ledger in ledgers
    assert w.case not in cases
    assert w.pending_case in cases
    assert w.service_record not in records
    assert len(records) == 1
