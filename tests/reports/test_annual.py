"""The annual report on a fixed data set built here: every figure and sentence exactly.

Two counties of their own (codes no other test uses): what is recorded in the
neighbouring county, archived, dated outside the year or after the "as of" day
never counts; a record of 31 December counts in its year.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches import models as b
from core.models import Region
from reports import annual
from reports.selectors.annual import Period
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR = 2024


def _county(code: str, name: str):
    county = f.RegionFactory(code=code, name=name, level=Region.Level.COUNTY)
    town = f.RegionFactory(code=code[:6] + "001000", name=f"{name}甲镇", level=Region.Level.TOWN, parent=county)
    return county, town


def _retirees(branch, town, count, *, party=True):
    return [
        f.RetireeFactory(
            branch=branch,
            person=f.PersonFactory(region=town),
            is_party_member=party,
            joined_party_on=dt.date(1975, 7, 1) if party else None,
        )
        for _ in range(count)
    ]


def populate(code: str, name: str, *, scale: int = 1):
    """One county's records; `scale` multiplies the rows (for the query-count test)."""
    county, town = _county(code, name)
    cluster = f.ClusterFactory(region=county)
    first = f.BranchFactory(region=town, cluster=cluster, name=f"{name}第一支部")
    second = f.BranchFactory(region=town, cluster=cluster, name=f"{name}第二支部")
    f.BranchFactory(region=county, kind=b.Branch.Kind.TEMPORARY, name=f"{name}老年大学一班临时党支部")
    f.BranchFactory(region=town, founded_on=dt.date(2010, 1, 1), dissolved_on=dt.date(2023, 6, 30))
    f.BranchFactory(region=town).archive(by=None)
    retirees = _retirees(first, town, 3 * scale) + _retirees(second, town, 1 * scale)
    retirees += _retirees(second, town, 1 * scale, party=False)
    f.RetireeFactory(branch=second, person=f.PersonFactory(region=town)).archive(by=None)
    f.VenueFactory(region=town)

    for _ in range(scale):
        f.ActivityFactory(branch=first, kind=b.Activity.Kind.PARTY_LESSON, held_on=dt.date(YEAR, 3, 1))
        theme = f.ActivityFactory(branch=first, kind=b.Activity.Kind.THEME_DAY, held_on=dt.date(YEAR, 7, 1))
        for retiree in retirees[:3]:
            f.AttendanceFactory(activity=theme, person=retiree.person)
        f.ActivityFactory(branch=second, kind=b.Activity.Kind.THEME_DAY, held_on=dt.date(YEAR, 12, 31), is_online=True)
        f.ActivityFactory(branch=second, kind=b.Activity.Kind.HOME_STUDY, held_on=dt.date(YEAR, 5, 8))
        f.ActivityFactory(branch=first, held_on=dt.date(YEAR + 1, 1, 1))  # next year
        f.ActivityFactory(branch=first, held_on=dt.date(YEAR, 4, 1)).archive(by=None)

        f.HonourFactory(branch=first, level=b.Honour.Level.PROVINCE, awarded_on=dt.date(YEAR, 6, 30))
        f.HonourFactory(branch=second, level=b.Honour.Level.COUNTY, awarded_on=dt.date(YEAR - 1, 6, 30))
        f.NeedFactory(branch=first, received_on=dt.date(YEAR, 2, 1), resolved_on=dt.date(YEAR, 3, 1), outcome="已送达")
        f.NeedFactory(
            branch=second, received_on=dt.date(YEAR, 9, 1), resolved_on=dt.date(YEAR, 10, 1), outcome="已解决"
        )
        pair = f.CarePairFactory(
            cadre=f.PersonFactory(region=county), retiree=retirees[0], started_on=dt.date(YEAR - 1, 5, 1)
        )
        b.CareRecord.objects.create(
            care_pair=pair, happened_on=dt.date(YEAR, 1, 20), description="春节慰问", goods_value=Decimal("12000")
        )
        b.CareRecord.objects.create(
            care_pair=pair, happened_on=dt.date(YEAR, 9, 20), description="重阳节慰问", goods_value=Decimal("3350")
        )
        for month in (1, 7):
            b.HardshipPayment.objects.create(retiree=retirees[1], paid_on=dt.date(YEAR, month, 15), amount=800)
    return county, town


@pytest.fixture
def county():
    county, _town = populate("981201000000", "测试县")
    populate("981202000000", "邻县")  # the neighbouring county: never counts
    return county


def sentences(report, key):
    return next(s for s in report.sections if s.key == key).sentences


def test_organisation_counts_the_standing_branches_and_who_they_cover(county):
    report = annual.build(Period.of(county, YEAR))
    assert sentences(report, "organisation") == [
        "按照“四近”原则设置离退休干部党支部2个，覆盖5名离退休干部。",
        "全县2个离退休干部党支部划分为1个片组。",
        "另设临时党支部1个。",
        "建有党员活动室等活动场所1处。",
    ]


def test_study_counts_meetings_of_the_year_including_31_december(county):
    report = annual.build(Period.of(county, YEAR))
    assert sentences(report, "study") == [
        "2024年，各支部开展“三会一课”1次，其中党课1次，开展主题党日活动2次，召开线上会议1次。",
        "对行动不便的老同志开展送学上门1次。",
        "全年各类活动共4次、参与3人次。",
    ]


def test_member_care_writes_money_in_wan_and_needs_all_resolved(county):
    report = annual.build(Period.of(county, YEAR))
    assert sentences(report, "member_care") == [
        "与生活困难、独居、老弱病残离退休干部结成帮扶对子1对，开展结对帮扶2次，送去物品折价1.5万余元。",
        "收集个性需求2条，已全部解决。",
        "发放特殊困难帮扶资金1600元，惠及1人。",
    ]


def test_honours_of_the_year_only(county):
    report = annual.build(Period.of(county, YEAR))
    assert sentences(report, "honours") == ["2024年，获得各级表彰1项，其中省级1项，先进集体1个（名）受到表彰。"]


def test_a_town_report_counts_the_town_only():
    _county, town = populate("981203000000", "另县")
    report = annual.build(Period.of(town, YEAR))
    assert sentences(report, "organisation")[0] == "按照“四近”原则设置离退休干部党支部2个，覆盖5名离退休干部。"
    # The temporary branch sits at county level, outside the town.
    assert all("临时党支部" not in text for text in sentences(report, "organisation"))


def test_as_of_a_day_counts_what_had_happened_by_then(county):
    report = annual.build(Period.of(county, YEAR, as_of=dt.date(YEAR, 6, 30)))
    assert report.period.on == dt.date(YEAR, 6, 30)
    assert sentences(report, "study")[0] == "2024年，各支部开展“三会一课”1次，其中党课1次。"
    assert sentences(report, "member_care")[1] == "收集个性需求1条，已全部解决。"


def test_a_year_with_nothing_recorded_says_nothing_rather_than_zero(county):
    report = annual.build(Period.of(county, 2015))
    assert sentences(report, "study") == []
    assert sentences(report, "honours") == []
    assert not any("0次" in text for s in report.sections for text in s.sentences)


def test_the_query_count_does_not_grow_with_the_data(county):
    with CaptureQueriesContext(connection) as small:
        annual.build(Period.of(county, YEAR))
    big, _town = populate("981204000000", "大县", scale=10)
    with CaptureQueriesContext(connection) as large:
        report = annual.build(Period.of(big, YEAR))
    assert len(large) == len(small) <= 31  # 8 sections
    assert sentences(report, "organisation")[0] == "按照“四近”原则设置离退休干部党支部2个，覆盖50名离退休干部。"
