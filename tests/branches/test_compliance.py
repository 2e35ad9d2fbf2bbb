"""The compliance calendar on known data: done, due, overdue and future periods."""

import datetime as dt

import pytest
from django.utils import translation

from branches import compliance
from branches.models import Activity, Branch, ComplianceRule
from tests import factories as f
from tests.core.test_i18n import english_mo  # noqa: F401 (fixture: the compiled English catalogue)

pytestmark = pytest.mark.django_db

Kind = Activity.Kind


@pytest.fixture
def county():
    return f.RegionFactory(code="990101000000", name="测试县", level="county")


@pytest.fixture
def branch(county):
    return f.BranchFactory(region=county, kind=Branch.Kind.RETIREE, founded_on=dt.date(2018, 1, 1))


def held(branch, kind, *days):
    for day in days:
        f.ActivityFactory(branch=branch, kind=kind, held_on=day)


def row(calendar, kind):
    return next(r for r in calendar.rows if r.requirement.kind == kind)


def states(calendar, kind):
    return [c.state for c in row(calendar, kind).cells]


def test_two_theme_days_in_a_quarter_leave_the_third_month_overdue_once_it_is_over(branch):
    held(branch, Kind.THEME_DAY, dt.date(2026, 4, 10), dt.date(2026, 5, 12))

    in_june = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 6, 15))
    after_june = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 7, 1))

    assert states(in_june, Kind.THEME_DAY)[3:6] == ["done", "done", "due"]
    assert states(after_june, Kind.THEME_DAY)[3:6] == ["done", "done", "overdue"]
    assert states(after_june, Kind.THEME_DAY)[:3] == ["overdue"] * 3
    assert states(after_june, Kind.THEME_DAY)[7:] == ["future"] * 5


def test_quarterly_kinds_have_one_cell_per_quarter(branch):
    held(branch, Kind.GENERAL_MEETING, dt.date(2026, 2, 3))
    calendar = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 8, 20))

    general = row(calendar, Kind.GENERAL_MEETING)
    assert [c.span for c in general.cells] == [3, 3, 3, 3]
    assert states(calendar, Kind.GENERAL_MEETING) == ["done", "overdue", "due", "future"]
    assert general.cells[0].count == 1
    assert general.cell_for(8).title == "第3季度"


def test_yearly_kinds_are_due_during_the_year_and_overdue_after_it(branch):
    held(branch, Kind.MEMBER_APPRAISAL, dt.date(2026, 1, 20))
    this_year = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 11, 22))
    last_year = compliance.branch_calendar(branch, 2025, today=dt.date(2026, 11, 22))

    assert states(this_year, Kind.ORG_LIFE_MEETING) == ["due"]
    assert states(this_year, Kind.MEMBER_APPRAISAL) == ["done"]
    assert states(last_year, Kind.ORG_LIFE_MEETING) == ["overdue"]
    assert row(this_year, Kind.ORG_LIFE_MEETING).cells[0].span == 12


def test_defaults_follow_the_branch_work_regulations(branch):
    calendar = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 1, 5))
    periods = {r.requirement.kind: (r.requirement.period, r.requirement.times) for r in calendar.rows}
    assert periods == {
        Kind.GENERAL_MEETING: ("quarter", 1),
        Kind.COMMITTEE_MEETING: ("month", 1),
        Kind.GROUP_MEETING: ("month", 1),
        Kind.PARTY_LESSON: ("quarter", 1),
        Kind.THEME_DAY: ("month", 1),
        Kind.ORG_LIFE_MEETING: ("year", 1),
        Kind.MEMBER_APPRAISAL: ("year", 1),
    }


def test_a_county_rule_overrides_the_default_for_its_kind_of_branch(county, branch):
    ComplianceRule.objects.create(
        region=county, branch_kind=Branch.Kind.RETIREE, activity_kind=Kind.THEME_DAY, period="quarter", times=2
    )
    held(branch, Kind.THEME_DAY, dt.date(2026, 1, 10), dt.date(2026, 2, 10), dt.date(2026, 4, 10))
    calendar = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 7, 2))

    assert states(calendar, Kind.THEME_DAY) == ["done", "overdue", "due", "future"]
    assert row(calendar, Kind.THEME_DAY).cells[1].required == 2


def test_times_zero_means_not_required_and_rules_can_add_kinds(county, branch):
    ComplianceRule.objects.create(
        region=county, branch_kind=Branch.Kind.RETIREE, activity_kind=Kind.COMMITTEE_MEETING, period="month", times=0
    )
    ComplianceRule.objects.create(
        region=county, branch_kind=Branch.Kind.RETIREE, activity_kind=Kind.STUDY, period="month", times=1
    )
    kinds = [r.requirement.kind for r in compliance.branch_calendar(branch, 2026).rows]
    assert Kind.COMMITTEE_MEETING not in kinds
    assert Kind.STUDY in kinds


def test_rules_of_another_county_or_branch_kind_do_not_apply(county, branch):
    other = f.RegionFactory(code="990202000000", level="county")
    ComplianceRule.objects.create(
        region=other, branch_kind=Branch.Kind.RETIREE, activity_kind=Kind.THEME_DAY, period="year", times=1
    )
    ComplianceRule.objects.create(
        region=county, branch_kind=Branch.Kind.TEMPORARY, activity_kind=Kind.THEME_DAY, period="year", times=1
    )
    assert row(compliance.branch_calendar(branch, 2026), Kind.THEME_DAY).requirement.period == "month"


def test_a_branch_in_a_town_uses_its_county_rules(county):
    town = f.RegionFactory(code="990101100000", level="town", parent=county)
    branch = f.BranchFactory(region=town, kind=Branch.Kind.RETIREE)
    ComplianceRule.objects.create(
        region=county, branch_kind=Branch.Kind.RETIREE, activity_kind=Kind.THEME_DAY, period="year", times=3
    )
    assert row(compliance.branch_calendar(branch, 2026), Kind.THEME_DAY).requirement.times == 3


def test_archived_activities_and_other_years_do_not_count(branch):
    held(branch, Kind.THEME_DAY, dt.date(2025, 3, 1))
    archived = f.ActivityFactory(branch=branch, kind=Kind.THEME_DAY, held_on=dt.date(2026, 3, 1))
    archived.archive(by=None)
    calendar = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 4, 1))
    assert states(calendar, Kind.THEME_DAY)[2] == "overdue"


def test_periods_before_the_branch_was_founded_are_not_counted(county):
    branch = f.BranchFactory(region=county, founded_on=dt.date(2026, 5, 1))
    calendar = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 7, 1))
    assert states(calendar, Kind.THEME_DAY)[:6] == ["future"] * 4 + ["overdue", "overdue"]


def test_the_overview_costs_two_queries_whatever_the_number_of_branches(county, django_assert_max_num_queries):
    branches = [f.BranchFactory(region=county) for _ in range(6)]
    for b in branches:
        held(b, Kind.THEME_DAY, dt.date(2026, 1, 5), dt.date(2026, 2, 5))
    with django_assert_max_num_queries(2):
        calendars = compliance.calendars(branches, 2026, today=dt.date(2026, 3, 15))
    assert [c.overdue_count for c in calendars] == [4] * 6  # Jan–Feb 支委会, 党小组会 overdue


def test_current_gives_this_months_cell_per_kind(branch):
    calendar = compliance.branch_calendar(branch, 2026, today=dt.date(2026, 5, 20))
    current = dict((req.kind, cell.state) for req, cell in calendar.current())
    assert current[Kind.THEME_DAY] == "due"
    assert current[Kind.ORG_LIFE_MEETING] == "due"


@pytest.mark.parametrize(
    ("language", "month", "quarter", "year", "frequency"),
    [
        ("zh-hans", "3月", "第1季度", "2025年", "每季度1次"),
        ("en", "March", "Q1", "2025", "1 per quarter"),
    ],
)
@pytest.mark.usefixtures("english_mo")
def test_periods_and_frequencies_read_as_whole_phrases(branch, language, month, quarter, year, frequency):
    calendar = compliance.build_calendar(branch, 2025, {}, {}, today=dt.date(2025, 6, 1))
    rows = {r.requirement.kind: r for r in calendar.rows}
    with translation.override(language):
        assert rows[Activity.Kind.THEME_DAY].cell_for(3).title == month
        assert rows[Activity.Kind.GENERAL_MEETING].cell_for(2).title == quarter
        assert rows[Activity.Kind.ORG_LIFE_MEETING].cell_for(7).title == year
        assert rows[Activity.Kind.GENERAL_MEETING].requirement.frequency == frequency
