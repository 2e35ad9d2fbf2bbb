"""Demo data of the aid app in 乐山市市中区 / 苏稽镇 (loaded by `manage.py load_demo` after branches).

Modelled on the seed reports' cases, with invented names: a pupil burned at home for whom the
town committee launched a drive (a thousand appeal letters, over 100,000 yuan); a 15-year-old
girl living with sick grandparents whose sponsor, a restaurant owner, pays 1,000 yuan a month
plus 400 yuan of clothes money each June from 2020-06-17 until she finishes her studies (one
month recently missed, so the arrears show); a university entrant visited at home and given
3,000 yuan; Party members paired with children; and a year of care visits in the town: 251
visits, 843 person-times, goods worth over 160,000 yuan. Idempotent: a second run adds nothing.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from aid_cases.models import (
    AidCase,
    CareVisit,
    CaseEvent,
    Child,
    Consent,
    Disbursement,
    DisbursementItem,
    Donation,
    Drive,
    Guardian,
    Pairing,
    PairingSupport,
    Payout,
    Programme,
    Sponsor,
)
from branches.demo.common import TODAY, make_id_number
from branches.models import YouthCareCommittee
from core.models import Person, Region
from core.validators import credit_code_check_char

SUJI, COUNTY = "511102101000", "511102000000"
PAIRING_PROGRAMME = "一对一结对资助"
VISITS, PERSON_TIMES, VISIT_GOODS = 251, 843, Decimal("162400")


def _years_before(day: dt.date, years: int, month: int, dom: int) -> dt.date:
    return dt.date(day.year - years, month, dom)


def _months(start: dt.date, end: dt.date):
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def _credit_code(body: str) -> str:
    return body + credit_code_check_char(body)


@transaction.atomic
def load(stdout) -> None:
    town = YouthCareCommittee.objects.filter(name="苏稽镇关工委", region_id=SUJI).first()
    district = YouthCareCommittee.objects.filter(name="市中区关工委", region_id=COUNTY).first()
    if town is None or district is None:
        stdout.write("  助学帮扶：没有苏稽镇关工委，跳过")
        return
    if Programme.all_objects.filter(name=PAIRING_PROGRAMME, committee=district).exists():
        stdout.write("  助学帮扶：已存在，跳过")
        return
    rng = random.Random(511102101)  # noqa: S311 (repeatable demo data, not secrets)
    villages = list(Region.objects.filter(code__startswith="511102101", level=Region.Level.VILLAGE).order_by("code"))
    village = villages[0] if villages else Region.objects.get(code=SUJI)
    county = Region.objects.get(code=COUNTY)

    pairing_programme = Programme.objects.create(
        name=PAIRING_PROGRAMME,
        kind=Programme.Kind.PAIRING,
        committee=district,
        eligibility="困境儿童、留守儿童、事实孤儿等，经乡镇关工委核实、区关工委审批",
    )
    autumn = Programme.objects.create(
        name="金秋助学",
        kind=Programme.Kind.STUDENT_AID,
        year=TODAY.year,
        committee=district,
        budget=Decimal("60000"),
        eligibility="当年考入大学的困难家庭学生",
    )
    emergency = Programme.objects.create(name="应急救助", kind=Programme.Kind.EMERGENCY, committee=town)
    winter = Programme.objects.create(
        name="暖冬慰问", kind=Programme.Kind.HOLIDAY_CARE, year=TODAY.year, committee=town, budget=Decimal("20000")
    )

    seq = iter(range(700, 900))

    def child(name, gender, born, circumstances, school, grade, situation, guardian, relation):
        person = Person.objects.create(
            name=name,
            gender=gender,
            birth_date=born,
            region=village,
            id_number=make_id_number("511102", born, next(seq), gender == "M"),
        )
        row = Child.objects.create(
            person=person,
            region=village,
            school=school,
            grade=grade,
            circumstances=circumstances,
            situation=situation,
        )
        Guardian.objects.create(child=row, name=guardian, relation=relation, phone=f"1398130{next(seq):04d}")
        Consent.objects.create(
            child=row, given_by=guardian, relation=relation, given_on=dt.date(2020, 6, 1), purpose=Consent.Purpose.KEEP
        )
        return row

    def case(row, programme, status, registered_on, **fields):
        created = AidCase.objects.create(
            child=row, programme=programme, committee=town, status=status, registered_on=registered_on, **fields
        )
        CaseEvent.objects.create(case=created, action="register", to_status="registered", happened_on=registered_on)
        if status != AidCase.Status.REGISTERED:
            CaseEvent.objects.create(
                case=created,
                action="verify",
                from_status="registered",
                to_status="verified",
                happened_on=registered_on + dt.timedelta(days=5),
                comment="已入户核实",
            )
        if status not in (AidCase.Status.REGISTERED, AidCase.Status.VERIFIED):
            CaseEvent.objects.create(
                case=created,
                action="approve",
                from_status="verified",
                to_status="approved",
                happened_on=registered_on + dt.timedelta(days=12),
            )
        if status == AidCase.Status.ACTIVE:
            CaseEvent.objects.create(
                case=created,
                action="activate",
                from_status="approved",
                to_status="active",
                happened_on=registered_on + dt.timedelta(days=14),
            )
        return created

    # The girl with sick grandparents and her sponsor, a restaurant owner (2020-06-17 on).
    girl_born = _years_before(TODAY, 15, 3, 8)
    girl = child(
        "罗雨晴",
        "F",
        girl_born,
        [Child.Circumstance.IN_DIFFICULTY, Child.Circumstance.LEFT_BEHIND],
        "苏稽镇中学",
        "九年级",
        "父母在外务工多年未归，与患病的祖父母同住",
        "罗德明",
        "grandparent",
    )
    girl_case = case(girl, pairing_programme, AidCase.Status.ACTIVE, dt.date(2020, 5, 20))
    owner = Sponsor.objects.create(
        kind=Sponsor.Kind.INDIVIDUAL,
        name="周建华",
        region=county,
        contact_name="周建华",
        contact_phone="13981301234",
        payer="苏稽古镇周记饭庄（周建华个人出资）",
        note="餐馆老板，承担学习期间全部费用",
    )
    pairing = Pairing.objects.create(
        sponsor=owner,
        case=girl_case,
        monthly_amount=Decimal("1000"),
        start_on=dt.date(2020, 6, 17),
        end_condition="直至完成学业",
    )
    PairingSupport.objects.create(pairing=pairing, label="衣物费", amount=Decimal("400"), months=[6])
    PairingSupport.objects.create(pairing=pairing, label="学杂费", amount=Decimal("600"), months=[3, 9])
    skipped = (TODAY.replace(day=1) - dt.timedelta(days=40)).replace(day=1)  # a month two back: arrears show
    payments = []
    for month in _months(dt.date(2020, 6, 1), TODAY):
        if month == skipped:
            continue
        paid_on = dt.date(2020, 6, 17) if month == dt.date(2020, 6, 1) else month.replace(day=min(10, TODAY.day))
        if month.year == TODAY.year and month.month == TODAY.month and TODAY.day < 10:
            continue
        amount = (
            Decimal("1000")
            + (Decimal("400") if month.month == 6 else 0)
            + (Decimal("600") if month.month in (3, 9) else 0)
        )
        payments.append(
            Disbursement(
                case=girl_case,
                pairing=pairing,
                paid_on=paid_on,
                for_month=month,
                amount=amount,
                present="镇关工委执行主任、村妇联主席",
                note="资助人本人到场发放",
            )
        )
    Disbursement.objects.bulk_create(payments)

    # The pupil burned at home, and the town's drive: a thousand appeal letters, over 100,000 yuan.
    boy = child(
        "陈浩宇",
        "M",
        _years_before(TODAY, 13, 9, 14),
        [Child.Circumstance.SERIOUS_ILLNESS],
        "苏稽镇中心小学",
        "六年级",
        "在家中被烧伤，需多次植皮手术",
        "陈国平",
        "father",
    )
    boy_case = case(boy, emergency, AidCase.Status.ACTIVE, dt.date(TODAY.year, 3, 2))
    drive = Drive.objects.create(
        committee=town,
        title="为烧伤学生陈浩宇募捐",
        case=boy_case,
        launched_on=dt.date(TODAY.year, 3, 5),
        launched_by="苏稽镇关工委",
        target=Decimal("100000"),
        appeal="全镇发出倡议书1000份，号召党员干部、五老志愿者和爱心人士为烧伤学生献爱心。",
    )
    enterprise = Sponsor.objects.create(
        kind=Sponsor.Kind.ENTERPRISE,
        name="乐山市苏稽翘脚牛肉餐饮有限公司",
        region=county,
        credit_code=_credit_code("91511102MA62X5K0" + "3"),
        contact_name="刘经理",
        contact_phone="0833-2101234",
    )
    donations = [
        Donation(
            drive=drive,
            received_on=dt.date(TODAY.year, 3, 8),
            sponsor=enterprise,
            donor=enterprise.name,
            amount=Decimal("20000"),
        )
    ]
    for i in range(180):
        donations.append(
            Donation(
                drive=drive,
                received_on=dt.date(TODAY.year, 3, 6) + dt.timedelta(days=rng.randint(0, 25)),
                donor="" if i % 9 == 0 else f"爱心人士{i + 1}号",
                amount=Decimal(rng.choice([100, 200, 300, 500, 800, 1000])),
            )
        )
    donations.append(
        Donation(
            drive=drive,
            received_on=dt.date(TODAY.year, 3, 20),
            donor="镇中心小学师生",
            goods="慰问品和学习用品",
            goods_value=Decimal("3200"),
        )
    )
    Donation.objects.bulk_create(donations)
    Payout.objects.bulk_create(
        [
            Payout(
                drive=drive,
                paid_on=dt.date(TODAY.year, 4, 2),
                payee="乐山市人民医院",
                purpose="第一次植皮手术费",
                amount=Decimal("45000"),
            ),
            Payout(
                drive=drive,
                paid_on=dt.date(TODAY.year, 6, 15),
                payee="陈国平（监护人）",
                purpose="康复治疗费",
                amount=Decimal("30000"),
            ),
        ]
    )

    # The university entrant, visited at home and given 3,000 yuan.
    student = child(
        "王思远",
        "M",
        _years_before(TODAY, 18, 5, 2),
        [Child.Circumstance.POOR_HOUSEHOLD],
        "四川大学",
        "大一",
        "建档立卡贫困户，当年考入大学",
        "王秀英",
        "mother",
    )
    student_case = case(student, autumn, AidCase.Status.ACTIVE, dt.date(TODAY.year, 8, 1), outcome="考入四川大学")
    grant = Disbursement.objects.create(
        case=student_case,
        paid_on=dt.date(TODAY.year, 8, 25),
        for_month=dt.date(TODAY.year, 8, 1),
        amount=Decimal("3000"),
        goods_value=Decimal("380"),
        present="区关工委、镇关工委",
        note="入户走访时发放金秋助学金",
    )
    DisbursementItem.objects.bulk_create(
        [
            DisbursementItem(disbursement=grant, description="行李箱", quantity=1, value=Decimal("260")),
            DisbursementItem(disbursement=grant, description="床上用品", quantity=1, value=Decimal("120")),
        ]
    )

    # Party members paired with children, visited on 六一 and 春节.
    for name, kid in (("张德明", ("李佳怡", "F", 10)), ("杨秀兰", ("赵子涵", "M", 8))):
        member = Person.objects.create(
            name=name, region=village, gender="M" if name == "张德明" else "F", birth_date=dt.date(1962, 4, 1)
        )
        sponsor = Sponsor.objects.create(kind=Sponsor.Kind.PARTY_MEMBER, name=name, person=member, region=county)
        row = child(
            kid[0],
            kid[1],
            _years_before(TODAY, kid[2], 7, 1),
            [Child.Circumstance.SINGLE_PARENT],
            "苏稽镇中心小学",
            f"{kid[2] - 6}年级",
            "单亲家庭，母亲在外打工",
            "李桂芳",
            "grandparent",
        )
        pair_case = case(row, pairing_programme, AidCase.Status.ACTIVE, dt.date(TODAY.year - 1, 5, 10))
        Pairing.objects.create(
            sponsor=sponsor,
            case=pair_case,
            monthly_amount=Decimal("200"),
            start_on=dt.date(TODAY.year - 1, 6, 1),
            planned_end_on=dt.date(TODAY.year + 2, 6, 30),
        )

    # Waiting for the town's verification (zhuren) and for the county's approval (guangongwei).
    for name, status, days in (("何欣悦", AidCase.Status.REGISTERED, 9), ("吴俊杰", AidCase.Status.VERIFIED, 20)):
        row = child(
            name,
            "F" if name == "何欣悦" else "M",
            _years_before(TODAY, 11, 2, 2),
            [Child.Circumstance.DE_FACTO_ORPHAN],
            "苏稽镇中心小学",
            "五年级",
            "父亲去世，母亲改嫁，由祖母抚养",
            "何素珍",
            "grandparent",
        )
        pending = case(row, winter, status, TODAY - dt.timedelta(days=days))
        AidCase.objects.filter(pk=pending.pk).update(
            status_changed_at=dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(9), tzinfo=dt.UTC)
        )

    # A year of care visits in the town: 251 visits, 843 person-times, goods worth 162,400 yuan.
    named = [girl, boy, student]
    year = TODAY.year - 1
    occasions = [
        CareVisit.Occasion.CHILDRENS_DAY,
        CareVisit.Occasion.SPRING_FESTIVAL,
        CareVisit.Occasion.SCHOOL_START,
        CareVisit.Occasion.HOME_VISIT,
    ]
    visits = []
    spread = [PERSON_TIMES // VISITS + (1 if i < PERSON_TIMES % VISITS else 0) for i in range(VISITS)]
    goods = [VISIT_GOODS // VISITS] * VISITS
    goods[0] += VISIT_GOODS - sum(goods)
    for i in range(VISITS):
        visits.append(
            CareVisit(
                committee=town,
                visited_on=dt.date(year, 1, 1) + dt.timedelta(days=(i * 364) // VISITS),
                occasion=occasions[i % len(occasions)],
                unregistered_children=spread[i] - (1 if i < len(named) else 0),
                visitors_note="镇关工委、五老志愿者",
                goods="米、油、书包、文具",
                goods_value=goods[i],
            )
        )
    created = CareVisit.objects.bulk_create(visits)
    for visit, kid in zip(created, named, strict=False):
        visit.children.add(kid)
    stdout.write(f"  助学帮扶：{Child.objects.filter(region__code__startswith='511102').count()}名儿童，{VISITS}次慰问")
