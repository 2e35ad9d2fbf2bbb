"""乐山市市中区: the 苏稽镇机关退休党支部 (74 retirees, 42 Party members) run with the town's
youth-care committee (党支部+关工委), whose executive director is a branch committee member
(一肩挑); the same model in 大佛街道, 棉竹镇 and the 区民政局; the district committee above.
The demo accounts `shuji` and `zhuren` belong here."""

import datetime as dt
from decimal import Decimal

from branches.demo.common import (
    MEMBER_ALLOWANCE,
    SECRETARY_ALLOWANCE,
    TODAY,
    YEAR,
    YEAR_START,
    Batch,
    Ledger,
    age_on,
    ledger_year,
    random_date,
)
from branches.models import Activity, Branch, Honour, Need, Post, Venue, YouthCareCommittee
from core.demo import ensure_account
from core.models import DatePrecision, Region
from core.scoping import Role

COUNTY, DAFO, SUJI, MIANZHU = "511102000000", "511102001000", "511102101000", "511102102000"
SUJI_BRANCH = "苏稽镇机关退休党支部"
SUJI_COMMITTEE = "苏稽镇关工委"
AGENCY_POSTS = ("科员", "办事员", "副主任科员", "站长", "所长", "副镇长", "党委委员", "工勤人员")
YOUTH_CARE_TOPICS = [
    "学习习近平总书记关于关心下一代工作的重要指示精神",
    "学习《关于加强新时代关心下一代工作委员会工作的意见》",
    "学习省、市、区“两办”实施意见和关工委会议精神",
    "关工委知识学习：“五老”作用发挥",
    "研究“金秋助学”“暖冬慰问”对象和“五老”进校园安排",
]
NEEDS = [
    ("希望增订《晚霞》杂志", "已由支部统一征订"),
    ("申请参加“五老”志愿者队伍", "已登记为“五老”志愿者并编入宣讲组"),
    ("小区车辆乱停影响出行", "已协调小区业委会和社区划定停车位"),
    ("希望组织体检", "已联系镇卫生院统一安排体检"),
    ("行动不便，希望送学上门", "已安排支部委员每月送学上门"),
    ("咨询高龄津贴申领", "已协助向民政办提交申请"),
    ("智能手机使用困难", "已安排年轻干部上门教学"),
    ("希望开展古镇风貌提升建言座谈", "已组织座谈并向镇党委报送建议"),
]


def ensure_accounts() -> None:
    """`shuji`: the secretary of 苏稽镇机关退休党支部; `zhuren`: the 一肩挑 executive director."""
    branch = Branch.objects.filter(name=SUJI_BRANCH, region_id=SUJI).first()
    committee = YouthCareCommittee.objects.filter(name=SUJI_COMMITTEE, region_id=SUJI).first()
    if not branch or not committee:
        return
    secretary = Post.objects.current(TODAY).get(branch=branch, role=Post.Role.SECRETARY)
    director = Post.objects.current(TODAY).get(committee=committee, role=Post.Role.EXECUTIVE_DIRECTOR)
    ensure_account("shuji", role=Role.BRANCH_SECRETARY, person=secretary.person)
    ensure_account("zhuren", role=Role.COMMITTEE_DIRECTOR, person=director.person)


def _agency_branch(batch, name, region, host, *, size, party, founded):
    """An agency retirees' branch with exactly `size` retirees, `party` of them Party members."""
    branch = Branch.objects.create(
        name=name,
        kind=Branch.Kind.AGENCY_RETIREE,
        host_unit=host,
        host_kind=Branch.HostKind.AGENCY,
        region=region,
        founded_on=founded,
    )
    flags = [True] * party + [False] * (size - party)
    batch.rng.shuffle(flags)
    members = [
        batch.retiree(
            branch,
            party=is_party,
            born=(1938, 1966),
            former_posts=AGENCY_POSTS,
            skills=("education", "law", "arts", "mediation", "agritech"),
            since=founded,
        )
        for is_party in flags
    ]
    venue = Venue.objects.create(
        name=f"{name.removesuffix('党支部')}党员活动室",
        kind=Venue.Kind.ACTIVITY_ROOM,
        region=region,
        owner=host,
        area_m2=Decimal("60"),
    )
    branch.venues.add(venue)
    return branch, members, venue


def _committee_posts(batch, committee, start, rows):
    for person, role, outside in rows:
        batch.post(person, committee=committee, role=role, outside=outside, start=start)


def load(stdout) -> None:
    if Branch.all_objects.filter(name=SUJI_BRANCH, region_id=SUJI).exists():
        stdout.write("  乐山市市中区：已存在，跳过")
        return
    regions = {r.code: r for r in Region.objects.filter(code__startswith="511102")}
    county, suji = regions[COUNTY], regions[SUJI]
    batch = Batch(seed=511102, county_code=COUNTY, birth_codes=("511111", "511112", "511123", "511126"))
    rng = batch.rng

    district = YouthCareCommittee.objects.create(
        name="市中区关工委",
        level=YouthCareCommittee.Level.COUNTY,
        region=county,
        founded_on=dt.date(1991, 6, 1),
        five_good_status=YouthCareCommittee.FiveGoodStatus.ACHIEVED,
        five_good_on=dt.date(2019, 12, 20),
    )
    _committee_posts(
        batch,
        district,
        dt.date(2022, 9, 1),
        [
            (batch.person(county, gender="M", born=(1956, 1960)), Post.Role.DIRECTOR, "区人大常委会原副主任"),
            (batch.person(county, gender="M", born=(1958, 1962)), Post.Role.EXECUTIVE_DIRECTOR, "区委老干部局原局长"),
            (batch.person(county, gender="F", born=(1978, 1986)), Post.Role.MEMBER, "区关工委办公室主任"),
        ],
    )

    # 苏稽镇: the branch, its committee of three and the town committee of eleven ---------------
    branch, members, venue = _agency_branch(
        batch, SUJI_BRANCH, suji, "苏稽镇机关", size=74, party=42, founded=dt.date(2016, 7, 1)
    )
    party = [
        r for r in members if r.is_party_member and 62 <= age_on(r.person.birth_date) <= 74 and not r.limited_mobility
    ]
    secretary, organiser, director = party[:3]
    director.skills, director.specialty = ["education"], "长期从事宣传和青少年教育工作"
    term = dt.date(2023, 3, 16)
    batch.post(secretary.person, branch=branch, role=Post.Role.SECRETARY, start=term, allowance=SECRETARY_ALLOWANCE)
    batch.post(
        organiser.person,
        branch=branch,
        role=Post.Role.COMMITTEE_MEMBER,
        duty=Post.Duty.ORGANISATION,
        start=term,
        allowance=MEMBER_ALLOWANCE,
    )
    batch.post(
        director.person,
        branch=branch,
        role=Post.Role.COMMITTEE_MEMBER,
        duty=Post.Duty.YOUTH_CARE,
        start=term,
        allowance=MEMBER_ALLOWANCE,
        outside="苏稽镇关工委执行主任",
    )
    committee = YouthCareCommittee.objects.create(
        name=SUJI_COMMITTEE,
        level=YouthCareCommittee.Level.TOWN,
        region=suji,
        parent=district,
        branch=branch,
        founded_on=dt.date(2006, 5, 1),
        five_good_status=YouthCareCommittee.FiveGoodStatus.ACHIEVED,
        five_good_on=dt.date(2023, 12, 15),
        note="党支部+关工委：支部工作与关工委工作同部署、同落实、同检查、同考核；每年关工委工作经费3万元",
    )
    committee.venues.add(venue)
    elders = [r for r in members if r.is_party_member and r not in (secretary, organiser, director)][:2]
    _committee_posts(
        batch,
        committee,
        dt.date(2023, 3, 20),
        [
            (batch.person(suji, gender="M", born=(1975, 1982)), Post.Role.DIRECTOR, "镇党委副书记"),
            (director.person, Post.Role.EXECUTIVE_DIRECTOR, "镇机关退休党支部委员"),
            (batch.person(suji, gender="F", born=(1980, 1988)), Post.Role.DEPUTY_DIRECTOR, "镇党委委员、组织委员"),
            (batch.person(suji, gender="F", born=(1988, 1995)), Post.Role.MEMBER, "镇团委书记（群团组织分管领导）"),
            (elders[0].person, Post.Role.MEMBER, "退休老干部"),
            (elders[1].person, Post.Role.MEMBER, "退休老干部"),
            (batch.person(suji, gender="M", born=(1976, 1985)), Post.Role.MEMBER, "苏稽派出所所长"),
            (batch.person(suji, gender="M", born=(1972, 1980)), Post.Role.MEMBER, "苏稽法庭庭长"),
            (batch.person(suji, gender="M", born=(1970, 1978)), Post.Role.MEMBER, "苏稽中学校长"),
            (batch.person(suji, gender="F", born=(1972, 1980)), Post.Role.MEMBER, "苏稽镇中心小学校长"),
            (batch.person(suji, gender="F", born=(1978, 1986)), Post.Role.MEMBER, "苏稽镇中心幼儿园园长"),
        ],
    )
    suji_ledger = Ledger(
        branch=branch,
        members=members,
        committee=[secretary, organiser, director],
        secretary=secretary.person.name,
        place=venue.name,
        extra_topics=YOUTH_CARE_TOPICS,
        studies=5,
    )
    ledger_year(batch, suji_ledger, YEAR)
    for on, topic, place, reached in (
        (dt.date(YEAR, 3, 26), "“传承红色基因、争做时代新人”主题教育进校园", "苏稽中学", 420),
        (dt.date(YEAR, 5, 28), "“老少共筑中国梦”：五老讲党史", "苏稽镇中心小学", 360),
        (dt.date(YEAR, 9, 24), "讲好爱国故事、英雄故事", "苏稽镇中心幼儿园", 150),
        (dt.date(YEAR, 10, 29), "五老讲改革开放史", "苏稽中学", 380),
    ):
        batch.activity(
            branch,
            Activity.Kind.LECTURE,
            on,
            topic,
            place=place,
            speaker=director.person.name,
            reached=reached,
            content="支部党员以“五老”志愿者身份进校宣讲。",
        )
    batch.activity(
        branch,
        Activity.Kind.VISIT,
        dt.date(YEAR, 1, 23),
        "“暖冬慰问”困境儿童（与镇关工委联合）",
        speaker=director.person.name,
        reached=26,
        content="慰问“三童”26人，送去棉衣和学习用品。",
    )
    batch.activity(
        branch,
        Activity.Kind.VISIT,
        dt.date(YEAR, 8, 27),
        "“金秋助学”入户看望考上大学的困难学生",
        speaker=director.person.name,
        reached=5,
        content="送去助学金，勉励学生好好学习。",
    )

    # 大佛街道, 棉竹镇 and the 区民政局: the same 党支部+关工委 model ----------------------------------
    others = [
        (
            "大佛街道机关退休党支部",
            regions[DAFO],
            "大佛街道机关",
            38,
            27,
            "大佛街道关工委",
            YouthCareCommittee.Level.TOWN,
            "",
            Post.Role.SECRETARY,
        ),
        (
            "棉竹镇机关退休党支部",
            regions[MIANZHU],
            "棉竹镇机关",
            26,
            17,
            "棉竹镇关工委",
            YouthCareCommittee.Level.TOWN,
            "",
            Post.Role.COMMITTEE_MEMBER,
        ),
        (
            "区民政局机关退休党支部",
            county,
            "区民政局",
            22,
            18,
            "区民政局关工委",
            YouthCareCommittee.Level.DEPARTMENT,
            "区民政局",
            Post.Role.COMMITTEE_MEMBER,
        ),
    ]
    ledgers = [suji_ledger]
    for name, region, host, size, n_party, committee_name, level, committee_host, shoulder in others:
        other, other_members, other_venue = _agency_branch(
            batch, name, region, host, size=size, party=n_party, founded=dt.date(2018, 3, 1)
        )
        leaders = batch.branch_committee(other, other_members, start=dt.date(2023, 4, 1), n_members=2)
        one_shoulder = leaders[0] if shoulder == Post.Role.SECRETARY else leaders[-1]
        other_committee = YouthCareCommittee.objects.create(
            name=committee_name,
            level=level,
            region=region,
            parent=district,
            branch=other,
            host_unit=committee_host,
            founded_on=dt.date(2008, 4, 1),
            five_good_status=YouthCareCommittee.FiveGoodStatus.IN_PROGRESS,
        )
        other_committee.venues.add(other_venue)
        _committee_posts(
            batch,
            other_committee,
            dt.date(2023, 4, 10),
            [
                (
                    batch.person(region, born=(1974, 1984)),
                    Post.Role.DIRECTOR,
                    "分管副书记" if level == "town" else "局党组成员",
                ),
                (
                    one_shoulder.person,
                    Post.Role.EXECUTIVE_DIRECTOR,
                    "机关退休党支部书记" if shoulder == "secretary" else "机关退休党支部委员",
                ),
                *[(r.person, Post.Role.MEMBER, "退休老干部") for r in other_members if r.is_party_member][:3],
            ],
        )
        ledger = Ledger(
            branch=other,
            members=other_members,
            committee=leaders,
            secretary=leaders[0].person.name,
            place=other_venue.name,
            profile=rng.choice(("good", "fair")),
            extra_topics=YOUTH_CARE_TOPICS,
        )
        ledgers.append(ledger)
        ledger_year(batch, ledger, YEAR)
    counts = batch.save()

    needs = []
    for n, (what, outcome) in enumerate(NEEDS * 2):
        ledger = ledgers[0] if n < 8 else rng.choice(ledgers[1:])
        received = random_date(rng, YEAR_START, dt.date(YEAR, 11, 10))
        resolved = received + dt.timedelta(days=rng.randint(3, 25))
        still_open = n in (2, 9, 13) or resolved > TODAY
        needs.append(
            Need(
                branch=ledger.branch,
                retiree=rng.choice(ledger.members),
                received_on=received,
                content=what,
                handler=ledger.secretary,
                resolved_on=None if still_open else resolved,
                outcome="" if still_open else outcome,
            )
        )
    Need.objects.bulk_create(needs)
    Honour.objects.bulk_create(
        [
            Honour(
                title="第一批全省“六好”离退休干部示范党支部",
                level=Honour.Level.PROVINCE,
                awarded_by="中共四川省委组织部、中共四川省委老干部局",
                awarded_on=dt.date(2024, 6, 30),
                branch=branch,
                note="“七一”前夕通报表扬",
            ),
            Honour(
                title="先进基层党组织",
                level=Honour.Level.COUNTY,
                awarded_by="中共乐山市市中区委",
                awarded_on=dt.date(2024, 6, 27),
                branch=branch,
            ),
            Honour(
                title="先进基层党组织",
                level=Honour.Level.TOWN,
                awarded_by="中共苏稽镇委员会",
                awarded_on=dt.date(2024, 6, 1),
                awarded_precision=DatePrecision.MONTH,
                branch=branch,
                note="原始材料只记到月",
            ),
            Honour(
                title="关心下一代工作先进集体",
                level=Honour.Level.CITY,
                awarded_by="乐山市关工委",
                awarded_on=dt.date(2022, 12, 20),
                committee=committee,
            ),
            Honour(
                title="关心下一代工作先进集体",
                level=Honour.Level.COUNTY,
                awarded_by="市中区关工委",
                awarded_on=dt.date(2021, 12, 24),
                committee=committee,
            ),
            Honour(
                title="优秀“五好”基层关工委",
                level=Honour.Level.COUNTY,
                awarded_by="市中区关工委",
                awarded_on=dt.date(2023, 12, 15),
                committee=committee,
            ),
        ]
    )
    stdout.write(
        f"  乐山市市中区：{SUJI_BRANCH}74人（党员42名），{len(ledgers)}个“党支部+关工委”，"
        f"{counts['activities']}条活动、{counts['attendances']}条出席记录"
    )
