"""泰安市岱岳区: retirees checking in (报到) at 堰岭社区 and 枣行社区, the community's 8
temporary and 7 functional branches, 12 金秋讲堂 and activity rooms, the 区市场监管局
retirees' branch, and the governance roles retirees hold (顾问团, 业委会, 楼栋长, 网格长 …)."""

import datetime as dt
from decimal import Decimal

from branches.demo.common import YEAR, Batch, Ledger, age_on, ledger_year
from branches.models import Activity, Branch, CommunityCheckIn, GovernanceRole, Post, Venue
from core.models import Region

COUNTY, ZHOUDIAN, YANLING, ZAOHANG = "370911000000", "370911001000", "370911001001", "370911001002"
DAWENKOU, XIAZHANG, DAOLANG = "370911101000", "370911102000", "370911103000"
BRANCH = "区市场监管局离退休干部党支部"
HOME_BRANCHES = [  # (name, region, host, retirees)
    (BRANCH, COUNTY, "区市场监管局", 62),
    ("区教体局离退休干部党支部", COUNTY, "区教体局", 76),
    ("区卫健局离退休干部党支部", COUNTY, "区卫健局", 48),
    ("区住建局离退休干部党支部", COUNTY, "区住建局", 38),
    ("粥店街道离退休干部党支部", ZHOUDIAN, "粥店街道", 52),
]
ESTATES = ["泰山花园", "岱宗苑", "汶河小区", "长城路小区", "堰岭家园", "擂鼓石小区", "粥店新村", "天平湖小区"]
SERVICES = ["政策宣讲", "文明创城", "矛盾调解", "关心下一代", "文体活动", "健康服务", "法律咨询"]
LECTURE_HALLS = [
    ("老年大学粥店分校", ZHOUDIAN),
    ("堰岭社区", YANLING),
    ("枣行社区", ZAOHANG),
    ("区老年大学本部", COUNTY),
    ("大汶口镇关心下一代教育基地", DAWENKOU),
    ("大汶口镇老年大学教学点", DAWENKOU),
    ("夏张镇老年大学教学点", XIAZHANG),
    ("夏张镇文化站", XIAZHANG),
    ("道朗镇关心下一代教育基地", DAOLANG),
    ("道朗镇老年大学教学点", DAOLANG),
    ("粥店街道关心下一代教育基地", ZHOUDIAN),
    ("区委党校", COUNTY),
]


def load(stdout) -> None:
    if Branch.all_objects.filter(name=BRANCH, region_id=COUNTY).exists():
        stdout.write("  泰安市岱岳区：已存在，跳过")
        return
    regions = {r.code: r for r in Region.objects.filter(code__startswith="370911")}
    batch = Batch(seed=370911, county_code=COUNTY, birth_codes=("370902", "370921", "370983"))
    rng = batch.rng
    K = Venue.Kind
    venues = Venue.objects.bulk_create(
        [
            Venue(
                name=f"金秋讲堂（{name}）",
                kind=K.LECTURE_HALL,
                region=regions[code],
                owner=name,
                description="依托老年大学分校教学点或“关心下一代”教育基地设立",
            )
            for name, code in LECTURE_HALLS
        ]
        + [
            Venue(
                name="区市场监管局老干部活动室",
                kind=K.ACTIVITY_ROOM,
                region=regions[COUNTY],
                owner="区市场监管局",
                area_m2=Decimal("90"),
            ),
            Venue(
                name="区市场监管局离退休干部党支部办公室",
                kind=K.OFFICE,
                region=regions[COUNTY],
                owner="区市场监管局",
                area_m2=Decimal("25"),
            ),
            Venue(
                name="堰岭社区党员活动室",
                kind=K.ACTIVITY_ROOM,
                region=regions[YANLING],
                owner="堰岭社区",
                area_m2=Decimal("120"),
            ),
            Venue(
                name="枣行社区党员活动室",
                kind=K.ACTIVITY_ROOM,
                region=regions[ZAOHANG],
                owner="枣行社区",
                area_m2=Decimal("80"),
            ),
            Venue(
                name="大汶口镇老干部党员活动室",
                kind=K.ACTIVITY_ROOM,
                region=regions[DAWENKOU],
                owner="大汶口镇",
                area_m2=Decimal("70"),
            ),
            Venue(
                name="区教体局老干部党员活动室",
                kind=K.ACTIVITY_ROOM,
                region=regions[COUNTY],
                owner="区教体局",
                area_m2=Decimal("60"),
            ),
            Venue(
                name="“泰山金秋”离退休干部党员驿站",
                kind=K.STATION,
                region=regions[ZHOUDIAN],
                owner="区委老干部局",
                description="主题党日活动共享基地",
            ),
        ]
    )
    by_name = {v.name: v for v in venues}

    home, ledgers = [], []
    for name, code, host, size in HOME_BRANCHES:
        branch = Branch.objects.create(
            name=name,
            kind=Branch.Kind.AGENCY_RETIREE,
            host_unit=host,
            host_kind=Branch.HostKind.AGENCY,
            region=regions[code],
            founded_on=dt.date(2018, 5, 1),
        )
        members = [
            batch.retiree(
                branch,
                party=rng.random() < 0.9,
                born=(1940, 1966),
                since=dt.date(2018, 5, 1),
                former_posts=("科员", "主任科员", "科长", "副局长", "所长"),
                skills=("law", "education", "medical", "mediation", "arts"),
            )
            for _ in range(size)
        ]
        room = (
            by_name.get(f"{host}老干部活动室")
            or by_name.get(f"{host}老干部党员活动室")
            or by_name["堰岭社区党员活动室"]
        )
        branch.venues.add(room)
        leaders = batch.branch_committee(branch, members, start=dt.date(2023, 6, 1), n_members=2)
        ledger = Ledger(
            branch=branch,
            members=members,
            committee=leaders,
            secretary=leaders[0].person.name,
            place=room.name,
            profile=rng.choice(("good", "good", "fair")),
        )
        ledger_year(batch, ledger, YEAR)
        home.append(branch)
        ledgers.append(ledger)
    home[0].venues.add(by_name["区市场监管局离退休干部党支部办公室"])
    everyone = [r for ledger in ledgers for r in ledger.members]

    # 报到: 210 Party members at 堰岭社区, some retirees at 枣行社区
    party = [r for r in everyone if r.is_party_member]
    rng.shuffle(party)
    yanling, zaohang = party[:210], [r for r in everyone if r not in party[:210]][:28]
    check_ins = []
    for group, code in ((yanling, YANLING), (zaohang, ZAOHANG)):
        for retiree in group:
            retiree.person.region = regions[code]
            check_ins.append(
                CommunityCheckIn(
                    person=retiree.person,
                    community=regions[code],
                    checked_in_on=dt.date(rng.choice((2021, 2022, 2023)), rng.randint(1, 12), rng.randint(1, 28)),
                    note="已发放《报到证》",
                )
            )

    # 堰岭社区: 8 temporary and 7 functional branches (no memberships: members stay in their home branch)
    community = [(f"堰岭社区{estate}临时党支部", Branch.Kind.TEMPORARY, f"堰岭社区{estate}") for estate in ESTATES] + [
        (f"堰岭社区{service}志愿服务团功能性党支部", Branch.Kind.FUNCTIONAL, f"堰岭社区{service}志愿服务团")
        for service in SERVICES
    ]
    leaders = iter(rng.sample([r for r in yanling if age_on(r.person.birth_date) <= 75], 2 * len(community)))
    hall = by_name["金秋讲堂（堰岭社区）"]
    for name, kind, host in community:
        branch = Branch.objects.create(
            name=name,
            kind=kind,
            host_unit=host,
            host_kind=Branch.HostKind.COMMUNITY,
            region=regions[YANLING],
            founded_on=dt.date(2021, 7, 1),
        )
        branch.venues.add(by_name["堰岭社区党员活动室"], hall)
        secretary, member = next(leaders), next(leaders)
        batch.post(secretary.person, branch=branch, role=Post.Role.SECRETARY, start=dt.date(2024, 7, 1))
        batch.post(
            member.person,
            branch=branch,
            role=Post.Role.COMMITTEE_MEMBER,
            start=dt.date(2024, 7, 1),
            duty=Post.Duty.ORGANISATION,
        )
        for month in (3, 5, 7, 9, 11):
            on = dt.date(YEAR, month, rng.randint(5, 18))
            if kind == Branch.Kind.FUNCTIONAL and month in (5, 9):
                batch.activity(
                    branch,
                    Activity.Kind.OTHER,
                    on,
                    f"{host}志愿服务进小区",
                    place="堰岭社区各小区",
                    speaker=secretary.person.name,
                    reached=rng.randint(30, 120),
                )
            else:
                batch.activity(
                    branch,
                    Activity.Kind.THEME_DAY,
                    on,
                    f"{name.removeprefix('堰岭社区')}主题党日",
                    place=hall.name if month == 7 else "堰岭社区党员活动室",
                    speaker=secretary.person.name,
                    content=f"到场党员{rng.randint(8, 25)}人（组织关系在原单位支部）。",
                )
    counts = batch.save()
    CommunityCheckIn.objects.bulk_create(check_ins)

    # Governance roles: 顾问团, 业委会主任, 楼栋长, 网格长, 小区党支部书记, 村党支部书记, 村两委
    G = GovernanceRole.Kind
    pool = iter(rng.sample(yanling + zaohang, 32))
    roles = [
        GovernanceRole(
            person=next(pool).person,
            kind=G.ADVISORY_BOARD,
            region=regions[YANLING],
            organisation="堰岭社区老干部顾问团",
            start_on=dt.date(2022, 3, 1),
        )
        for _ in range(8)
    ]
    roles += [
        GovernanceRole(
            person=next(pool).person,
            kind=G.ADVISORY_BOARD,
            region=regions[ZAOHANG],
            organisation="枣行社区老干部顾问团",
            start_on=dt.date(2022, 3, 1),
        )
        for _ in range(4)
    ]
    roles += [
        GovernanceRole(
            person=next(pool).person,
            kind=G.OWNERS_COMMITTEE_HEAD,
            region=regions[YANLING],
            organisation=f"{estate}业主委员会",
            start_on=dt.date(2023, 5, 1),
        )
        for estate in ESTATES[:3]
    ]
    roles += [
        GovernanceRole(
            person=next(pool).person,
            kind=G.BUILDING_HEAD,
            region=regions[YANLING],
            organisation=f"{ESTATES[n % 8]}{n + 1}号楼",
            start_on=dt.date(2022, 9, 1),
        )
        for n in range(8)
    ]
    roles += [
        GovernanceRole(
            person=next(pool).person,
            kind=G.GRID_HEAD,
            region=regions[code],
            organisation=f"{name}第{n}网格",
            start_on=dt.date(2023, 1, 1),
        )
        for n, (code, name) in enumerate(((YANLING, "堰岭社区"), (ZAOHANG, "枣行社区")), start=1)
    ]
    roles += [
        GovernanceRole(
            person=next(pool).person,
            kind=G.RESIDENTIAL_BRANCH_SECRETARY,
            region=regions[YANLING],
            organisation=f"{estate}小区党支部",
            start_on=dt.date(2022, 6, 1),
        )
        for estate in ESTATES[3:6]
    ]
    roles.append(
        GovernanceRole(
            person=next(pool).person,
            kind=G.RESIDENTIAL_BRANCH_SECRETARY,
            region=regions[ZAOHANG],
            organisation="枣行家园党总支",
            start_on=dt.date(2021, 10, 1),
        )
    )
    village = batch.retiree(
        home[3],
        born=(1956, 1962),
        gender="M",
        since=dt.date(2018, 5, 1),
        former_posts=("副局长",),
        region=regions[XIAZHANG],
    )
    daolang = [
        batch.retiree(
            home[0],
            born=(1955, 1964),
            since=dt.date(2018, 5, 1),
            region=regions[DAOLANG],
            former_posts=("农技站站长", "科员"),
        )
        for _ in range(6)
    ]
    batch.save()
    roles.append(
        GovernanceRole(
            person=village.person,
            kind=G.VILLAGE_SECRETARY,
            region=regions[XIAZHANG],
            organisation="夏张镇史家庄村党支部",
            start_on=dt.date(2019, 4, 1),
        )
    )
    roles += [
        GovernanceRole(
            person=r.person,
            kind=G.VILLAGE_COMMITTEE,
            region=regions[DAOLANG],
            organisation="道朗镇村两委（农技发展顾问）",
            start_on=dt.date(2021, 1, 1),
        )
        for r in daolang
    ]
    GovernanceRole.objects.bulk_create(roles)
    stdout.write(
        f"  泰安市岱岳区：{len(home)}个机关退休支部{counts['retirees'] + 7}人，堰岭社区8个临时+7个功能性党支部，"
        f"报到{len(check_ins)}人，{len(LECTURE_HALLS)}所金秋讲堂，{len(roles)}个治理角色"
    )
