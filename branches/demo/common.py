"""What the county sections of the demo share: invented names, valid ID numbers,
a batch that bulk-inserts people, retirees, posts and the activity log, and the
generator of a branch's year of meetings (三会一课, 主题党日 …) with attendance.

Everything is deterministic: each section draws from its own `random.Random`
with a fixed seed, and dates are fixed (the demo's "today" is TODAY), so two
fresh databases get the same demo.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DateTimeField, F
from django.db.models.functions import Cast

from branches.models import Activity, Attendance, Branch, Membership, Post, Retiree
from core.models import Person
from core.validators import id_check_digit

TODAY = dt.date(2026, 11, 22)  # the demo's "today": nothing is dated after it
YEAR = 2026
YEAR_START = dt.date(YEAR, 1, 1)
SECRETARY_ALLOWANCE = Decimal("200")
MEMBER_ALLOWANCE = Decimal("150")

# --- Names ----------------------------------------------------------------------------------

COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊秦江尹薛段雷侯龙史陶黎贺顾毛郝龚邵严覃武戴"
)
# Surnames frequent in each county (Tujia surnames in 永顺, 胥 in 乐山 …), drawn more often.
LOCAL_SURNAMES = {
    "433127": "彭向田覃王张李黄符瞿汪杨吴龙石宋鲁舒",
    "511102": "王李张刘陈杨罗周黄何胥谢徐宋曾彭郭唐",
    "520329": "王李张杨刘陈罗吴周黄何冯田赵敖",
    "370911": "王李张刘陈杨赵孙徐马朱高郭宋于董",
    "431224": "向张李舒王刘陈杨谭周贺禹黄吴",
}
MALE_GIVEN = [
    "建国",
    "国庆",
    "卫东",
    "建华",
    "志刚",
    "国华",
    "明华",
    "德明",
    "永康",
    "正清",
    "世忠",
    "长春",
    "光明",
    "文斌",
    "建军",
    "红兵",
    "跃进",
    "胜利",
    "新民",
    "振华",
    "德胜",
    "学文",
    "家富",
    "金山",
    "春生",
    "永福",
    "启明",
    "忠诚",
    "庆丰",
    "洪波",
    "祖林",
    "仕勇",
    "宗华",
    "兴旺",
    "昌盛",
    "树林",
    "玉成",
    "海波",
    "志强",
    "国平",
    "建平",
    "卫国",
    "爱民",
    "润生",
    "光辉",
    "永红",
    "永胜",
    "荣华",
    "汉清",
    "正权",
    "国栋",
    "大勇",
    "先进",
    "继红",
]
MALE_CHARS = (
    "国建志明华文光德永振学忠世金长正春海成启清兴福家军平安宏伟红卫东胜利庆贵荣祥"
    "新生林树远山宝玉才洪涛勇斌刚强俊杰武鹏辉"
)
FEMALE_GIVEN = [
    "秀英",
    "桂兰",
    "玉兰",
    "淑珍",
    "秀兰",
    "凤英",
    "翠兰",
    "春梅",
    "玉梅",
    "丽华",
    "秀珍",
    "红英",
    "桂英",
    "建英",
    "素珍",
    "桂芳",
    "冬梅",
    "小红",
    "爱华",
    "月娥",
    "金凤",
    "美华",
    "秀芳",
    "丽萍",
    "晓燕",
    "春兰",
    "玉华",
    "淑华",
    "桂香",
    "菊英",
    "群英",
    "惠芳",
    "淑芬",
    "慧敏",
    "素芬",
    "文静",
    "晓红",
    "海燕",
    "卫红",
    "德芬",
]
FEMALE_CHARS = "秀玉桂淑兰英芳珍凤华琴梅翠云霞红丽萍莲芬素娟敏燕菊春荣惠琼香爱群玲静洁艳"
# The seed reports name real people; the demo must not reuse their names
# (nor the names core.demo gives its region-scoped accounts).
REAL_NAMES = frozenset(
    [
        "万亦靖",
        "王元金",
        "吴霞",
        "蒋兴奇",
        "郭传军",
        "史银山",
        "刘广林",
        "王西忠",
        "李升平",
        "裴敦安",
        "谢一民",
        "杨海鑫",
        "张谦",
        "程向军",
        "李忧",
        "李憂",
        "李仁忠",
        "王小英",
        "唐佳慧",
        "向红梅",
        "罗晓燕",
        "彭文静",
        "田国栋",
        "蔡义桂",
        "黄修宇",
        "梁晶晶",
    ]
)

ABSENCE_REASONS = ["住院"] * 3 + ["身体不适"] * 3 + ["外出探亲"] * 2 + ["在外地子女家"] * 2 + ["家中有事"]

# 2024–2026 topics of the monthly theme day (主题党日), month by month.
THEME_DAYS = {
    2024: {
        1: "学习贯彻党的二十大精神和中央经济工作会议精神",
        2: "新春走访慰问困难老党员",
        3: "学雷锋志愿服务进社区",
        4: "清明祭英烈 传承红色基因",
        5: "学习《中国共产党纪律处分条例》",
        6: "迎“七一”重温入党誓词",
        7: "庆祝中国共产党成立103周年",
        8: "学习党的二十届三中全会精神",
        9: "银龄行动：助力基层治理",
        10: "庆祝新中国成立75周年",
        11: "重阳敬老：老党员话初心",
        12: "学习《中国共产党章程》",
    },
    2025: {
        1: "学习贯彻中央经济工作会议精神",
        2: "新春话发展 建言促振兴",
        3: "学习全国两会精神",
        4: "清明缅怀革命先烈",
        5: "深入贯彻中央八项规定精神学习教育",
        6: "迎“七一”重温入党誓词",
        7: "庆祝中国共产党成立104周年",
        8: "学习习近平总书记关于老干部工作的重要论述",
        9: "纪念中国人民抗日战争胜利80周年",
        10: "学习党的二十届四中全会精神",
        11: "重阳敬老：银发力量助发展",
        12: "学习《中国共产党党员教育管理工作条例》",
    },
    2026: {
        1: "学习贯彻党的二十届四中全会精神",
        2: "新春走访慰问老党员、困难党员",
        3: "学习全国两会精神和“十五五”规划纲要",
        4: "清明祭英烈 传承红色基因",
        5: "学习《关于加强新时代离退休干部党的建设工作的意见》",
        6: "迎“七一”重温入党誓词、过集体政治生日",
        7: "庆祝中国共产党成立105周年",
        8: "银龄行动：老党员助力乡村振兴",
        9: "学习习近平总书记关于老干部工作的重要论述",
        10: "重阳敬老 老少同乐",
        11: "学习《中国共产党章程》，开展党性教育",
        12: "年度支部工作回顾",
    },
}
PARTY_LESSONS = [
    "书记讲党课：永葆共产党员政治本色",
    "专题党课：离退休干部如何发挥正能量",
    "微党课：学党史、悟思想",
    "党课：做到离岗不离党、退休不褪色",
    "专题党课：以党的创新理论武装头脑",
    "党课：传承红色基因，讲好身边故事",
]
GENERAL_MEETINGS = [
    "支部党员大会：通报季度工作，收缴党费",
    "支部党员大会：讨论年度学习计划",
    "支部党员大会：学习上级文件，部署下季度工作",
    "支部党员大会：表彰优秀党员，通报党费使用情况",
]
COMMITTEE_MEETINGS = [
    "研究部署本月主题党日和学习安排",
    "研究困难党员走访慰问名单",
    "研究送学上门安排和党费收缴",
    "研究个性需求办理情况",
    "研究政治生日活动安排",
]
GROUP_MEETINGS = [
    "党小组学习讨论：交流学习心得",
    "党小组会：传达支部工作安排",
    "党小组会：谈身边变化，说发展成就",
]
KIND_PREFIXES = {"支部党员大会", "党小组会", "集中学习", "送学上门", "主题党日", "党课"}
STUDIES = [
    "集中学习：习近平总书记重要讲话精神",
    "集中学习：《习近平谈治国理政》第五卷选读",
    "集中学习：老干部工作政策解读",
    "集中学习：反诈骗、防养老诈骗知识",
    "集中学习：健康养生与慢病防治讲座",
]
CHECKED = [
    "三会一课记录本、主题党日台账",
    "党费收缴登记和使用情况",
    "学习笔记和心得体会",
    "送学上门记录、行动不便党员学习情况",
    "政治生日台账和个性需求办理台账",
    "党员活动室建设和制度上墙情况",
]
FINDINGS = [
    "台账规范，活动照片齐全。",
    "第三季度支委会记录不全，已督促补记。",
    "送学上门记录缺少补学内容，已指导补充。",
    "学习笔记较简单，建议围绕专题写心得。",
    "",
    "个性需求办理及时，值得推广。",
    "部分党员联系电话变更未更新，已要求核实。",
]


# --- ID numbers and people ------------------------------------------------------------------


def make_id_number(region_code: str, birth: dt.date, seq: int, male: bool) -> str:
    """A valid-checksum national ID number (digit 17 odd for men); same logic as tests.factories."""
    order = (seq % 500) * 2 + (1 if male else 0)
    first17 = f"{region_code[:6]}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_digit(first17)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(birth: dt.date, day: dt.date = TODAY) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass
class Batch:
    """One county section's new rows, kept in memory and inserted with bulk_create by `save()`."""

    seed: int
    county_code: str
    birth_codes: tuple = ()  # other area codes some people were born in (first 6 digits)
    rng: random.Random = field(init=False)
    persons: list = field(default_factory=list)
    retirees: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    attendances: list = field(default_factory=list)
    home_visits: dict = field(default_factory=dict)  # (branch id, day) -> that day's home-study round

    def __post_init__(self):
        self.rng = random.Random(self.seed)  # noqa: S311 (demo data, not secrets)
        self.used_ids = set(Person.all_objects.exclude(id_number="").values_list("id_number", flat=True))
        self.used_names = set(REAL_NAMES)

    # People

    def name(self, gender: str) -> str:
        local = LOCAL_SURNAMES.get(self.county_code[:6], "")
        for _attempt in range(50):
            surname = self.rng.choice(local if local and self.rng.random() < 0.6 else COMMON_SURNAMES)
            if gender == "M":
                given = self.rng.choice(MALE_GIVEN) if self.rng.random() < 0.35 else None
                chars = MALE_CHARS
            else:
                given = self.rng.choice(FEMALE_GIVEN) if self.rng.random() < 0.35 else None
                chars = FEMALE_CHARS
            if given is None:
                given = self.rng.choice(chars) + (self.rng.choice(chars) if self.rng.random() < 0.75 else "")
            name = surname + given
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("ran out of demo names")

    def id_number(self, birth: dt.date, male: bool) -> str:
        code = self.county_code
        if self.birth_codes and self.rng.random() < 0.15:
            code = self.rng.choice(self.birth_codes)
        for seq in range(150, 500):  # orders 300–999: clear of the test factories' small sequences
            number = make_id_number(code, birth, seq, male)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError("no free ID number")

    def person(self, region, *, gender=None, birth=None, born=(1950, 1964), name=None, note="") -> Person:
        gender = gender or self.rng.choice("MF")
        birth = birth or random_date(self.rng, dt.date(born[0], 1, 1), dt.date(born[1], 12, 31))
        mobile = f"1{self.rng.choice('35789')}{self.rng.randint(0, 999_999_999):09d}"
        person = Person(
            name=name or self.name(gender),
            gender=gender,
            birth_date=birth,
            id_number=self.id_number(birth, gender == "M"),
            mobile=mobile,
            region=region,
            note=note,
        )
        if name:
            self.used_names.add(name)
        self.persons.append(person)
        return person

    def retiree(
        self,
        branch: Branch,
        *,
        region=None,
        former_unit="",
        former_posts=("科员", "主任科员", "股长"),
        born=(1946, 1964),
        birth=None,
        gender=None,
        party=True,
        lixiu=False,
        skills=(),
        since=None,
    ) -> Retiree:
        """A retiree with a person and an open membership of `branch` (joined after retiring)."""
        rng = self.rng
        gender = gender or ("M" if rng.random() < 0.62 else "F")
        if birth is None:
            latest = dt.date(born[1], 12, 31) if gender == "F" else min(dt.date(born[1], 12, 31), dt.date(1966, 6, 30))
            birth = random_date(rng, dt.date(born[0], 1, 1), latest)
        person = self.person(region or branch.region, gender=gender, birth=birth)
        if lixiu:
            retired_on = add_years(birth, 60).replace(day=1)
        else:
            retired_on = add_years(birth, 60 if gender == "M" else 55).replace(day=1) + dt.timedelta(days=31)
            retired_on = min(retired_on.replace(day=1), TODAY)
        joined = None
        if party:
            if lixiu:
                joined = random_date(rng, dt.date(1948, 1, 1), dt.date(1956, 12, 31))
            else:
                joined = random_date(rng, add_years(birth, 21), min(add_years(birth, 42), retired_on))
        age = age_on(birth)
        old = age >= 80
        retiree = Retiree(
            person=person,
            branch=branch,
            status=Retiree.Status.LIXIU if lixiu else Retiree.Status.RETIRED,
            former_unit=former_unit or branch.host_unit,
            former_post=rng.choice(former_posts),
            retired_on=retired_on,
            is_party_member=party,
            joined_party_on=joined,
            limited_mobility=rng.random() < (0.35 if old else 0.05),
            lives_alone=rng.random() < (0.15 if old else 0.04),
            in_hardship=rng.random() < (0.06 if old else 0.03),
        )
        if skills and rng.random() < 0.45:
            retiree.skills = sorted(
                {str(s) for s in rng.sample(list(skills), k=min(len(skills), rng.choice((1, 1, 2))))}
            )
            retiree.specialty = (
                "、".join(str(Retiree.Skill(s).label) for s in retiree.skills) + "方面有专长，愿意发挥余热"
            )
        self.retirees.append(retiree)
        start = max(since or dt.date(2017, 6, 1), retired_on + dt.timedelta(days=15))
        self.memberships.append(Membership(retiree=retiree, branch=branch, start_on=min(start, TODAY)))
        return retiree

    def post(self, person, *, role, branch=None, committee=None, start, end=None, duty="", outside="", allowance=None):
        post = Post(
            person=person,
            branch=branch,
            committee=committee,
            role=role,
            duty=duty,
            outside_role=outside,
            start_on=start,
            end_on=end,
            monthly_allowance=allowance,
        )
        self.posts.append(post)
        return post

    def branch_committee(self, branch, members, *, start, deputy=False, n_members=2, allowances=True):
        """Secretary (+ deputy) and committee members from the branch's party members; returns them."""
        candidates = [
            r
            for r in members
            if r.is_party_member
            and not r.limited_mobility
            and 60 <= age_on(r.person.birth_date) <= 76
            and not hasattr(r, "demo_spans")
        ] or [r for r in members if r.is_party_member]
        chosen = self.rng.sample(candidates, k=min(len(candidates), 1 + deputy + n_members))
        duties = [Post.Duty.ORGANISATION, Post.Duty.PUBLICITY, Post.Duty.DISCIPLINE, Post.Duty.WELFARE]
        for i, retiree in enumerate(chosen):
            if i == 0:
                role, duty, money = Post.Role.SECRETARY, "", SECRETARY_ALLOWANCE
            elif deputy and i == 1:
                role, duty, money = Post.Role.DEPUTY_SECRETARY, "", MEMBER_ALLOWANCE
            else:
                role, duty, money = Post.Role.COMMITTEE_MEMBER, duties[(i - 1 - deputy) % 4], MEMBER_ALLOWANCE
            self.post(
                retiree.person,
                role=role,
                branch=branch,
                start=start,
                duty=duty,
                allowance=money if allowances else None,
            )
        return chosen

    # The activity log

    def activity(self, branch, kind, held_on, topic, *, place="", speaker="", online=False, reached=0, content=""):
        # Pages show "kind：topic"; drop a kind the topic repeats ("集中学习：集中学习：…").
        prefix, _, rest = topic.partition("：")
        if rest and prefix in KIND_PREFIXES:
            topic = rest
        afternoon = self.rng.random() < 0.4
        start = dt.time(14, 30) if afternoon else dt.time(9, 0)
        activity = Activity(
            branch=branch,
            kind=kind,
            held_on=held_on,
            start_time=start,
            end_time=dt.time(start.hour + self.rng.choice((1, 2)), start.minute),
            place="线上（微信视频会议）" if online else place,
            is_online=online,
            topic=topic[:200],
            content=content,
            speaker=speaker,
            people_reached=reached,
        )
        self.activities.append(activity)
        # Most entries are made on the day or within a few days; a few come late (audit marks them).
        activity.demo_delay = min(self.rng.choice((0, 0, 0, 1, 1, 2, 3)), (TODAY - held_on).days)
        return activity

    def mark_late(self, activity, days=None):
        days = days or self.rng.randint(32, 60)
        activity.demo_delay = min(days, (TODAY - activity.held_on).days)

    def attend(self, activity, people, *, catch_up=0.6, secretary_name="", end=TODAY):
        """Tick attendance: most present; absentees with a reason, some caught up by 送学上门."""
        rng = self.rng
        people = [r for r in people if _member_on(r, activity.branch, activity.held_on)]
        present = 0
        for retiree in people:
            age = age_on(retiree.person.birth_date, activity.held_on)
            p_absent = 0.05 + (0.5 if retiree.limited_mobility else 0) + (0.1 if age >= 85 else 0)
            if rng.random() >= p_absent:
                self.attendances.append(Attendance(activity=activity, person=retiree.person))
                present += 1
                continue
            reason = "行动不便" if retiree.limited_mobility and rng.random() < 0.7 else rng.choice(ABSENCE_REASONS)
            # One 送学上门 round a month (on the 25th) takes the month's material to everyone who missed it.
            held = activity.held_on
            caught = dt.date(held.year, held.month, 25) if held.day <= 22 else held + dt.timedelta(days=3)
            if reason != "外出探亲" and rng.random() < catch_up and caught <= end:
                self.attendances.append(
                    Attendance(
                        activity=activity,
                        person=retiree.person,
                        status=Attendance.Status.CAUGHT_UP,
                        absence_reason=reason,
                        caught_up_on=caught,
                    )
                )
                visit = self.home_visits.get((activity.branch_id, caught))
                if visit is None:
                    visit = self.activity(
                        activity.branch,
                        Activity.Kind.HOME_STUDY,
                        caught,
                        f"送学上门：{held.month}月会议精神和学习资料",
                        place="党员家中",
                        speaker=secretary_name,
                        content="将会议精神和学习资料（大字版）送到家中，逐条讲解并听取意见。",
                    )
                    visit.demo_visited = set()
                    self.home_visits[(activity.branch_id, caught)] = visit
                if id(retiree) not in visit.demo_visited:
                    visit.demo_visited.add(id(retiree))
                    self.attendances.append(Attendance(activity=visit, person=retiree.person))
            else:
                self.attendances.append(
                    Attendance(
                        activity=activity, person=retiree.person, status=Attendance.Status.ABSENT, absence_reason=reason
                    )
                )
        expected = len(people)
        activity.content = (
            f"{activity.content}应到{expected}人，实到{present}人。".strip() if expected else activity.content
        )

    def transfer(self, retiree, to_branch, on: dt.date) -> None:
        """Move a retiree (not yet saved) to another branch: the old membership ends, a new one starts."""
        old = next(m for m in self.memberships if m.retiree is retiree and m.end_on is None)
        old.end_on, old.end_reason = on, Membership.Reason.TRANSFERRED
        self.memberships.append(
            Membership(retiree=retiree, branch=to_branch, start_on=on, start_reason=Membership.Reason.TRANSFERRED)
        )
        retiree.demo_spans = [(old.branch, old.start_on, on), (to_branch, on, None)]
        retiree.branch = to_branch

    # Saving

    def save(self):
        for person in self.persons:
            person.fill_derived_fields()
        Person.objects.bulk_create(self.persons, batch_size=1000)
        Retiree.objects.bulk_create(self.retirees, batch_size=1000)
        Membership.objects.bulk_create(self.memberships, batch_size=1000)
        Post.objects.bulk_create(self.posts, batch_size=1000)
        Activity.objects.bulk_create(self.activities, batch_size=1000)
        Attendance.objects.bulk_create(self.attendances, batch_size=2000)
        # created_at is set by auto_now_add: put it on (or a few days after) the day held,
        # and more than 30 days after for the late entries.
        by_delay = {}
        for activity in self.activities:
            by_delay.setdefault(activity.demo_delay, []).append(activity.pk)
        for days, pks in by_delay.items():
            Activity.all_objects.filter(pk__in=pks).update(
                created_at=Cast(F("held_on"), DateTimeField()) + dt.timedelta(days=days, hours=12, minutes=30)
            )
        counts = {
            "people": len(self.persons),
            "retirees": len(self.retirees),
            "activities": len(self.activities),
            "attendances": len(self.attendances),
        }
        for name in ("persons", "retirees", "memberships", "posts", "activities", "attendances"):
            getattr(self, name).clear()
        self.home_visits.clear()
        return counts


def _member_on(retiree, branch, day) -> bool:
    """Whether a retiree (moved by `Batch.transfer`) was in the branch that day; others always are."""
    spans = getattr(retiree, "demo_spans", None)
    return not spans or any(b is branch and start <= day and (end is None or day < end) for b, start, end in spans)


# --- A year of branch activities ------------------------------------------------------------


@dataclass
class Ledger:
    """How one branch keeps its ledger: who is in it, where it meets, how diligent it is."""

    branch: Branch
    members: list
    committee: list
    secretary: str
    place: str
    profile: str = "good"  # good, fair, or lapsed (stops keeping up from `lapse_month`)
    lapse_month: int = 13
    online_rate: float = 0.04
    late_rate: float = 0.02
    catch_up: float = 0.6
    study_day: int | None = None  # a fixed monthly study day (县政府办: the 10th)
    studies: int = 4
    field_site: str = ""
    extra_topics: list = field(default_factory=list)  # mixed into 三会一课 topics


def ledger_year(batch: Batch, ledger: Ledger, year: int, *, end: dt.date = TODAY):
    """Activities of one branch for one calendar year (up to `end`), following the regulations:
    monthly theme day and committee meeting, quarterly group meeting (the county setting),
    general meeting and party lesson, yearly org-life meeting and member appraisal, with gaps."""
    rng = batch.rng
    branch = ledger.branch
    party = [r for r in ledger.members if r.is_party_member]
    groups = [party[0::2], party[1::2]] if len(party) > 12 else [party]
    miss_rate = {"good": 0.005, "fair": 0.08, "lapsed": 0.05}[ledger.profile]
    themes = THEME_DAYS[year]
    extra = list(ledger.extra_topics)

    def missed(month):
        if ledger.profile == "lapsed" and month >= ledger.lapse_month:
            return rng.random() < 0.85
        return rng.random() < miss_rate

    def topic(base):
        return rng.choice(extra) if extra and rng.random() < 0.35 else base

    def held(activity, people):
        if rng.random() < ledger.late_rate and (end - activity.held_on).days > 45:
            batch.mark_late(activity)
        if people:
            batch.attend(activity, people, catch_up=ledger.catch_up, secretary_name=ledger.secretary, end=end)
        return activity

    def online():
        return rng.random() < ledger.online_rate

    last = 12 if end.year > year else end.month
    # 组织生活会 and 民主评议党员 once a year, early in the year.
    day = dt.date(year, rng.choice((1, 2)), rng.randint(12, 26))
    if day <= end and not missed(1):
        held(
            batch.activity(
                branch,
                Activity.Kind.ORG_LIFE_MEETING,
                day,
                f"{year - 1}年度组织生活会",
                place=ledger.place,
                speaker=ledger.secretary,
                content="对照检查，开展批评和自我批评。",
            ),
            party,
        )
        held(
            batch.activity(
                branch,
                Activity.Kind.MEMBER_APPRAISAL,
                day + dt.timedelta(days=rng.choice((0, 1, 7))),
                f"{year - 1}年度民主评议党员",
                place=ledger.place,
                speaker=ledger.secretary,
                content="个人自评、党员互评、民主测评。",
            ),
            party,
        )
    for month in range(1, last + 1):
        theme_on = dt.date(year, month, rng.randint(3, 15))
        if theme_on > end:
            continue
        if not missed(month):
            held(
                batch.activity(
                    branch,
                    Activity.Kind.COMMITTEE_MEETING,
                    theme_on - dt.timedelta(days=rng.randint(1, 2)),
                    topic(rng.choice(COMMITTEE_MEETINGS)),
                    place=ledger.place,
                    speaker=ledger.secretary,
                ),
                ledger.committee,
            )
        if not missed(month):
            held(
                batch.activity(
                    branch,
                    Activity.Kind.THEME_DAY,
                    theme_on,
                    themes[month],
                    place=ledger.place,
                    speaker=ledger.secretary,
                    online=online(),
                ),
                party,
            )
        if month % 3 == 2 and not missed(month):  # 党小组会 each quarter
            for n, group in enumerate(groups, start=1):
                on = theme_on + dt.timedelta(days=rng.randint(3, 10))
                if on <= end:
                    held(
                        batch.activity(
                            branch,
                            Activity.Kind.GROUP_MEETING,
                            on,
                            f"第{n}党小组：" + topic(rng.choice(GROUP_MEETINGS)),
                            place=ledger.place,
                        ),
                        group,
                    )
        if month % 3 == 0 or (month == last and end.year == year):  # quarterly meetings, late in the quarter
            quarter = (month - 1) // 3 + 1
            if month % 3 != 0 and rng.random() < 0.5:
                continue  # this quarter's meeting is still to come
            on = min(theme_on + dt.timedelta(days=rng.randint(5, 12)), end)
            if not missed(month):
                held(
                    batch.activity(
                        branch,
                        Activity.Kind.GENERAL_MEETING,
                        on,
                        topic(GENERAL_MEETINGS[quarter - 1]),
                        place=ledger.place,
                        speaker=ledger.secretary,
                        online=online(),
                    ),
                    party,
                )
            if not missed(month):
                held(
                    batch.activity(
                        branch,
                        Activity.Kind.PARTY_LESSON,
                        on,
                        topic(rng.choice(PARTY_LESSONS)),
                        place=ledger.place,
                        speaker=ledger.secretary,
                        online=online(),
                    ),
                    party,
                )
    # Study sessions (a fixed study day where the branch has one), visits, an outing.
    if ledger.study_day:
        for month in range(1, last + 1):
            on = dt.date(year, month, ledger.study_day)
            if on <= end and not missed(month):
                batch.activity(
                    branch,
                    Activity.Kind.STUDY,
                    on,
                    f"每月{ledger.study_day}日集中学习：" + rng.choice(STUDIES).split("：")[-1],
                    place=ledger.place,
                    speaker=ledger.secretary,
                )
    else:
        for month in sorted(rng.sample(range(1, last + 1), k=min(ledger.studies, last))):
            on = dt.date(year, month, rng.randint(16, 27))
            if on <= end:
                batch.activity(
                    branch, Activity.Kind.STUDY, on, topic(rng.choice(STUDIES)), place=ledger.place, online=online()
                )
    for month, text in ((1, "春节前走访慰问老党员、困难党员"), (10, "重阳节走访慰问高龄党员")):
        on = dt.date(year, month, rng.randint(18, 28))
        if on <= end and rng.random() < 0.8:
            batch.activity(
                branch, Activity.Kind.VISIT, on, text, speaker=ledger.secretary, content="带去慰问品和组织的问候。"
            )
    if ledger.field_site:
        on = dt.date(year, rng.choice((4, 5, 6)), rng.randint(8, 26))
        if on <= end:
            batch.activity(
                branch,
                Activity.Kind.FIELD_TEACHING,
                on,
                f"现场教学：赴{ledger.field_site}接受红色教育",
                place=ledger.field_site,
                speaker=ledger.secretary,
                content="参观旧址和纪念馆，重温入党誓词。",
            )
