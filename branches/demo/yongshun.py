"""永顺县 (湖南湘西): the work committee of 7, 52 branches in 12 clusters covering 1,491
retirees, the senior university's temporary general branch with 15 class branches, the
老科协 temporary branch, care pairs, hardship payments, needs and honours."""

import datetime as dt
from decimal import Decimal

from branches.demo.common import (
    CHECKED,
    FINDINGS,
    TODAY,
    YEAR,
    YEAR_START,
    Batch,
    Ledger,
    age_on,
    ledger_year,
    random_date,
)
from branches.models import (
    Activity,
    Branch,
    CarePair,
    CareRecord,
    Cluster,
    ComplianceRule,
    GuidanceVisit,
    HardshipPayment,
    Honour,
    Membership,
    Need,
    Post,
    Retiree,
    Venue,
    WorkCommittee,
    WorkCommitteeMember,
)
from core.models import Region

COUNTY = "433127000000"
WORK_COMMITTEE = "中共永顺县委离退休干部工作委员会"
LINGXI, SHOUCHE, FURONG, SHIDI, TAWO, ZEJIA = (
    "433127001000",
    "433127101000",
    "433127102000",
    "433127103000",
    "433127104000",
    "433127105000",
)
FIELD_SITES = ("塔卧湘鄂川黔革命根据地省委旧址", "桑植洪家关贺龙故居")

A, R = Branch.Kind.AGENCY_RETIREE, Branch.Kind.RETIREE
AG, INST, COMM = Branch.HostKind.AGENCY, Branch.HostKind.INSTITUTION, Branch.HostKind.COMMUNITY
AGENCY_POSTS = ("科员", "主任科员", "副主任科员", "股长", "副局长", "办公室主任", "四级调研员", "工勤人员")
TEACHER_POSTS = ("教师", "一级教师", "高级教师", "教研组长", "副校长", "后勤主任")
DOCTOR_POSTS = ("医师", "主治医师", "副主任医师", "护士长", "主管护师", "药剂师")
S = Retiree.Skill

# (片组, 片组长单位, 副片组长单位, [(支部, kind, host unit, host kind, town, retirees, skills, posts)])
CLUSTERS = [
    (
        "党群片组",
        "县委组织部",
        "县委办",
        [
            ("县委机关离退休干部党支部", A, "县委办", AG, LINGXI, 24, (S.CALLIGRAPHY, S.OTHER), AGENCY_POSTS),
            ("县委组织部离退休干部党支部", A, "县委组织部", AG, LINGXI, 14, (), AGENCY_POSTS),
            ("县委宣传部离退休干部党支部", A, "县委宣传部", AG, LINGXI, 12, (S.ARTS, S.CALLIGRAPHY), AGENCY_POSTS),
            ("县纪委监委机关离退休干部党支部", A, "县纪委监委", AG, LINGXI, 16, (S.LAW,), AGENCY_POSTS),
            ("县委统战部离退休干部党支部", A, "县委统战部", AG, LINGXI, 10, (), AGENCY_POSTS),
        ],
    ),
    (
        "政府综合片组",
        "县政府办",
        "县发改局",
        [
            ("县政府办老干党支部", A, "县政府办", AG, LINGXI, 22, (S.FINANCE,), AGENCY_POSTS),
            ("县发改局离退休干部党支部", A, "县发改局", AG, LINGXI, 18, (S.FINANCE,), AGENCY_POSTS),
            ("县财政局离退休干部党支部", A, "县财政局", AG, LINGXI, 30, (S.FINANCE,), AGENCY_POSTS),
            ("县审计局离退休干部党支部", A, "县审计局", AG, LINGXI, 11, (S.FINANCE,), AGENCY_POSTS),
            ("县统计局离退休干部党支部", A, "县统计局", AG, LINGXI, 10, (), AGENCY_POSTS),
        ],
    ),
    (
        "人大政协片组",
        "县人大办",
        "县政协办",
        [
            ("县人大机关离退休干部党支部", A, "县人大办", AG, LINGXI, 20, (S.LAW,), AGENCY_POSTS),
            ("县政协机关离退休干部党支部", A, "县政协办", AG, LINGXI, 18, (S.CALLIGRAPHY, S.ARTS), AGENCY_POSTS),
            ("县人社局离退休干部党支部", A, "县人社局", AG, LINGXI, 24, (), AGENCY_POSTS),
            ("县民政局离退休干部党支部", A, "县民政局", AG, LINGXI, 21, (S.MEDIATION,), AGENCY_POSTS),
        ],
    ),
    (
        "政法片组",
        "县公安局",
        "县人民法院",
        [
            (
                "县公安局离退休干部党支部",
                A,
                "县公安局",
                AG,
                LINGXI,
                58,
                (S.LAW, S.MEDIATION),
                ("民警", "一级警长", "副所长", "派出所所长", "科长"),
            ),
            (
                "县人民法院离退休干部党支部",
                A,
                "县人民法院",
                AG,
                LINGXI,
                26,
                (S.LAW, S.MEDIATION),
                ("审判员", "书记员", "庭长", "副庭长"),
            ),
            (
                "县人民检察院离退休干部党支部",
                A,
                "县人民检察院",
                AG,
                LINGXI,
                19,
                (S.LAW,),
                ("检察员", "科长", "副检察长"),
            ),
            (
                "县司法局离退休干部党支部",
                A,
                "县司法局",
                AG,
                LINGXI,
                15,
                (S.LAW, S.MEDIATION),
                ("司法所所长", "科员", "股长"),
            ),
        ],
    ),
    (
        "教育片组",
        "县教育局",
        "县第一中学",
        [
            ("县教育局机关离退休干部党支部", A, "县教育局", AG, LINGXI, 28, (S.EDUCATION,), AGENCY_POSTS),
            (
                "县第一中学离退休教师党支部",
                R,
                "县第一中学",
                INST,
                LINGXI,
                90,
                (S.EDUCATION, S.ARTS, S.CALLIGRAPHY),
                TEACHER_POSTS,
            ),
            ("县民族中学离退休教师党支部", R, "县民族中学", INST, LINGXI, 80, (S.EDUCATION, S.ARTS), TEACHER_POSTS),
            ("县职业中专离退休教师党支部", R, "县职业中专", INST, LINGXI, 38, (S.EDUCATION, S.SCIENCE), TEACHER_POSTS),
            (
                "灵溪镇城区小学离退休教师党支部",
                R,
                "灵溪镇城区小学",
                INST,
                LINGXI,
                84,
                (S.EDUCATION, S.ARTS),
                TEACHER_POSTS,
            ),
        ],
    ),
    (
        "卫健片组",
        "县卫健局",
        "县人民医院",
        [
            ("县卫健局机关离退休干部党支部", A, "县卫健局", AG, LINGXI, 20, (S.MEDICAL,), AGENCY_POSTS),
            ("县人民医院离退休党支部", R, "县人民医院", INST, LINGXI, 70, (S.MEDICAL,), DOCTOR_POSTS),
            ("县中医医院离退休党支部", R, "县中医医院", INST, LINGXI, 36, (S.MEDICAL,), DOCTOR_POSTS),
            ("县疾控中心离退休党支部", R, "县疾控中心", INST, LINGXI, 17, (S.MEDICAL, S.SCIENCE), DOCTOR_POSTS),
        ],
    ),
    (
        "农林水片组",
        "县农业农村局",
        "县林业局",
        [
            (
                "县农业农村局离退休干部党支部",
                A,
                "县农业农村局",
                AG,
                LINGXI,
                50,
                (S.AGRITECH, S.SCIENCE),
                ("农艺师", "高级农艺师", "站长", "股长", "科员"),
            ),
            (
                "县林业局离退休干部党支部",
                A,
                "县林业局",
                AG,
                LINGXI,
                45,
                (S.AGRITECH, S.SCIENCE),
                ("林业工程师", "护林站站长", "股长", "科员"),
            ),
            ("县水利局离退休干部党支部", A, "县水利局", AG, LINGXI, 27, (S.SCIENCE,), ("水利工程师", "站长", "科员")),
            (
                "县畜牧水产事务中心离退休党支部",
                R,
                "县畜牧水产事务中心",
                INST,
                LINGXI,
                22,
                (S.AGRITECH,),
                ("兽医师", "畜牧师", "站长"),
            ),
        ],
    ),
    (
        "城建交通片组",
        "县住建局",
        "县交通运输局",
        [
            ("县住建局离退休干部党支部", A, "县住建局", AG, LINGXI, 30, (S.SCIENCE,), AGENCY_POSTS),
            ("县交通运输局离退休干部党支部", A, "县交通运输局", AG, LINGXI, 34, (), AGENCY_POSTS),
            ("县自然资源局离退休干部党支部", A, "县自然资源局", AG, LINGXI, 29, (S.SCIENCE,), AGENCY_POSTS),
            ("县城管局离退休干部党支部", A, "县城管局", AG, LINGXI, 12, (S.MEDIATION,), AGENCY_POSTS),
        ],
    ),
    (
        "经济片组",
        "县市场监管局",
        "县商务局",
        [
            ("县市场监管局离退休干部党支部", A, "县市场监管局", AG, LINGXI, 33, (S.LAW,), AGENCY_POSTS),
            ("县商务局离退休干部党支部", A, "县商务局", AG, LINGXI, 16, (), AGENCY_POSTS),
            ("县税务局离退休干部党支部", A, "县税务局", AG, LINGXI, 31, (S.FINANCE,), AGENCY_POSTS),
            (
                "县供销联社离退休党支部",
                R,
                "县供销联社",
                INST,
                LINGXI,
                25,
                (S.FINANCE,),
                ("会计", "门市部主任", "副主任"),
            ),
        ],
    ),
    (
        "文旅金融片组",
        "县文旅广电局",
        "县农商银行",
        [
            ("县文旅广电局离退休干部党支部", A, "县文旅广电局", AG, LINGXI, 24, (S.ARTS, S.CALLIGRAPHY), AGENCY_POSTS),
            ("县融媒体中心离退休党支部", R, "县融媒体中心", INST, LINGXI, 13, (S.ARTS,), ("记者", "编辑", "播音员")),
            (
                "县农商银行离退休党支部",
                R,
                "县农商银行",
                INST,
                LINGXI,
                28,
                (S.FINANCE,),
                ("会计", "信贷员", "营业部主任", "副行长"),
            ),
            (
                "人民银行永顺县支行离退休党支部",
                R,
                "人民银行永顺县支行",
                INST,
                LINGXI,
                15,
                (S.FINANCE,),
                ("科员", "科长", "副行长"),
            ),
        ],
    ),
    (
        "乡镇片组（一）",
        "灵溪镇",
        "首车镇",
        [
            ("灵溪镇机关退休党支部", A, "灵溪镇机关", AG, LINGXI, 50, (S.AGRITECH, S.MEDIATION), AGENCY_POSTS),
            ("首车镇机关退休党支部", A, "首车镇机关", AG, SHOUCHE, 23, (S.AGRITECH,), AGENCY_POSTS),
            ("泽家镇机关退休党支部", A, "泽家镇机关", AG, ZEJIA, 19, (S.AGRITECH,), AGENCY_POSTS),
            (
                "灵溪镇居住地离退休干部党支部",
                R,
                "灵溪镇猛洞河社区",
                COMM,
                LINGXI,
                31,
                (S.MEDIATION, S.ARTS),
                AGENCY_POSTS,
            ),
        ],
    ),
    (
        "乡镇片组（二）",
        "芙蓉镇",
        "塔卧镇",
        [
            ("芙蓉镇机关退休党支部", A, "芙蓉镇机关", AG, FURONG, 26, (S.AGRITECH, S.ARTS), AGENCY_POSTS),
            ("石堤镇机关退休党支部", A, "石堤镇机关", AG, SHIDI, 21, (S.AGRITECH,), AGENCY_POSTS),
            ("塔卧镇机关退休党支部", A, "塔卧镇机关", AG, TAWO, 20, (S.AGRITECH, S.EDUCATION), AGENCY_POSTS),
            ("芙蓉镇居住地离退休干部党支部", R, "芙蓉镇老街社区", COMM, FURONG, 22, (S.ARTS,), AGENCY_POSTS),
            ("塔卧镇居住地离退休干部党支部", R, "塔卧镇社区", COMM, TAWO, 14, (S.EDUCATION,), AGENCY_POSTS),
        ],
    ),
]
TOTAL_RETIREES = 1491
# Branches where 离休 veterans still live (agencies of the county's first years).
LIXIU_BRANCHES = {
    "县委机关离退休干部党支部": 3,
    "县政府办老干党支部": 3,
    "县人大机关离退休干部党支部": 2,
    "县政协机关离退休干部党支部": 2,
    "县财政局离退休干部党支部": 1,
    "县公安局离退休干部党支部": 2,
    "县教育局机关离退休干部党支部": 2,
    "县民政局离退休干部党支部": 1,
    "县人民医院离退休党支部": 1,
    "灵溪镇机关退休党支部": 1,
}
THEMES = {4: "清明祭英烈", 6: "迎“七一”学党章", 10: "重阳敬老"}
CLASSES = [
    "书法班",
    "国画班",
    "太极班",
    "声乐班",
    "舞蹈班",
    "摄影班",
    "智能手机班",
    "诗词班",
    "养生保健班",
    "葫芦丝班",
    "器乐班",
    "土家山歌班",
    "模特班",
    "剪纸班",
    "茶艺班",
]
NEEDS = [
    ("希望提供大字版学习资料", "已印制大字版学习资料，按月送到家中"),
    ("申请社区医生上门测量血压、体检", "已联系社区卫生服务中心上门体检"),
    ("协助办理医保异地就医备案", "已代为办理备案手续"),
    ("反映小区路灯损坏，夜间出行不便", "已联系住建部门修复"),
    ("希望组织一次红色教育参观", "已纳入现场教学计划并组织参观"),
    ("行动不便，申请上门收缴党费", "已安排党小组长每月上门收缴"),
    ("申请借用轮椅", "已协调县残联借用轮椅一台"),
    ("想学习智能手机视频通话和网上缴费", "已安排志愿者上门教学两次"),
    ("咨询老旧小区加装电梯政策", "已邀请住建局工作人员上门解答"),
    ("住院期间希望组织上帮助协调陪护", "已联系家属并安排支部党员轮流探望"),
    ("希望订阅《老年人》杂志", "已由支部统一征订"),
    ("反映养老金调整到账疑问", "已联系人社局核实并答复"),
    ("家中屋顶漏水需要维修", "已联系原单位后勤维修"),
    ("希望报名老年大学书法班", "已协调老年大学安排入班"),
]


def load(stdout) -> None:
    county = Region.objects.get(code=COUNTY)
    if WorkCommittee.all_objects.filter(region=county, name=WORK_COMMITTEE).exists():
        stdout.write("  永顺县：已存在，跳过")
        return
    towns = {r.code: r for r in Region.objects.filter(code__startswith="433127", level=Region.Level.TOWN)}
    lingxi = towns[LINGXI]
    batch = Batch(seed=433127, county_code=COUNTY, birth_codes=("433101", "433122", "433125", "433126", "433130"))
    rng = batch.rng
    assert sum(b[5] for c in CLUSTERS for b in c[3]) == TOTAL_RETIREES

    # Clusters, branches, venues ------------------------------------------------------------
    clusters = Cluster.objects.bulk_create(
        [Cluster(name=name, region=county, leading_unit=lead, deputy_unit=deputy) for name, lead, deputy, _ in CLUSTERS]
    )
    branches, specs = [], []
    for cluster, (_n, _l, _d, rows) in zip(clusters, CLUSTERS, strict=True):
        for name, kind, host, host_kind, town, size, skills, posts in rows:
            founded = dt.date(2017, rng.randint(3, 9), rng.randint(1, 28))
            branches.append(
                Branch(
                    name=name,
                    kind=kind,
                    host_unit=host,
                    host_kind=host_kind,
                    region=towns[town],
                    cluster=cluster,
                    founded_on=founded,
                    note="按“四近”原则设置" if host_kind == COMM else "",
                )
            )
            specs.append((size, skills, posts))
    Branch.objects.bulk_create(branches)
    venues = Venue.objects.bulk_create(
        [
            Venue(
                name=f"{b.name.removesuffix('党支部')}党员活动室",
                kind=Venue.Kind.ACTIVITY_ROOM,
                region=b.region,
                owner=b.host_unit,
                area_m2=Decimal(rng.choice((30, 40, 45, 60, 80))),
                description="启动资金购置桌椅、书柜和学习资料，制度上墙",
            )
            for b in branches
        ]
    )
    Branch.venues.through.objects.bulk_create(
        [Branch.venues.through(branch_id=b.pk, venue_id=v.pk) for b, v in zip(branches, venues, strict=True)]
    )

    # Retirees, branch committees and a year of activities ----------------------------------
    members_of = {}
    for branch, (size, skills, posts) in zip(branches, specs, strict=True):
        lixiu = LIXIU_BRANCHES.get(branch.name, 0)
        members = []
        for i in range(size):
            if i < lixiu:
                members.append(
                    batch.retiree(
                        branch,
                        lixiu=True,
                        born=(1929, 1935),
                        gender="M",
                        former_posts=("副县长", "局长", "副局长", "科长"),
                        skills=skills,
                        since=branch.founded_on,
                    )
                )
                continue
            roll = rng.random()
            born = (1936, 1946) if roll < 0.065 else (1947, 1955) if roll < 0.42 else (1956, 1966)
            female_share = 0.55 if branch.host_kind == INST else 0.35
            members.append(
                batch.retiree(
                    branch,
                    born=born,
                    gender="F" if rng.random() < female_share else "M",
                    party=rng.random() < 0.86,
                    former_posts=posts,
                    skills=skills,
                    since=branch.founded_on,
                )
            )
        members_of[branch] = members
    # Four retirees moved between branches this year (their history stays in both).
    movers = [r for b in branches for r in members_of[b] if r.retired_on < dt.date(2025, 6, 1)]
    for retiree in rng.sample(movers, 4):
        target = rng.choice([b for b in branches if b.region_id == LINGXI and b is not retiree.branch])
        batch.transfer(retiree, target, dt.date(YEAR, rng.randint(3, 8), rng.randint(1, 28)))
        members_of[target].append(retiree)
    renewed = set(rng.sample(branches, 5))  # these branches held their 换届 this spring
    ledgers = []
    for branch in branches:
        members = members_of[branch]
        big = len(members) >= 30
        n_members = 1 if len(members) < 15 else 2 if len(members) < 40 else 3
        if branch in renewed:
            change = dt.date(YEAR, rng.randint(3, 5), rng.randint(5, 25))
            batch.branch_committee(
                branch, members, start=dt.date(2021, rng.randint(3, 6), 1), deputy=big, n_members=n_members
            )
            for post in batch.posts[-(1 + big + n_members) :]:
                post.end_on = change - dt.timedelta(days=1)
            committee = batch.branch_committee(branch, members, start=change, deputy=big, n_members=n_members)
        else:
            committee = batch.branch_committee(
                branch, members, start=dt.date(2023, rng.randint(3, 6), 1), deputy=big, n_members=n_members
            )
        roll = rng.random()
        profile = "good" if roll < 0.7 else "fair" if roll < 0.9 else "lapsed"
        ledger = Ledger(
            branch=branch,
            members=members,
            committee=committee,
            secretary=committee[0].person.name,
            place=f"{branch.name.removesuffix('党支部')}党员活动室",
            profile=profile,
            lapse_month=rng.randint(8, 10),
            study_day=10 if branch.name == "县政府办老干党支部" else None,
            studies=rng.randint(3, 7),
            field_site=rng.choice(FIELD_SITES) if rng.random() < 0.2 else "",
            catch_up=0.7 if profile == "good" else 0.35,
        )
        ledgers.append(ledger)
        ledger_year(batch, ledger, YEAR)

    # The senior university's temporary general branch, its 15 class branches, and 老科协.
    # Temporary branches hold posts and activities but no memberships: their members'
    # formal Party membership stays in their home branch (one of the 52 above).
    campus = Venue.objects.create(
        name="县老年大学教学楼",
        kind=Venue.Kind.CLASSROOM,
        region=lingxi,
        owner="县老年大学",
        area_m2=Decimal("1200"),
        description="教室12间、书画室、舞蹈排练厅",
    )
    general = Branch.objects.create(
        name="县老年大学临时党总支",
        kind=Branch.Kind.GENERAL,
        host_unit="县老年大学",
        host_kind=Branch.HostKind.SENIOR_UNIVERSITY,
        region=lingxi,
        founded_on=dt.date(2017, 3, 8),
        note="全州率先建立的老年大学临时党总支",
    )
    classes = Branch.objects.bulk_create(
        [
            Branch(
                name=f"县老年大学{c}临时党支部",
                kind=Branch.Kind.TEMPORARY,
                parent=general,
                host_unit=f"县老年大学{c}",
                host_kind=Branch.HostKind.SENIOR_UNIVERSITY,
                region=lingxi,
                founded_on=dt.date(2017, 9, 15),
            )
            for c in CLASSES
        ]
    )
    kexie = Branch.objects.create(
        name="县老科协临时党支部",
        kind=Branch.Kind.TEMPORARY,
        host_unit="县老科学技术工作者协会",
        host_kind=Branch.HostKind.ASSOCIATION,
        region=lingxi,
        founded_on=dt.date(2018, 4, 20),
    )
    Branch.venues.through.objects.bulk_create(
        [Branch.venues.through(branch_id=b.pk, venue_id=campus.pk) for b in (general, *classes)]
    )
    vice_principal = batch.person(lingxi, gender="M", born=(1966, 1972), note="县老年大学常务副校长")
    batch.post(
        vice_principal,
        role=Post.Role.SECRETARY,
        branch=general,
        start=dt.date(2023, 3, 1),
        outside="县老年大学常务副校长",
    )
    everyone = [r for b in branches for r in members_of[b] if r.branch is b]
    pool = [r for r in everyone if r.is_party_member and 62 <= age_on(r.person.birth_date) <= 78]
    class_leaders = rng.sample(pool, 2 * len(classes) + 4)
    for n, person in enumerate(class_leaders[:2]):
        batch.post(
            person.person,
            role=(Post.Role.DEPUTY_SECRETARY, Post.Role.COMMITTEE_MEMBER)[n],
            branch=general,
            start=dt.date(2023, 3, 1),
            duty="" if n == 0 else Post.Duty.ORGANISATION,
        )
    for i, branch in enumerate(classes):
        secretary, member = class_leaders[2 + 2 * i], class_leaders[3 + 2 * i]
        batch.post(
            secretary.person, role=Post.Role.SECRETARY, branch=branch, start=dt.date(2025, 9, 10), outside="班长"
        )
        batch.post(
            member.person,
            role=Post.Role.COMMITTEE_MEMBER,
            branch=branch,
            start=dt.date(2025, 9, 10),
            duty=Post.Duty.PUBLICITY,
        )
        for month in (3, 4, 5, 6, 9, 10, 11):
            on = dt.date(YEAR, month, rng.randint(4, 20))
            kind = Activity.Kind.THEME_DAY if month in (4, 6, 10) else Activity.Kind.STUDY
            topic = f"{CLASSES[i]}主题党日：{THEMES[month]}" if month in THEMES else f"{CLASSES[i]}：课前十分钟学习"
            batch.activity(
                branch,
                kind,
                on,
                topic,
                place="县老年大学教学楼",
                speaker=secretary.person.name,
                content=f"参加学员{rng.randint(15, 40)}人（党员组织关系在原支部）。",
            )
    for month in (3, 6, 9):  # 每季组织1次形势报告会
        batch.activity(
            general,
            Activity.Kind.LECTURE,
            dt.date(YEAR, month, rng.randint(18, 26)),
            f"{YEAR}年第{month // 3}季度形势报告会",
            place="县老年大学报告厅",
            speaker="县委宣传部理论宣讲团",
            reached=rng.randint(220, 320),
        )
    chair = next(
        r
        for r in everyone
        if r.branch.name == "县农业农村局离退休干部党支部"
        and r.is_party_member
        and 62 <= age_on(r.person.birth_date) <= 75
    )
    chair.skills, chair.specialty = [S.AGRITECH, S.SCIENCE], "高级农艺师，柑橘、茶叶栽培技术"
    batch.post(chair.person, role=Post.Role.SECRETARY, branch=kexie, start=dt.date(2023, 5, 1), outside="县老科协会长")
    batch.post(
        class_leaders[-1].person,
        role=Post.Role.COMMITTEE_MEMBER,
        branch=kexie,
        start=dt.date(2023, 5, 1),
        duty=Post.Duty.ORGANISATION,
    )
    for month, (town, crop) in zip(
        (3, 4, 5, 6, 7, 9, 10, 11),
        (
            ("首车镇", "油茶低改"),
            ("芙蓉镇", "猕猴桃春季管理"),
            ("石堤镇", "柑橘病虫害防治"),
            ("塔卧镇", "茶叶采摘与加工"),
            ("泽家镇", "莓茶种植"),
            ("灵溪镇", "生猪养殖防疫"),
            ("首车镇", "秋冬种技术"),
            ("芙蓉镇", "柑橘采后处理"),
        ),
        strict=True,
    ):
        batch.activity(
            kexie,
            Activity.Kind.LECTURE,
            dt.date(YEAR, month, rng.randint(6, 20)),
            f"科技惠农：{crop}技术培训",
            place=f"{town}村部",
            speaker=chair.person.name,
            reached=rng.randint(90, 160),
            content="老科协党员现场指导，发放技术资料。",
        )

    # The work committee, its 7 members and their guidance visits ---------------------------
    work_committee = WorkCommittee.objects.create(
        name=WORK_COMMITTEE,
        region=county,
        required_visits_per_year=4,
        note="设工委委员7名，书记由县委组织部副部长、老干部局局长兼任",
    )
    titles = [
        (WorkCommitteeMember.Title.SECRETARY, "县委组织部副部长、县委老干部局局长"),
        (WorkCommitteeMember.Title.DEPUTY_SECRETARY, "县委老干部局副局长"),
        (WorkCommitteeMember.Title.MEMBER, "县委老干部局副局长"),
        (WorkCommitteeMember.Title.MEMBER, "县直机关工委副书记"),
        (WorkCommitteeMember.Title.MEMBER, "县委组织部组织股股长"),
        (WorkCommitteeMember.Title.MEMBER, "县委老干部局离退休干部党建办主任"),
        (WorkCommitteeMember.Title.MEMBER, "县老年大学常务副校长"),
    ]
    officials = [batch.person(lingxi, born=(1970, 1985)) for _ in titles[:-1]] + [vice_principal]
    staff = [batch.person(lingxi, born=(1978, 1998), note="县委老干部局干部") for _ in range(6)]
    # The 离休 veteran who teaches calligraphy at the senior university (honoured by the province).
    teacher = next(r for r in members_of[branches[5]] if r.status == Retiree.Status.LIXIU)
    teacher.skills, teacher.specialty = [S.CALLIGRAPHY, S.EDUCATION], "离休后致力于县老年大学教学，任书法班教师"
    teacher.limited_mobility = False
    counts = batch.save()

    wc_members = WorkCommitteeMember.objects.bulk_create(
        [
            WorkCommitteeMember(
                work_committee=work_committee, person=p, title=t, position_note=note, start_on=dt.date(2022, 3, 15)
            )
            for p, (t, note) in zip(officials, titles, strict=True)
        ]
    )
    # 领导班子成员联系片组: each member guides the branches of one or two clusters.
    cluster_sets = [[0], [1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11]]
    guided = {}
    for member, cl in zip(wc_members, cluster_sets, strict=True):
        guided[member] = [b for b in branches if clusters.index(b.cluster) in cl]
    WorkCommitteeMember.branches.through.objects.bulk_create(
        [
            WorkCommitteeMember.branches.through(workcommitteemember_id=m.pk, branch_id=b.pk)
            for m, bs in guided.items()
            for b in bs
        ]
    )
    visits = []
    for member, n in zip(wc_members, (6, 5, 5, 4, 4, 3, 2), strict=True):  # the last two are behind
        for k in range(n):
            month = 2 + k * (9 // n) + rng.randint(0, 1)
            visits.append(
                GuidanceVisit(
                    member=member,
                    branch=rng.choice(guided[member]),
                    visited_on=dt.date(YEAR, min(month, 11), rng.randint(3, 20)),
                    checked="、".join(rng.sample(CHECKED, 2)),
                    findings=rng.choice(FINDINGS),
                )
            )
    GuidanceVisit.objects.bulk_create(visits)

    # Deceased 离休 veterans (closed memberships, no branch) whose survivors still receive help
    gone = [
        batch.retiree(
            rng.choice(branches[:8]),
            lixiu=True,
            born=(1926, 1931),
            gender="M",
            former_posts=("副县长", "局长"),
            since=dt.date(2017, 6, 1),
        )
        for _ in range(3)
    ]
    batch.save()  # three departed 离休 veterans: not among the 1,491 (their memberships are closed)
    deaths = (dt.date(2024, 3, 9), dt.date(2024, 11, 2), dt.date(2025, 8, 17))
    for retiree, died in zip(gone, deaths, strict=True):
        Membership.objects.filter(retiree=retiree).update(end_on=died, end_reason=Membership.Reason.DECEASED)
        Retiree.objects.filter(pk=retiree.pk).update(branch=None, note=f"{died:%Y年%m月%d日}去世")

    # Care pairs, hardship payments, needs -------------------------------------------------
    fragile = [
        r
        for r in everyone
        if r.in_hardship or r.lives_alone or (r.limited_mobility and age_on(r.person.birth_date) >= 80)
    ]
    fragile.sort(key=lambda r: (not r.in_hardship, not r.lives_alone, r.person.birth_date))
    pairs = CarePair.objects.bulk_create(
        [
            CarePair(
                cadre=staff[i % len(staff)] if i % 4 else officials[1 + i % 3],
                retiree=r,
                started_on=dt.date(rng.choice((2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28)),
                note="、".join(
                    t
                    for t, f in (("生活困难", r.in_hardship), ("独居", r.lives_alone), ("行动不便", r.limited_mobility))
                    if f
                )
                + "，定期走访、代办事务",
            )
            for i, r in enumerate(fragile[:21])
        ]
    )
    care = []
    for pair in pairs:
        for _ in range(rng.randint(3, 6)):
            kind = rng.choice(list(CareRecord.Kind))
            text = {
                "visit": "上门走访，了解身体和生活情况",
                "call": "电话问候，提醒按时服药",
                "errand": "代办医保报销和养老金认证",
                "hospital": "住院期间到医院探望",
                "other": "协助联系家政服务",
            }[kind]
            care.append(
                CareRecord(
                    care_pair=pair,
                    happened_on=random_date(rng, YEAR_START, TODAY),
                    kind=kind,
                    description=text,
                    goods_value=Decimal(rng.choice((0, 0, 200, 300, 500))),
                )
            )
    CareRecord.objects.bulk_create(care)
    lixiu = [r for r in everyone if r.status == Retiree.Status.LIXIU]
    recipients = [(r, "", 2025) for r in lixiu if r.in_hardship or r.limited_mobility][:4]
    recipients += [
        (r, f"{rng.choice('王李张彭向田')}{rng.choice(('秀英', '桂兰', '玉梅'))}（配偶，遗属）", died.year + 1)
        for r, died in zip(gone, deaths, strict=True)
    ]
    HardshipPayment.objects.bulk_create(
        [
            HardshipPayment(
                retiree=r,
                paid_on=dt.date(year, 1, 20 + (year == YEAR)),
                amount=Decimal(3000 if payee else 5000),
                payee=payee,
                note="春节前发放",
            )
            for year in (2025, YEAR)
            for r, payee, since in recipients
            if year >= since
        ]
    )
    needs = []
    for n in range(70):
        ledger = rng.choice(ledgers)
        retiree = rng.choice(ledger.members)
        what, outcome = rng.choice(NEEDS)
        received = random_date(rng, YEAR_START, dt.date(YEAR, 11, 15))
        resolved = received + dt.timedelta(days=rng.randint(2, 30))
        still_open = n % 6 == 0 or resolved > TODAY
        needs.append(
            Need(
                branch=ledger.branch,
                retiree=retiree,
                received_on=received,
                content=what,
                handler=ledger.secretary,
                resolved_on=None if still_open else resolved,
                outcome="" if still_open else outcome,
            )
        )
    Need.objects.bulk_create(needs)

    # Honours and the county's own rule ------------------------------------------------------
    Honour.objects.bulk_create(
        [
            Honour(
                title="全县“学习型先进党组织”",
                level=Honour.Level.COUNTY,
                awarded_by="中共永顺县委",
                awarded_on=dt.date(2025, 6, 28),
                branch=general,
            ),
            Honour(
                title="湖南省老年教育先进工作者",
                level=Honour.Level.PROVINCE,
                awarded_by="湖南省老年教育工作领导小组",
                awarded_on=dt.date(2024, 10, 11),
                person=teacher.person,
            ),
        ]
    )
    for kind in (Branch.Kind.RETIREE, Branch.Kind.AGENCY_RETIREE):
        ComplianceRule.objects.get_or_create(
            region=county,
            branch_kind=kind,
            activity_kind=Activity.Kind.GROUP_MEETING,
            defaults={"period": ComplianceRule.Period.QUARTER, "times": 1},
        )
    stdout.write(
        f"  永顺县：{len(branches)}个支部/{len(clusters)}个片组，{counts['retirees']}名离退休干部，"
        f"老年大学临时党总支+{len(classes)}个临时支部，{counts['activities']}条活动、"
        f"{counts['attendances']}条出席记录，{len(pairs)}个帮扶对子"
    )
