"""溆浦县低庄镇: the 低庄离退休干部党支部 (2019) whose 14 old Party members sit on the town
youth-care committee, the committee's 300 m² office space, and 26 五好 village/school committees."""

import datetime as dt
from decimal import Decimal

from branches.demo.common import YEAR, Batch, Ledger, ledger_year
from branches.models import Branch, Honour, Post, Venue, YouthCareCommittee
from core.models import DatePrecision, Region

COUNTY, DIZHUANG = "431224000000", "431224101000"
BRANCH = "低庄离退休干部党支部"
VILLAGES = [
    "大坪村",
    "枫木村",
    "茅坡村",
    "岩门村",
    "桐木村",
    "金鸡村",
    "龙潭村",
    "杨柳村",
    "石桥村",
    "田坪村",
    "竹园村",
    "水田村",
    "桃花村",
    "长乐村",
    "黄泥村",
    "马鞍村",
    "青山村",
    "向阳村",
    "团结村",
    "红星村",
    "横岩村",
    "凉水村",
    "新街社区",
    "老街社区",
    "白岩社区",
]
SCHOOLS = ["低庄镇中学", "低庄镇中心小学", "低庄镇健硕体能培训学校"]


def load(stdout) -> None:
    if Branch.all_objects.filter(name=BRANCH, region_id=DIZHUANG).exists():
        stdout.write("  溆浦县：已存在，跳过")
        return
    town = Region.objects.get(code=DIZHUANG)
    batch = Batch(seed=431224, county_code=COUNTY, birth_codes=("431202", "431223", "431225"))
    rng = batch.rng
    branch = Branch.objects.create(
        name=BRANCH,
        kind=Branch.Kind.RETIREE,
        host_unit="低庄镇",
        host_kind=Branch.HostKind.AGENCY,
        region=town,
        founded_on=dt.date(2019, 4, 26),
        note="2019年成立，14名老党员选配进镇关工委班子",
    )
    office = Venue.objects.create(
        name="低庄镇关工委办公场所",
        kind=Venue.Kind.OFFICE,
        region=town,
        area_m2=Decimal("300"),
        owner="低庄镇人民政府",
        description="镇办事处提供：办公室6间、会议室1间、仓库2间，共300平方米，供镇关工委及离退休干部党支部使用",
    )
    branch.venues.add(office)
    flags = [True] * 26 + [False] * 6
    rng.shuffle(flags)
    members = [
        batch.retiree(
            branch,
            party=p,
            born=(1940, 1964),
            since=dt.date(2019, 4, 26),
            former_posts=("教师", "乡镇干部", "卫生院医生", "农技员", "站长"),
            skills=("education", "agritech", "medical", "arts"),
        )
        for p in flags
    ]
    leaders = batch.branch_committee(branch, members, start=dt.date(2022, 4, 1), n_members=2, allowances=False)
    committee = YouthCareCommittee.objects.create(
        name="低庄镇关工委",
        level=YouthCareCommittee.Level.TOWN,
        region=town,
        founded_on=dt.date(2006, 9, 1),
        five_good_status=YouthCareCommittee.FiveGoodStatus.ACHIEVED,
        five_good_on=dt.date(2020, 11, 30),
        note="老年学校、老科协、老健协等涉老组织整合进关工委职能",
    )
    committee.venues.add(office)
    elders = [r for r in members if r.is_party_member][:14]  # the 14 old Party members on the committee
    batch.post(
        batch.person(town, gender="M", born=(1978, 1985)),
        committee=committee,
        role=Post.Role.DIRECTOR,
        start=dt.date(2019, 5, 1),
        outside="镇党委书记",
    )
    for n, retiree in enumerate(elders):
        role = Post.Role.EXECUTIVE_DIRECTOR if n == 0 else Post.Role.DEPUTY_DIRECTOR if n < 3 else Post.Role.MEMBER
        batch.post(
            retiree.person,
            committee=committee,
            role=role,
            start=dt.date(2019, 5, 1),
            outside="低庄离退休干部党支部党员",
        )
    ledger_year(
        batch,
        Ledger(
            branch=branch,
            members=members,
            committee=leaders,
            secretary=leaders[0].person.name,
            place=office.name,
            profile="fair",
        ),
        YEAR,
    )
    counts = batch.save()
    children = YouthCareCommittee.objects.bulk_create(
        [
            YouthCareCommittee(
                name=f"{name}关工委",
                region=town,
                parent=committee,
                level=YouthCareCommittee.Level.SCHOOL if name in SCHOOLS else YouthCareCommittee.Level.VILLAGE,
                host_unit=name if name in SCHOOLS else "",
                five_good_status=YouthCareCommittee.FiveGoodStatus.ACHIEVED
                if n < 26
                else YouthCareCommittee.FiveGoodStatus.IN_PROGRESS,
                five_good_on=dt.date(rng.choice((2020, 2021, 2022)), 12, 1) if n < 26 else None,
            )
            for n, name in enumerate(SCHOOLS + VILLAGES)
        ]
    )
    Honour.objects.create(
        title="湖南省关心下一代工作先进集体",
        level=Honour.Level.PROVINCE,
        awarded_by="湖南省关心下一代工作委员会",
        awarded_on=dt.date(2021, 1, 1),
        awarded_precision=DatePrecision.YEAR,
        committee=committee,
        note="原始材料只记到年",
    )
    stdout.write(
        f"  溆浦县：{BRANCH}{len(members)}人，镇关工委含14名老党员，{len(children)}个村（校）关工委，"
        f"{counts['activities']}条活动"
    )
