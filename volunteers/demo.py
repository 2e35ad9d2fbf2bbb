"""Demo data of the volunteers app (loaded by `manage.py load_demo` after the branches demo).

Invented people only (the branches demo's retirees and new people from its name lists).
Each section is idempotent: it skips a committee that already has volunteers.

- 苏稽镇关工委 (市中区): retirees of the 机关退休党支部 registered (the rest stay on the pipeline
  list), a 护学 team led by the branch secretary (`shuji`: their records wait for `zhuren`),
  a year of patrols, a studio, one certificate;
- 子营街道关工委 (余庆县): 3 teams (policy outreach, care, community governance), a year of
  tutoring (20+ sessions, 400+ minors), 32 mediations in 2024, 20+ suggestions;
- 低庄镇关工委 (溆浦县): an 11-person sanitation duty group, school patrols, exam-day traffic duty
  for about 1,000 candidates, art teams giving 10 large and 20 small shows;
- 岱岳区 (泰安市): 71 advisory groups (顾问团) taking part in 115 decisions.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from branches.demo.common import TODAY, Batch
from branches.models import Branch, Retiree, Venue, YouthCareCommittee
from core.models import Region, User
from volunteers import services
from volunteers.models import (
    ServiceHours,
    ServiceRecord,
    Studio,
    Suggestion,
    Team,
    TeamMembership,
    Volunteer,
)

Kind = ServiceRecord.Kind


class Section:
    """One committee's demo rows, inserted in bulk."""

    def __init__(self, committee: YouthCareCommittee, recorder: User, seed: int):
        self.committee = committee
        self.recorder = recorder
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        self.county_code = Region.county_code_of(committee.region_id)
        self.next_number = Volunteer.all_objects.filter(county_code=self.county_code).count() + 1

    def register(self, retirees=(), people=(), *, category=Volunteer.Category.CADRE, since=dt.date(2023, 3, 5)):
        rows = []
        for retiree in retirees:
            rows.append(
                Volunteer(
                    person=retiree.person,
                    retiree=retiree,
                    former_unit=retiree.former_unit,
                    profession=retiree.former_post,
                    specialties=list(retiree.skills),
                    fit_for_field_work=not retiree.limited_mobility,
                    category=category,
                )
            )
        rows += [Volunteer(person=person, category=category) for person in people]
        for volunteer in rows:
            volunteer.committee = self.committee
            volunteer.region_id = self.committee.region_id
            volunteer.county_code = self.county_code
            volunteer.number = f"WL{self.next_number:05d}"
            volunteer.registered_on = since + dt.timedelta(days=self.rng.randint(0, 300))
            volunteer.availability = self.rng.choice(["每周一、三上午", "周末", "寒暑假", "随叫随到", "每周二、四下午"])
            self.next_number += 1
        return Volunteer.objects.bulk_create(rows)

    def team(self, name, purpose, members, *, leader=None, founded=dt.date(2023, 4, 1), branch=None, description=""):
        team = Team.objects.create(
            name=name,
            purpose=purpose,
            committee=None if branch else self.committee,
            branch=branch,
            leader=leader or members[0],
            founded_on=founded,
            description=description,
        )
        TeamMembership.objects.bulk_create(
            TeamMembership(team=team, volunteer=v, joined_on=max(founded, v.registered_on)) for v in members
        )
        return team

    def records(self, rows, *, confirmed=True, by=None):
        """`rows`: (day, kind, volunteers, hours, fields) tuples; confirmed by the recorder unless not
        (then recorded `by` a team leader, waiting for the recorder's confirmation)."""
        now = timezone.now()
        records, hours = [], []
        for day, kind, crew, value, fields in rows:
            crew = [v for v in crew if v.registered_on <= day]
            if not crew:
                continue
            record = ServiceRecord(
                committee=self.committee,
                region_id=self.committee.region_id,
                served_on=day,
                kind=kind,
                recorded_by=by or self.recorder,
                status=ServiceRecord.Status.CONFIRMED if confirmed else ServiceRecord.Status.PENDING,
                confirmed_by=self.recorder if confirmed else None,
                confirmed_at=now if confirmed else None,
                **fields,
            )
            records.append((record, crew, value))
        ServiceRecord.objects.bulk_create([r for r, _, _ in records])
        for record, crew, value in records:
            hours += [ServiceHours(record=record, volunteer=v, hours=Decimal(value)) for v in crew]
        ServiceHours.objects.bulk_create(hours, batch_size=2000)
        return [r for r, _, _ in records]

    def crew(self, pool, low, high):
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))


def _days(start: dt.date, end: dt.date, weekday: int, every: int = 1):
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    while day <= min(end, TODAY):
        yield day
        day += dt.timedelta(days=7 * every)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _suji(stdout) -> None:
    committee = YouthCareCommittee.objects.filter(name="苏稽镇关工委").first()
    branch = Branch.objects.filter(name="苏稽镇机关退休党支部").first()
    director, secretary = _user("zhuren"), _user("shuji")
    if not (committee and branch and director and secretary) or committee.volunteers.exists():
        return
    section = Section(committee, director, seed=511102)
    retirees = list(Retiree.objects.filter(branch=branch).select_related("person").order_by("person__pinyin"))
    leader_retiree = next((r for r in retirees if r.person_id == secretary.person_id), None)
    chosen = [r for r in retirees if r is not leader_retiree]
    section.rng.shuffle(chosen)
    registered = section.register(chosen[: len(chosen) * 3 // 5])  # the rest wait on the pipeline list
    batch = Batch(seed=51110299, county_code=section.county_code)
    teachers = [batch.person(committee.region, born=(1955, 1963)) for _ in range(6)]
    batch.save()
    tutors = section.register(people=teachers, category=Volunteer.Category.TEACHER)
    registered += tutors
    leader = (
        section.register([leader_retiree])[0]
        if leader_retiree
        else section.register(people=[secretary.person], category=Volunteer.Category.CADRE)[0]
    )
    patrol = section.team(
        "苏稽镇护学志愿服务队",
        Team.Purpose.PATROL,
        [leader, *registered[:12]],
        leader=leader,
        description="上学、放学时段在苏稽小学、苏稽中学校门口护学；暑期河道防溺水巡查",
    )
    section.team("苏稽镇关爱帮扶服务队", Team.Purpose.CARE, registered[12:24])
    patrollers = [leader, *registered[:12]]
    year_ago = TODAY - dt.timedelta(days=365)
    rows = [
        (
            day,
            Kind.SCHOOL_PATROL,
            section.crew(patrollers, 3, 6),
            "1.5",
            {"team": patrol, "place": "苏稽小学校门口", "minors_served": section.rng.randint(300, 420)},
        )
        for day in _days(year_ago, TODAY - dt.timedelta(days=10), weekday=0)
        if day.month not in (1, 2, 7, 8)
    ]
    rows += [
        (
            day,
            Kind.DROWNING_PATROL,
            section.crew(patrollers, 3, 5),
            "2",
            {"team": patrol, "place": "峨眉河苏稽段", "minors_served": section.rng.randint(5, 30)},
        )
        for day in _days(dt.date(TODAY.year, 7, 1), dt.date(TODAY.year, 8, 31), weekday=5)
    ]
    rows += [
        (
            day,
            Kind.TUTORING,
            section.crew(tutors, 2, 3),
            "2",
            {"place": "苏稽镇关工委活动室", "minors_served": section.rng.randint(12, 25)},
        )
        for day in _days(year_ago, TODAY, weekday=2, every=2)
    ]
    section.records(rows)
    waiting = [
        (
            TODAY - dt.timedelta(days=d),
            Kind.SCHOOL_PATROL,
            section.crew(patrollers, 3, 4),
            "1.5",
            {"team": patrol, "place": "苏稽中学校门口", "minors_served": 280},
        )
        for d in (2, 3, 4)
    ]
    section.records(waiting, confirmed=False, by=secretary)
    venue = Venue.objects.filter(committees=committee).first()
    studio = Studio.objects.create(
        name="苏稽镇五老宣讲工作室",
        theme="党史和家风家教宣讲进校园",
        committee=committee,
        leader=registered[0],
        venue=venue,
        founded_on=dt.date(2024, 5, 4),
        plaque=Studio.Plaque.HUNG,
        plaque_on=dt.date(2024, 6, 1),
    )
    studio.members.add(*registered[:5])
    services.certificate_issue(
        by=director,
        volunteer=leader,
        period_start=dt.date(TODAY.year, 1, 1),
        period_end=TODAY,
        person_in_charge=director.display_name,
        handler=director.display_name,
        contact=director.person.mobile if director.person_id else "",
    )
    unregistered = len(chosen) - len(chosen) * 3 // 5
    stdout.write(f"  苏稽镇关工委：志愿者{len(registered) + 1}人（机关退休党支部另有{unregistered}人待登记）")


def _ziying(stdout) -> None:
    committee = YouthCareCommittee.objects.filter(name="子营街道关工委").first()
    admin = _user("admin")
    if not committee or not admin or committee.volunteers.exists():
        return
    section = Section(committee, admin, seed=520329)
    retirees = list(Retiree.objects.filter(branch=committee.branch).select_related("person").order_by("pk"))
    registered = section.register(retirees[:30], since=dt.date(2022, 6, 1))
    outreach = section.team("子营街道政策宣讲队", Team.Purpose.OUTREACH, registered[:10], founded=dt.date(2022, 7, 1))
    care = section.team("子营街道关爱帮扶队", Team.Purpose.CARE, registered[10:20], founded=dt.date(2022, 7, 1))
    governance = section.team(
        "子营街道社区治理队", Team.Purpose.GOVERNANCE, registered[20:30], founded=dt.date(2022, 7, 1)
    )
    year_ago = TODAY - dt.timedelta(days=365)
    tutoring = [
        (
            day,
            Kind.TUTORING,
            section.crew(registered[10:20], 2, 4),
            "2",
            {"team": care, "place": "子营街道农家书屋", "minors_served": section.rng.randint(17, 23)},
        )
        for day in _days(year_ago, TODAY, weekday=5, every=2)
    ][:22]
    talks = [
        (
            day,
            Kind.TALK,
            section.crew(registered[:10], 2, 3),
            "2",
            {"team": outreach, "place": "子营街道社区", "adults_served": section.rng.randint(30, 80)},
        )
        for day in _days(year_ago, TODAY, weekday=3, every=6)
    ]
    outcomes = (
        [ServiceRecord.Outcome.RESOLVED] * 28 + [ServiceRecord.Outcome.REFERRED] * 3 + [ServiceRecord.Outcome.PENDING]
    )
    disputes = list(ServiceRecord.DisputeKind.values)
    mediations = [
        (
            dt.date(2024, 1, 8) + dt.timedelta(days=11 * i),
            Kind.MEDIATION,
            section.crew(registered[20:30], 2, 3),
            "3",
            {"team": governance, "dispute_kind": section.rng.choice(disputes), "outcome": outcome, "adults_served": 2},
        )
        for i, outcome in enumerate(outcomes)
    ]
    section.records(tutoring + talks + mediations)
    topics = ["背街小巷路灯维修", "农家书屋延长开放时间", "留守儿童暑期托管", "老旧小区加装扶手", "校园周边交通疏导"]
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                committee=committee,
                region_id=committee.region_id,
                team=governance,
                topic=f"{topics[i % len(topics)]}（第{i // len(topics) + 1}次）",
                addressed_to="子营街道党工委",
                proposed_on=dt.date(2024, 2, 1) + dt.timedelta(days=15 * i),
                adopted=i % 4 != 3,
                adopted_on=dt.date(2024, 2, 20) + dt.timedelta(days=15 * i) if i % 4 != 3 else None,
            )
            for i in range(22)
        ]
    )
    stdout.write(f"  子营街道关工委：志愿者{len(registered)}人，3支服务队，调解{len(mediations)}件")


def _dizhuang(stdout) -> None:
    committee = YouthCareCommittee.objects.filter(name="低庄镇关工委").first()
    admin = _user("admin")
    branch = Branch.objects.filter(name="低庄离退休干部党支部").first()
    if not committee or not admin or not branch or committee.volunteers.exists():
        return
    section = Section(committee, admin, seed=431224)
    retirees = list(Retiree.objects.filter(branch=branch).select_related("person").order_by("pk"))
    registered = section.register(retirees[:40], since=dt.date(2021, 3, 1))
    sanitation = section.team("低庄镇环卫值日组", Team.Purpose.SANITATION, registered[:11])
    patrol = section.team("低庄镇护学队", Team.Purpose.PATROL, registered[11:20])
    arts = section.team("低庄镇老年文艺队", Team.Purpose.ARTS, registered[20:40])
    year_ago = TODAY - dt.timedelta(days=365)
    rows = [
        (
            day,
            Kind.SANITATION,
            registered[:11],
            "2",
            {"team": sanitation, "place": "低庄镇集镇街道", "adults_served": 0},
        )
        for day in _days(year_ago, TODAY, weekday=6)
    ]
    rows += [
        (
            day,
            Kind.SCHOOL_PATROL,
            section.crew(registered[11:20], 3, 5),
            "1",
            {"team": patrol, "place": "低庄镇中心小学", "minors_served": section.rng.randint(200, 320)},
        )
        for day in _days(year_ago, TODAY, weekday=4)
        if day.month not in (1, 2, 7, 8)
    ]
    exam_days = [dt.date(TODAY.year, 6, 16), dt.date(TODAY.year, 6, 17)]
    rows += [
        (
            day,
            Kind.EXAM_TRAFFIC,
            registered[11:20],
            "4",
            {"team": patrol, "place": "低庄镇中学考点", "minors_served": 496 - 10 * n},
        )
        for n, day in enumerate(exam_days)
    ]
    shows = [(CULTURE_LARGE, 10, 600), (CULTURE_SMALL, 20, 120)]
    for scale, count, audience in shows:
        rows += [
            (
                dt.date(TODAY.year, 1, 10) + dt.timedelta(days=(300 // count) * i),
                Kind.CULTURE,
                section.crew(
                    registered[20:40], 8 if scale == CULTURE_LARGE else 4, 16 if scale == CULTURE_LARGE else 8
                ),
                "3",
                {"team": arts, "culture_scale": scale, "adults_served": audience + 10 * i, "place": "低庄镇文化广场"},
            )
            for i in range(count)
        ]
    section.records(rows)
    stdout.write("  低庄镇关工委：环卫值日组11人，护学、护考，文艺演出大型10场、小型20场")


CULTURE_LARGE, CULTURE_SMALL = ServiceRecord.CultureScale.LARGE, ServiceRecord.CultureScale.SMALL


def _daiyue(stdout) -> None:
    county = Region.objects.filter(code="370911000000").first()
    admin = _user("admin")
    if not county or not admin:
        return
    committee, _created = YouthCareCommittee.objects.get_or_create(
        name="岱岳区关工委", region=county, defaults={"level": YouthCareCommittee.Level.COUNTY}
    )
    if committee.volunteers.exists():
        return
    section = Section(committee, admin, seed=370911)
    retirees = list(
        Retiree.objects.filter(branch__region__code__startswith="370911").select_related("person").order_by("pk")[:142]
    )
    if len(retirees) < 71:
        return
    registered = section.register(retirees, since=dt.date(2020, 5, 1))
    groups = [
        section.team(
            f"第{n + 1}顾问团", Team.Purpose.ADVISORY, registered[2 * n : 2 * n + 2], founded=dt.date(2021, 3, 1)
        )
        for n in range(71)
    ]
    matters = [
        "小区停车位规划",
        "垃圾分类点设置",
        "老年食堂选址",
        "社区议事规则修订",
        "公园健身器材更新",
        "旧楼改造方案",
    ]
    suggestions = []
    for i in range(115):
        group = groups[i % len(groups)]
        suggestions.append(
            Suggestion(
                committee=committee,
                region_id=committee.region_id,
                team=group,
                topic=f"{matters[i % len(matters)]}意见",
                addressed_to="社区党组织",
                proposed_on=dt.date(2024, 1, 5) + dt.timedelta(days=3 * i),
                decision=matters[i % len(matters)],
                adopted=True,
                adopted_on=dt.date(2024, 1, 20) + dt.timedelta(days=3 * i),
            )
        )
    created = Suggestion.objects.bulk_create(suggestions)
    through = Suggestion.volunteers.through
    through.objects.bulk_create(through(suggestion_id=s.pk, volunteer_id=s.team.leader_id) for s in created)
    stdout.write(f"  岱岳区：顾问团{len(groups)}个，参与决策{len(created)}项")


@transaction.atomic
def load(stdout) -> None:
    """Idempotent: a committee that has volunteers already is skipped."""
    for section in (_suji, _ziying, _dizhuang, _daiyue):
        section(stdout)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE volunteers_volunteer, volunteers_servicerecord, volunteers_servicehours, volunteers_suggestion"
        )
