"""Demo data of the funds ledger (loaded by `manage.py load_demo`, after the branches app's).

- 苏稽镇机关退休党支部: its unit's yearly funding, the secretary's (200 yuan) and committee
  members' (150 yuan) allowances paid month by month, an activity or two; months closed
  up to the one before last.
- 市中区老干部局 allocates the 苏稽镇关工委 its 30,000-yuan work fund, which the committee
  spends on holiday visits, volunteers' subsidies, publications and aid, against a budget.
- 永顺县老干部局 receives the 150,000-yuan start-up fund for its branches and allocates it
  to all of them in one action.

Everything goes through funds.services, as a user's work would. Idempotent: a second run
finds the 苏稽镇 branch's ledger and adds nothing.
"""

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from branches.models import Activity, Branch, YouthCareCommittee
from core.models import Region
from funds import services
from funds.models import Budget, Category, Direction, Ledger, first_of_month

SUJI_BRANCH = "苏稽镇机关退休党支部"
SUJI_COMMITTEE = "苏稽镇关工委"
SHIZHONG, YONGSHUN = "511102000000", "433127000000"
START_UP_FUND = Decimal("150000.00")
WORK_FUND = Decimal("30000.00")


def _months_so_far(today: dt.date) -> list[dt.date]:
    """January up to last month, or the whole of last year in January."""
    year = today.year if today.month > 1 else today.year - 1
    last = first_of_month(today) - dt.timedelta(days=1) if today.month > 1 else dt.date(year, 12, 1)
    return [dt.date(year, m, 1) for m in range(1, last.month + 1)]


def _record(ledger, day, direction, category, amount, summary, **extra):
    return services.entry_record(
        ledger=ledger,
        occurred_on=day,
        direction=direction,
        category=category,
        amount=Decimal(amount),
        summary=summary,
        by=None,
        **extra,
    )


def _suji_branch(branch: Branch, months: list[dt.date]) -> Ledger:
    ledger = services.ledger_open(branch=branch)
    year = months[0].year
    Budget.objects.create(ledger=ledger, year=year, category=Category.ALLOWANCE, amount=Decimal("6000"))
    Budget.objects.create(ledger=ledger, year=year, category=Category.ACTIVITY, amount=Decimal("3000"))
    _record(
        ledger,
        dt.date(year, 1, 10),
        Direction.INCOME,
        Category.UNIT_FUNDING,
        "15000",
        "苏稽镇机关拨付年度支部经费",
        counterparty_name="中共苏稽镇委员会",
    )
    _record(
        ledger,
        dt.date(year, 3, 28),
        Direction.INCOME,
        Category.PARTY_DUES_RETURNED,
        "1260",
        "返还党费（全额用于支部活动）",
        counterparty_name="中共乐山市市中区委组织部",
    )
    activities = list(Activity.objects.filter(branch=branch, held_on__year=year).order_by("held_on")[:3])
    for activity, amount in zip(activities, ("380", "520", "460"), strict=False):
        _record(
            ledger,
            activity.held_on,
            Direction.EXPENSE,
            Category.ACTIVITY,
            amount,
            f"{activity.topic[:60]}：茶水、资料",
            counterparty_name="苏稽镇供销社",
            activity=activity,
        )
    for month in months:
        pay_day = min(month.replace(day=25), timezone.localdate())
        services.allowances_pay_month(ledger=ledger, month=month, occurred_on=pay_day, by=None)
    for month in months[:-1]:
        services.month_close(ledger=ledger, month=month, by=None)
    return ledger


def _suji_committee(committee: YouthCareCommittee, district_ledger: Ledger, months: list[dt.date]) -> None:
    ledger = services.ledger_open(committee=committee)
    year = months[0].year
    services.allocation_create(
        county_ledger=district_ledger,
        occurred_on=dt.date(year, 2, 20),
        summary=f"{year}年度关工委工作经费",
        lines=[(ledger, WORK_FUND)],
        by=None,
    )
    for category, amount in (
        (Category.HOLIDAY_VISIT, "8000"),
        (Category.VOLUNTEER_TRANSPORT, "4000"),
        (Category.VOLUNTEER_MEALS, "3000"),
        (Category.PUBLICATION, "3000"),
        (Category.AID, "10000"),
    ):
        Budget.objects.create(ledger=ledger, year=year, category=category, amount=Decimal(amount))
    spending = [
        (2, 28, Category.HOLIDAY_VISIT, "3600", "春节慰问困境儿童18户", "苏稽镇超市"),
        (3, 26, Category.VOLUNTEER_TRANSPORT, "640", "五老进校园宣讲交通补贴", ""),
        (3, 26, Category.VOLUNTEER_MEALS, "480", "五老进校园宣讲误餐补贴", ""),
        (5, 28, Category.PUBLICATION, "1850", "《五老讲党史》宣传册印制", "乐山市某印务公司"),
        (6, 1, Category.HOLIDAY_VISIT, "2400", "“六一”慰问留守儿童", "苏稽镇超市"),
        (8, 30, Category.AID, "6000", "金秋助学：资助困难学生6名", ""),
        (9, 24, Category.VOLUNTEER_TRANSPORT, "560", "五老护学、防溺水巡查交通补贴", ""),
        (10, 29, Category.VOLUNTEER_MEALS, "420", "五老讲改革开放史误餐补贴", ""),
    ]
    for month, day, category, amount, summary, payee in spending:
        when = dt.date(year, month, day)
        if when <= timezone.localdate():
            _record(ledger, when, Direction.EXPENSE, category, amount, summary, counterparty_name=payee)
    for month in months[:-1]:
        services.month_close(ledger=ledger, month=month, by=None)


def _yongshun(county: Region, year: int) -> None:
    """The 150,000-yuan start-up fund, split evenly in fen over the county's branches."""
    county_ledger = services.ledger_open(county=county)
    _record(
        county_ledger,
        dt.date(year, 3, 1),
        Direction.INCOME,
        Category.COUNTY_ALLOCATION,
        START_UP_FUND,
        f"{year}年离退休干部党支部启动经费",
        counterparty_name="永顺县财政局",
    )
    branches = list(Branch.objects.filter(region__code__startswith=YONGSHUN[:6]).order_by("pinyin"))
    if not branches:
        return
    receivers = [services.ledger_open(branch=branch) for branch in branches]
    share = (START_UP_FUND / len(receivers)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    remainder_fen = int((START_UP_FUND - share * len(receivers)) * 100)
    lines = [(ledger, share + (Decimal("0.01") if i < remainder_fen else 0)) for i, ledger in enumerate(receivers)]
    services.allocation_create(
        county_ledger=county_ledger,
        occurred_on=dt.date(year, 3, 15),
        summary=f"{year}年支部启动经费",
        lines=lines,
        by=None,
    )


@transaction.atomic
def load(stdout) -> None:
    branch = Branch.objects.filter(name=SUJI_BRANCH).first()
    if branch is None:
        stdout.write("  经费：没有苏稽镇的支部，跳过")
        return
    if Ledger.all_objects.filter(branch=branch).exists():
        stdout.write("  经费：已存在，跳过")
        return
    months = _months_so_far(timezone.localdate())
    _suji_branch(branch, months)
    district = Region.objects.filter(code=SHIZHONG).first()
    committee = YouthCareCommittee.objects.filter(name=SUJI_COMMITTEE).first()
    if district and committee:
        district_ledger = services.ledger_open(county=district)
        _record(
            district_ledger,
            dt.date(months[0].year, 1, 15),
            Direction.INCOME,
            Category.COUNTY_ALLOCATION,
            "200000",
            f"{months[0].year}年关工委工作经费",
            counterparty_name="乐山市市中区财政局",
        )
        _suji_committee(committee, district_ledger, months)
    yongshun = Region.objects.filter(code=YONGSHUN).first()
    if yongshun:
        _yongshun(yongshun, months[0].year)
    stdout.write("  经费：苏稽镇支部与关工委经费账、永顺县启动经费下拨")
