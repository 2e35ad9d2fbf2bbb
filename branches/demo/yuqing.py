"""余庆县子营街道: the 退休党支部 and the 街道关工委 as one team (一套人马两块牌) since the
May 2022 换届; online meetings, field teaching, 送学上门, governance roles and needs."""

import datetime as dt
from decimal import Decimal

from branches.demo.common import (
    MEMBER_ALLOWANCE,
    SECRETARY_ALLOWANCE,
    TODAY,
    Batch,
    Ledger,
    age_on,
    ledger_year,
    random_date,
)
from branches.models import Activity, Attendance, Branch, GovernanceRole, Honour, Need, Post, Venue, YouthCareCommittee
from core.models import DatePrecision, Region

COUNTY, ZIYING = "520329000000", "520329001000"
BRANCH = "子营街道退休党支部"
TERM_CHANGE = dt.date(2022, 5, 18)
NEEDS = [
    ("希望提供大字版学习资料", "已准备大字版学习资料随送学送达"),
    ("想学习用微信公众号学习", "已由联络员上门教学"),
    ("申请上门体检", "已联系社区卫生服务站上门体检"),
    ("反映楼栋楼道灯不亮", "已协调物业维修"),
    ("希望组织观看红色电影", "已组织集体观看"),
    ("咨询高龄补贴办理", "已协助办理"),
    ("希望订阅《晚晴》杂志", "已统一征订"),
    ("小区垃圾清运不及时", "已反映社区并落实每日清运"),
    ("申请参加才艺交流活动", "已安排参加"),
    ("住院期间希望支部探望", "已组织支委探望"),
    ("希望有人帮忙代缴水电费", "已安排红管家协助"),
]


def load(stdout) -> None:
    if Branch.all_objects.filter(name=BRANCH, region_id=ZIYING).exists():
        stdout.write("  余庆县：已存在，跳过")
        return
    ziying = Region.objects.get(code=ZIYING)
    batch = Batch(seed=520329, county_code=COUNTY, birth_codes=("520321", "520328", "520330"))
    rng = batch.rng
    branch = Branch.objects.create(
        name=BRANCH,
        kind=Branch.Kind.RETIREE,
        host_unit="子营街道党工委",
        host_kind=Branch.HostKind.AGENCY,
        region=ziying,
        founded_on=dt.date(2016, 9, 1),
        note="街道为支部配备1名熟悉党建业务的联络员；党费100%返还",
    )
    rooms = Venue.objects.bulk_create(
        [
            Venue(
                name="子营街道社区娱乐室",
                kind=Venue.Kind.ACTIVITY_ROOM,
                region=ziying,
                owner="子营街道",
                area_m2=Decimal("80"),
            ),
            Venue(
                name="子营街道农家书屋", kind=Venue.Kind.OTHER, region=ziying, owner="子营街道", area_m2=Decimal("40")
            ),
        ]
    )
    branch.venues.add(*rooms)
    flags = [True] * 31 + [False] * 7
    rng.shuffle(flags)
    members = [
        batch.retiree(
            branch,
            party=p,
            born=(1940, 1966),
            since=dt.date(2016, 9, 1),
            former_posts=("科员", "站长", "教师", "办事员", "副主任"),
            skills=("education", "arts", "mediation"),
        )
        for p in flags
    ]
    party = [r for r in members if r.is_party_member]
    able = [r for r in party if not r.limited_mobility and age_on(r.person.birth_date) <= 72]
    old_team, new_team = able[:3], [able[3], able[0], able[4]]  # one member re-elected
    for team, start, end in (
        (old_team, dt.date(2019, 4, 20), TERM_CHANGE - dt.timedelta(days=1)),
        (new_team, TERM_CHANGE, None),
    ):
        for i, r in enumerate(team):
            batch.post(
                r.person,
                branch=branch,
                start=start,
                end=end,
                role=Post.Role.SECRETARY if i == 0 else Post.Role.COMMITTEE_MEMBER,
                duty=("", Post.Duty.ORGANISATION, Post.Duty.PUBLICITY)[i],
                allowance=SECRETARY_ALLOWANCE if i == 0 else MEMBER_ALLOWANCE,
            )
    secretary = new_team[0]
    committee = YouthCareCommittee.objects.create(
        name="子营街道关工委",
        level=YouthCareCommittee.Level.TOWN,
        region=ziying,
        branch=branch,
        founded_on=dt.date(2010, 3, 1),
        five_good_status=YouthCareCommittee.FiveGoodStatus.ACHIEVED,
        five_good_on=dt.date(2023, 11, 30),
        note="2022年5月换届后与街道退休党支部整合为一套人马两块牌",
    )
    committee.venues.add(*rooms)
    old_director = batch.person(ziying, gender="M", born=(1950, 1955))
    batch.post(
        old_director,
        committee=committee,
        role=Post.Role.EXECUTIVE_DIRECTOR,
        start=dt.date(2019, 4, 20),
        end=TERM_CHANGE - dt.timedelta(days=1),
        outside="退休老干部",
    )
    for person, role, outside in (
        (batch.person(ziying, born=(1978, 1986)), Post.Role.DIRECTOR, "街道党工委副书记"),
        (new_team[1].person, Post.Role.EXECUTIVE_DIRECTOR, "退休党支部组织委员"),
        (new_team[0].person, Post.Role.DEPUTY_DIRECTOR, "退休党支部书记"),
        (new_team[2].person, Post.Role.MEMBER, "退休党支部宣传委员"),
    ):
        batch.post(person, committee=committee, role=role, outside=outside, start=TERM_CHANGE)

    # 网格员 5, 楼栋长 3, 红管家 4 among the Party members
    roles = []
    holders = rng.sample([r for r in party if r not in new_team], 12)
    kinds = (
        [GovernanceRole.Kind.GRID_WORKER] * 5
        + [GovernanceRole.Kind.BUILDING_HEAD] * 3
        + [GovernanceRole.Kind.RED_STEWARD] * 4
    )
    for n, (retiree, kind) in enumerate(zip(holders, kinds, strict=True)):
        roles.append(
            GovernanceRole(
                person=retiree.person,
                kind=kind,
                region=ziying,
                organisation=f"子营街道第{n % 6 + 1}网格",
                start_on=dt.date(2023, 3, 1),
            )
        )

    ledger = Ledger(
        branch=branch,
        members=members,
        committee=new_team,
        secretary=secretary.person.name,
        place=rooms[0].name,
        online_rate=0,
        catch_up=0.15,
        studies=3,
    )
    for year in (2024, 2025, 2026):
        ledger_year(batch, ledger, year)
    entries = batch.activities
    # 2024: 6 online meetings ("三会一课+互联网"), 2 field teachings, films, reading, talent show, 坝坝会
    meetings_2024 = [
        a for a in entries if a.held_on.year == 2024 and a.kind in ("general_meeting", "party_lesson", "theme_day")
    ]
    for activity in rng.sample(meetings_2024, 6):
        activity.is_online, activity.place = True, "线上（微信群视频会议）"
    for on, site in ((dt.date(2024, 4, 17), "遵义会议会址"), (dt.date(2024, 10, 15), "湄潭浙江大学西迁历史陈列馆")):
        batch.activity(
            branch,
            Activity.Kind.FIELD_TEACHING,
            on,
            f"现场教学：赴{site}接受红色教育",
            place=site,
            speaker=secretary.person.name,
        )
    for month, film in ((3, "《长津湖》"), (7, "《觉醒年代》选集"), (11, "《革命者》")):
        batch.activity(
            branch, Activity.Kind.CULTURE, dt.date(2024, month, 21), f"组织观看红色电影{film}", place=rooms[0].name
        )
    batch.activity(branch, Activity.Kind.CULTURE, dt.date(2024, 4, 23), "读书分享会", place=rooms[1].name)
    batch.activity(branch, Activity.Kind.CULTURE, dt.date(2024, 9, 26), "才艺交流会", place=rooms[0].name)
    for month in (2, 4, 6, 8, 10, 12):
        batch.activity(
            branch,
            Activity.Kind.LECTURE,
            dt.date(2024, month, 12),
            "坝坝会宣讲“红色故事”和惠民政策",
            place="子营街道各村（社区）院坝",
            speaker=secretary.person.name,
            reached=rng.randint(90, 110),
        )
    # 送学上门: at least 40 since 2024 (catch-ups above plus regular visits to the frailest members)
    frail = [r for r in party if r.limited_mobility or age_on(r.person.birth_date) >= 80] or party[:2]
    day = dt.date(2024, 1, 20)
    while sum(a.kind == "home_study" for a in batch.activities) < 42 and day <= TODAY:
        visit = batch.activity(
            branch,
            Activity.Kind.HOME_STUDY,
            day,
            "送学上门：本月学习资料（大字版）",
            place="党员家中",
            speaker=secretary.person.name,
            content="一对一结对送学，同步收集个性需求。",
        )
        for retiree in frail[:3]:
            batch.attendances.append(Attendance(activity=visit, person=retiree.person))
        day += dt.timedelta(days=45)
    counts = batch.save()
    GovernanceRole.objects.bulk_create(roles)

    needs = []
    for n in range(22):
        what, outcome = NEEDS[n % len(NEEDS)]
        received = random_date(rng, dt.date(2024, 1, 5), dt.date(2026, 10, 20))
        needs.append(
            Need(
                branch=branch,
                retiree=rng.choice(members),
                received_on=received,
                content=what,
                handler=secretary.person.name,
                resolved_on=received + dt.timedelta(days=rng.randint(2, 20)),
                outcome=outcome,
            )
        )
    Need.objects.bulk_create(needs)
    Honour.objects.bulk_create(
        [
            Honour(
                title="“遵义银辉”示范性党支部",
                level=Honour.Level.CITY,
                awarded_by="中共遵义市委老干部局",
                awarded_on=dt.date(2023, 2, 1),
                awarded_precision=DatePrecision.MONTH,
                branch=branch,
                note="原始材料只记到月",
            ),
            Honour(
                title="优秀共产党员",
                level=Honour.Level.COUNTY,
                awarded_by="中共余庆县委",
                awarded_on=dt.date(2023, 7, 1),
                awarded_precision=DatePrecision.MONTH,
                person=secretary.person,
                note="支部书记",
            ),
            Honour(
                title="全省第二批离退休干部“六好”党支部",
                level=Honour.Level.PROVINCE,
                awarded_by="中共贵州省委组织部、中共贵州省委老干部局",
                awarded_on=dt.date(2024, 12, 1),
                awarded_precision=DatePrecision.MONTH,
                branch=branch,
                note="原始材料只记到月",
            ),
        ]
    )
    stdout.write(
        f"  余庆县：{BRANCH}{len(members)}人，2024—2026年{counts['activities']}条活动，{len(needs)}条需求全部办结"
    )
