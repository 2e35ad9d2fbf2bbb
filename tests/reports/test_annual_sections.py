"""The annual report's sections from the volunteers, aid and funds apps, on a fixed data set built
here: every figure and sentence exactly.

As in test_annual: two counties of their own codes; the neighbouring county, archived rows,
rows outside the year or after the "as of" day never count; 31 December counts.
"""

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aid_cases import models as a
from branches import models as b
from core.models import Region
from funds import models as fm
from funds import services as funds_services
from reports import annual
from reports.selectors.annual import Period
from tests import factories as f
from volunteers import models as v

pytestmark = pytest.mark.django_db

YEAR = 2024
DAY = dt.date(YEAR, 5, 10)


def _volunteer(committee, n, category, *, registered_on=dt.date(YEAR - 1, 3, 1), **fields):
    return v.Volunteer.objects.create(
        person=f.PersonFactory(region=committee.region),
        committee=committee,
        number=f"{committee.region.code[:6]}V{n:04d}",
        category=category,
        registered_on=registered_on,
        **fields,
    )


def _service(committee, kind, *, by, served_on=DAY, minors=0, adults=0, status="confirmed", hours=(), **fields):
    record = v.ServiceRecord.objects.create(
        committee=committee,
        region=committee.region,
        served_on=served_on,
        kind=kind,
        minors_served=minors,
        adults_served=adults,
        status=status,
        confirmed_at=timezone.now() if status == "confirmed" else None,
        recorded_by=by,
        **fields,
    )
    for volunteer, spent in hours:
        v.ServiceHours.objects.create(record=record, volunteer=volunteer, hours=spent)
    return record


def volunteers(committee, *, scale=1):
    cat = v.Volunteer.Category
    people = [_volunteer(committee, i, cat.CADRE) for i in range(2 * scale)]
    people += [_volunteer(committee, 100 + i, cat.TEACHER, registered_on=dt.date(YEAR, 4, 1)) for i in range(scale)]
    # Left before the year's end, registered after it, an applicant, archived: none counts.
    _volunteer(committee, 900, cat.VETERAN, status="left", status_on=dt.date(YEAR, 6, 1))
    _volunteer(committee, 901, cat.VETERAN, registered_on=dt.date(YEAR + 1, 1, 2))
    _volunteer(committee, 902, cat.EXPERT, status="applicant")
    _volunteer(committee, 903, cat.MODEL).archive(by=None)
    # Left after the year's end: still a volunteer on 31 December.
    people.append(_volunteer(committee, 904, cat.VETERAN, status="left", status_on=dt.date(YEAR + 1, 2, 1)))

    team = v.Team.objects.create(name=f"{committee.name}护学队", purpose=v.Team.Purpose.PATROL, committee=committee)
    advisory = v.Team.objects.create(
        name=f"{committee.name}顾问团", purpose=v.Team.Purpose.ADVISORY, committee=committee
    )
    for volunteer in people[:2]:
        v.TeamMembership.objects.create(team=team, volunteer=volunteer, joined_on=dt.date(YEAR - 1, 5, 1))
    v.TeamMembership.objects.create(
        team=advisory, volunteer=people[0], joined_on=dt.date(YEAR - 1, 5, 1), left_on=dt.date(YEAR, 3, 1)
    )
    v.Studio.objects.create(name=f"{committee.name}工作室", theme="课业辅导", committee=committee)

    kind = v.ServiceRecord.Kind
    recorder = f.UserFactory(region=committee.region.parent)
    for i in range(scale):
        # A day per round: no one serves over 24 hours a day.
        service = partial(_service, committee, by=recorder, served_on=DAY + dt.timedelta(days=i))
        service(
            kind=kind.TUTORING,
            minors=25,
            hours=[(people[0], Decimal("2")), (people[1], Decimal("1.5"))],
        )
        service(
            kind=kind.TUTORING,
            served_on=dt.date(YEAR, 12, 31),
            minors=15,
            hours=[(people[0], 1)],
        )
        service(kind=kind.EXAM_TRAFFIC, adults=0, minors=900, hours=[(people[2], 4)])
        service(
            kind=kind.CULTURE,
            culture_scale="large",
            adults=300,
            hours=[(people[1], 3)],
        )
        service(
            kind=kind.MEDIATION,
            adults=2,
            dispute_kind="neighbours",
            outcome="resolved",
            hours=[(people[0], 1)],
        )
        service(
            kind=kind.MEDIATION,
            adults=2,
            dispute_kind="family",
            outcome="referred",
        )
        # Waiting for confirmation, the year after, archived: none counts.
        service(kind=kind.TUTORING, minors=50, status="pending")
        service(kind=kind.TUTORING, served_on=dt.date(YEAR + 1, 1, 1), minors=50)
        service(kind=kind.TUTORING, minors=50).archive(by=None)

        v.Suggestion.objects.create(committee=committee, topic="增设护学岗", addressed_to="镇党委", proposed_on=DAY)
        v.Suggestion.objects.create(
            committee=committee,
            team=advisory,
            topic="古镇风貌提升",
            addressed_to="镇党委",
            proposed_on=DAY,
            decision="古镇风貌提升方案",
            adopted=True,
            adopted_on=dt.date(YEAR, 6, 1),
        )
        v.Suggestion.objects.create(
            committee=committee, topic="往年", addressed_to="镇党委", proposed_on=dt.date(YEAR - 1, 1, 1)
        )
    b.GovernanceRole.objects.create(
        person=people[0].person, kind=b.GovernanceRole.Kind.GRID_WORKER, region=committee.region
    )
    b.GovernanceRole.objects.create(
        person=people[1].person, kind=b.GovernanceRole.Kind.BUILDING_HEAD, region=committee.region
    )
    b.GovernanceRole.objects.create(
        person=people[2].person,
        kind=b.GovernanceRole.Kind.GRID_WORKER,
        region=committee.region,
        end_on=dt.date(YEAR, 1, 31),
    )


def aid(committee, *, scale=1):
    programme = a.Programme.objects.create(name=f"{committee.name}结对", kind="pairing", committee=committee)
    sponsor = a.Sponsor.objects.create(kind="individual", name=f"{committee.name}爱心人士", region=committee.region)
    cases = []
    for i in range(2 * scale):
        child = a.Child.objects.create(
            person=f.PersonFactory(region=committee.region, birth_date=dt.date(2010, 1, 1)),
            region=committee.region,
            circumstances=["left_behind"],
        )
        cases.append(
            a.AidCase.objects.create(
                child=child,
                programme=programme,
                committee=committee,
                status="active",
                registered_on=dt.date(YEAR - 1, 9, 1) if i % 2 else dt.date(YEAR, 2, 1),
            )
        )
    # Registered, not yet approved: not in the register; closed in the year.
    autumn = a.Programme.objects.create(name=f"{committee.name}金秋助学", kind="student_aid", committee=committee)
    a.AidCase.objects.create(child=cases[0].child, programme=autumn, committee=committee, registered_on=DAY)
    a.AidCase.objects.create(
        child=cases[1].child,
        programme=autumn,
        committee=committee,
        status="closed",
        close_reason="graduated",
        registered_on=dt.date(YEAR - 2, 1, 1),
        closed_on=dt.date(YEAR, 7, 1),
    )
    pairing = a.Pairing.objects.create(
        sponsor=sponsor, case=cases[0], monthly_amount=Decimal("1000"), start_on=dt.date(YEAR, 2, 1)
    )
    for month in range(2, 12):
        a.Disbursement.objects.create(
            case=cases[0],
            pairing=pairing,
            paid_on=dt.date(YEAR, month, 20),
            for_month=dt.date(YEAR, month, 1),
            amount=Decimal("1000"),
        )
    wrong = a.Disbursement.objects.create(
        case=cases[1], paid_on=dt.date(YEAR, 3, 1), for_month=dt.date(YEAR, 3, 1), amount=Decimal("3000")
    )
    a.Disbursement.objects.create(
        case=cases[1], paid_on=dt.date(YEAR, 3, 2), for_month=wrong.for_month, amount=-wrong.amount, reverses=wrong
    )
    a.Disbursement.objects.create(
        case=cases[1], paid_on=dt.date(YEAR, 8, 20), for_month=dt.date(YEAR, 8, 1), amount=Decimal("3000")
    )
    for i in range(3):
        visit = a.CareVisit.objects.create(
            committee=committee,
            visited_on=dt.date(YEAR, 6, 1),
            occasion="childrens_day",
            cash=Decimal("500"),
            goods_value=Decimal("53450"),
            unregistered_children=1,
        )
        visit.children.add(*[c.child for c in cases[: i + 1]])
    a.CareVisit.objects.create(
        committee=committee, visited_on=dt.date(YEAR - 1, 6, 1), occasion="childrens_day", goods_value=Decimal("99")
    )
    drive = a.Drive.objects.create(
        committee=committee, title="爱心募捐", case=cases[0], launched_on=dt.date(YEAR, 3, 1), launched_by="镇关工委"
    )
    a.Donation.objects.create(drive=drive, received_on=dt.date(YEAR, 3, 5), amount=Decimal("100350"))
    a.Donation.objects.create(
        drive=drive, received_on=dt.date(YEAR, 3, 6), amount=0, goods=f"文具{scale}", goods_value=Decimal("2000")
    )


def funds(county, town, committee):
    branch = f.BranchFactory(region=town, name=f"{town.name}经费支部")
    county_ledger = funds_services.ledger_open(county=county)
    branch_ledger = funds_services.ledger_open(branch=branch)
    committee_ledger = funds_services.ledger_open(committee=committee)

    def entry(ledger, direction, category, amount, on=DAY):
        return funds_services.entry_record(
            ledger=ledger,
            occurred_on=on,
            direction=direction,
            category=category,
            amount=Decimal(amount),
            summary="测试",
            by=None,
        )

    income, expense, cat = fm.Direction.INCOME, fm.Direction.EXPENSE, fm.Category
    entry(county_ledger, income, cat.COUNTY_ALLOCATION, "150000", on=dt.date(YEAR, 1, 5))
    # Allocated inside the county: both sides leave the county's totals alone.
    funds_services.allocation_create(
        county_ledger=county_ledger,
        occurred_on=dt.date(YEAR, 2, 1),
        summary="启动资金",
        lines=[(branch_ledger, Decimal("50000"))],
        by=None,
    )
    entry(branch_ledger, income, cat.PARTY_DUES_RETURNED, "1200")
    entry(committee_ledger, income, cat.COUNTY_ALLOCATION, "30000")
    entry(branch_ledger, expense, cat.ALLOWANCE, "2400", on=dt.date(YEAR, 12, 31))
    wrong = entry(committee_ledger, expense, cat.ACTIVITY, "9999")
    funds_services.entry_reverse(entry=wrong, occurred_on=DAY, reason="记错", by=None)
    entry(committee_ledger, expense, cat.ACTIVITY, "8000")
    entry(committee_ledger, expense, cat.VOLUNTEER_TRANSPORT, "600")
    entry(committee_ledger, expense, cat.ACTIVITY, "7777", on=dt.date(YEAR + 1, 1, 1))


def populate(code: str, name: str, *, scale: int = 1):
    county = f.RegionFactory(code=code, name=name, level=Region.Level.COUNTY)
    town = f.RegionFactory(code=code[:6] + "001000", name=f"{name}甲镇", level=Region.Level.TOWN, parent=county)
    committee = f.CommitteeFactory(region=town, name=f"{name}甲镇关工委")
    volunteers(committee, scale=scale)
    aid(committee, scale=scale)
    funds(county, town, committee)
    return county


@pytest.fixture
def county():
    county = populate("981301000000", "甲县")
    populate("981302000000", "邻县")  # never counts
    return county


def sentences(report, key):
    return next(s for s in report.sections if s.key == key).sentences


def rows(report, key):
    return {row.label: row.text for row in next(s for s in report.sections if s.key == key).rows}


def test_youth_care_counts_volunteers_on_the_last_day_and_the_year_s_confirmed_service(county):
    report = annual.build(Period.of(county, YEAR))
    assert sentences(report, "youth_care") == [
        "全县登记“五老”志愿者4名，其中老干部2名、老战士1名、老教师1名，本年新登记1名。",
        "组建志愿服务队2支，队员2人，建成“五老”工作室1个。",
        "2024年，开展志愿服务6次，服务时长12.5小时，服务未成年人940人次，服务群众304人次。",
        "其中课外辅导2次、护考1次，文艺演出大型1场。",
        "开展课外辅导2次，辅导未成年人40人次。",
    ]
    table = rows(report, "youth_care")
    assert table["服务时长"] == "12.5小时"
    assert table["参与服务的志愿者"] == "3名"
    assert table["矛盾纠纷调解"] == "2次"


def test_aid_counts_cases_money_net_of_reversals_visits_and_drives(county):
    report = annual.build(Period.of(county, YEAR))
    assert sentences(report, "aid") == [
        "2024年，在册帮扶个案2个，本年新增2个，结案1个，开展一对一结对帮扶1对，资助人1名。",
        "发放助学帮扶资金1.3万元，惠及困难儿童2名。",
        "开展关爱“三童”慰问3次，共慰问8人次，慰问金和慰问物资累计价值16万余元。",
        "发起爱心募捐1次，募集善款10万余元，物资折价2000元。",
    ]
    assert rows(report, "aid")["慰问金"] == "1500元"


def test_contributions_count_suggestions_decisions_mediations_and_roles_held(county):
    report = annual.build(Period.of(county, YEAR))
    assert sentences(report, "contributions") == [
        "2024年，“五老”和离退休干部建言献策2条，被采纳1条。",
        "1个顾问团参与决策1项。",
        "调解矛盾纠纷2起，其中调解成功1起。",
        "2名老同志担任网格员1名、楼栋长1名等基层治理角色。",
    ]


def test_funds_leave_out_allocations_inside_the_region_and_net_out_reversals(county):
    report = annual.build(Period.of(county, YEAR))
    assert sentences(report, "funds") == [
        "2024年，全年筹集经费18.12万元，其中上级拨款18万元、党费返还1200元。",
        "支出经费1.1万元，其中补贴（书记、委员）2400元、活动经费8000元、五老补贴：交通600元。",
    ]
    table = rows(report, "funds")
    assert table["下拨经费"] == "0元"


def test_a_town_counts_the_county_s_allocation_to_its_branch_as_income():
    populate("981303000000", "乙县")
    town = Region.objects.get(code="981303001000")
    report = annual.build(Period.of(town, YEAR))
    assert sentences(report, "funds")[0] == "2024年，全年筹集经费8.12万元，其中上级拨款8万元、党费返还1200元。"


def test_as_of_a_day_counts_only_what_had_happened(county):
    report = annual.build(Period.of(county, YEAR, as_of=dt.date(YEAR, 5, 31)))
    # The left volunteer had not left yet; the teacher registered on 1 April is there.
    assert sentences(report, "youth_care")[0].startswith("全县登记“五老”志愿者5名")
    assert not any("慰问" in text for text in sentences(report, "aid"))  # the visits were on 1 June
    assert sentences(report, "contributions")[0] == "2024年，“五老”和离退休干部建言献策2条。"


def test_a_year_with_nothing_recorded_leaves_the_new_sections_empty(county):
    report = annual.build(Period.of(county, 2015))
    for key in ("aid", "funds"):
        assert sentences(report, key) == []
    assert not any("建言献策" in text or "调解" in text for text in sentences(report, "contributions"))
    assert not any("0次" in text or "0元" in text for s in report.sections for text in s.sentences)


def test_the_new_sections_cost_the_same_for_ten_times_the_data(county):
    with CaptureQueriesContext(connection) as small:
        annual.build(Period.of(county, YEAR))
    big = populate("981304000000", "丙县", scale=10)
    with CaptureQueriesContext(connection) as large:
        report = annual.build(Period.of(big, YEAR))
    assert len(large) == len(small) <= 31
    assert sentences(report, "youth_care")[0].startswith("全县登记“五老”志愿者31名")
