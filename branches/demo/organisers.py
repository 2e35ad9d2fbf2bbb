"""The seeds' activities held by organisers other than a branch, loaded after the county sections.

- 永顺县: the county's 老干部党校 (through the work committee) held 25 报告会、读书会、培训班
  and 专题党课 for the secretaries and members of all 52 branches (1,097 person-times in the
  seed); each cluster's leading unit calls a 片组会议 every quarter.
- 苏稽镇关工委: at least 4 large meetings a year (关心下一代工作推进会, 成绩总结表彰会) and 6
  large activities (助学表彰, 文艺汇演, 宣讲), recorded with a headcount.
- 苏稽镇机关退休党支部: its 74 members in four 党小组 (the roll groups them).
- 岱岳区堰岭社区: the 210 retired Party members who checked in take part in its 8 temporary
  branches (Participation), their membership staying in their home branches.

Idempotent: each part looks for its own rows first.
"""

import datetime as dt
import random

from branches.demo.common import TODAY
from branches.demo.daiyue import YANLING
from branches.demo.leshan import SUJI, SUJI_BRANCH, SUJI_COMMITTEE
from branches.demo.yongshun import COUNTY as YONGSHUN
from branches.demo.yongshun import WORK_COMMITTEE
from branches.models import (
    Activity,
    Attendance,
    Branch,
    Cluster,
    CommunityCheckIn,
    Participation,
    Post,
    Retiree,
    WorkCommittee,
    YouthCareCommittee,
)
from branches.services.activities import roll_person_ids

TRAININGS = [
    (Activity.Kind.TRAINING, "离退休干部党支部书记培训班"),
    (Activity.Kind.LECTURE, "形势政策报告会"),
    (Activity.Kind.READING_CLUB, "“银发读书会”：学习《习近平谈治国理政》"),
    (Activity.Kind.SPECIAL_LESSON, "专题党课：发扬党的优良传统"),
    (Activity.Kind.TRAINING, "党务工作骨干培训班：三会一课规范化"),
    (Activity.Kind.LECTURE, "乡村振兴专题报告会"),
    (Activity.Kind.READING_CLUB, "“银发读书会”：红色经典诵读"),
    (Activity.Kind.SPECIAL_LESSON, "专题党课：学习党的二十届四中全会精神"),
]
COMMITTEE_EVENTS = [
    (Activity.Kind.PROMOTION_MEETING, "关心下一代工作推进会", (120, 180)),
    (Activity.Kind.COMMENDATION_MEETING, "关心下一代工作成绩总结表彰会", (150, 260)),
    (Activity.Kind.AID_COMMENDATION, "金秋助学表彰会", (200, 320)),
    (Activity.Kind.PERFORMANCE, "“红心向党”少儿文艺汇演", (300, 500)),
    (Activity.Kind.TALK, "五老宣讲团进校园：讲好党的故事", (200, 400)),
]
PARTY_GROUPS = ["第一党小组", "第二党小组", "第三党小组", "第四党小组"]


def _dates(rng, count: int, start: dt.date, end: dt.date) -> list[dt.date]:
    span = (end - start).days
    return sorted(start + dt.timedelta(days=rng.randint(0, span)) for _ in range(count))


def _record(activity: Activity, people, rng, *, present_share: float) -> list[Attendance]:
    rows = []
    for person_id in people:
        present = rng.random() < present_share
        rows.append(
            Attendance(
                activity=activity,
                person_id=person_id,
                status=Attendance.Status.PRESENT if present else Attendance.Status.ABSENT,
                absence_reason="" if present else rng.choice(("身体不适", "外出", "家中有事")),
            )
        )
    return rows


def _work_committee_trainings(rng) -> int:
    work_committee = WorkCommittee.objects.filter(region_id=YONGSHUN, name=WORK_COMMITTEE).first()
    if work_committee is None or Activity.all_objects.filter(work_committee=work_committee).exists():
        return 0
    # Secretaries and deputies of every branch of the county: the 骨干 the Party school trains.
    cadres = sorted(
        set(
            Post.objects.current(TODAY)
            .filter(branch__region__code__startswith=YONGSHUN[:6], role__in=Post.Role.branch_roles())
            .values_list("person_id", flat=True)
        )
    )
    start = TODAY.replace(year=TODAY.year - 1, month=12, day=1)
    activities, rows = [], []
    for n, held_on in enumerate(_dates(rng, 25, start, TODAY)):
        kind, topic = TRAININGS[n % len(TRAININGS)]
        activity = Activity(
            work_committee=work_committee,
            kind=kind,
            held_on=held_on,
            start_time=dt.time(9, 0),
            end_time=dt.time(11, 30),
            place="县老干部党校（县老年大学）",
            topic=f"县老干部党校第{n + 1}期：{topic}",
            speaker=rng.choice(("县委党校讲师", "县委老干部局局长", "县委宣传部副部长")),
            people_reached=rng.randint(0, 6),
            content="全县离退休干部党支部书记、委员和党员骨干参加。",
        )
        activities.append(activity)
        on_roll = rng.sample(cadres, min(len(cadres), rng.randint(36, 46)))
        activity.demo_roll = on_roll
    Activity.objects.bulk_create(activities)
    for activity in activities:
        rows += _record(activity, activity.demo_roll, rng, present_share=0.95)
    Attendance.objects.bulk_create(rows, batch_size=2000)
    return len(activities)


def _cluster_meetings(rng) -> int:
    clusters = list(Cluster.objects.filter(region__code__startswith=YONGSHUN[:6]).order_by("pk"))
    if not clusters or Activity.all_objects.filter(cluster__in=clusters).exists():
        return 0
    activities, rolls = [], {}
    for cluster in clusters:
        for quarter_start in (dt.date(TODAY.year, m, 1) for m in (1, 4, 7, 10)):
            held_on = quarter_start + dt.timedelta(days=rng.randint(10, 40))
            if held_on > TODAY:
                continue
            activity = Activity(
                cluster=cluster,
                kind=Activity.Kind.CLUSTER_MEETING,
                held_on=held_on,
                start_time=dt.time(14, 30),
                end_time=dt.time(16, 30),
                place=f"{cluster.leading_unit}会议室",
                topic=f"{cluster.name}第{(held_on.month - 1) // 3 + 1}季度片组会议：交流支部工作",
                speaker=f"{cluster.leading_unit}",
                content="片组长单位召集，各支部书记汇报本季度三会一课和为民服务情况，交流经验。",
            )
            activities.append(activity)
            rolls[id(activity)] = roll_person_ids(cluster, held_on)
    Activity.objects.bulk_create(activities)
    rows = []
    for activity in activities:
        rows += _record(activity, rolls[id(activity)], rng, present_share=0.9)
    Attendance.objects.bulk_create(rows, batch_size=2000)
    return len(activities)


def _town_committee_meetings(rng) -> int:
    committee = YouthCareCommittee.objects.filter(name=SUJI_COMMITTEE, region_id=SUJI).first()
    if committee is None or Activity.all_objects.filter(committee=committee).exists():
        return 0
    activities, rolls = [], {}
    for year in (TODAY.year - 1, TODAY.year):
        plan = [0, 1, 0, 1, 2, 3, 4, 2, 4, 3]  # 4 meetings (推进会, 表彰会) and 6 large activities a year
        end = TODAY if year == TODAY.year else dt.date(year, 12, 31)
        for slot, held_on in zip(plan, _dates(rng, len(plan), dt.date(year, 1, 10), end), strict=True):
            kind, topic, (low, high) = COMMITTEE_EVENTS[slot]
            activity = Activity(
                committee=committee,
                kind=kind,
                held_on=held_on,
                start_time=dt.time(9, 30),
                place=rng.choice(("苏稽镇政府大会议室", "苏稽中学操场", "苏稽镇中心小学礼堂")),
                topic=f"{year}年苏稽镇{topic}",
                is_large=True,
                headcount=rng.randint(low, high),
                content="镇关工委组织，五老志愿者、学校师生和家长代表参加。",
            )
            activities.append(activity)
            rolls[id(activity)] = roll_person_ids(committee, held_on)
    Activity.objects.bulk_create(activities)
    rows = []
    for activity in activities:
        rows += _record(activity, rolls[id(activity)], rng, present_share=0.92)
    Attendance.objects.bulk_create(rows, batch_size=2000)
    return len(activities)


def _party_groups() -> int:
    branch = Branch.objects.filter(name=SUJI_BRANCH, region_id=SUJI).first()
    if branch is None or Retiree.objects.filter(branch=branch).exclude(party_group="").exists():
        return 0
    members = list(Retiree.objects.filter(branch=branch).order_by("person__pinyin"))
    for n, retiree in enumerate(members):
        retiree.party_group = PARTY_GROUPS[n * len(PARTY_GROUPS) // len(members)]
    Retiree.objects.bulk_update(members, ["party_group"])
    return len(members)


def _community_participants() -> int:
    temporary = list(
        Branch.objects.filter(region_id=YANLING, kind=Branch.Kind.TEMPORARY, name__startswith="堰岭社区").order_by("pk")
    )
    if not temporary or Participation.all_objects.filter(branch__in=temporary).exists():
        return 0
    check_ins = (
        CommunityCheckIn.objects.filter(community_id=YANLING, person__retiree__is_party_member=True)
        .order_by("person__pinyin")
        .values_list("person_id", "checked_in_on")
    )
    rows = [
        Participation(person_id=person_id, branch=temporary[n % len(temporary)], start_on=on)
        for n, (person_id, on) in enumerate(check_ins)
    ]
    Participation.objects.bulk_create(rows)
    return len(rows)


def load(stdout) -> None:
    rng = random.Random(8)  # noqa: S311 (demo data, not secrets)
    trainings = _work_committee_trainings(rng)
    meetings = _cluster_meetings(rng)
    committee = _town_committee_meetings(rng)
    grouped = _party_groups()
    taking_part = _community_participants()
    if trainings or meetings or committee or grouped or taking_part:
        stdout.write(
            f"  主办方：县老干部党校{trainings}期培训，片组会议{meetings}次，苏稽镇关工委大型会议和活动{committee}次，"
            f"苏稽镇机关退休党支部{grouped}人分入党小组，堰岭社区临时党支部参加人员{taking_part}人"
        )
