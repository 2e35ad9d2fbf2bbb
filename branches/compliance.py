"""The compliance calendar: how often a branch must hold each kind of meeting, and
whether it did, period by period.

Defaults follow the Party branch work regulations (支部党员大会 quarterly,
支委会 and 党小组会 monthly, 党课 quarterly, 主题党日 monthly, 组织生活会 and
民主评议党员 yearly); a county overrides them for one kind of branch with
`ComplianceRule` rows (times = 0: not required).

The numbers come from one aggregate query (activity counts grouped by branch,
kind and month) and one query for the county rules; everything else here is
arithmetic on dates, so a page of 52 branches costs the same two queries as a
page of one.
"""

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Activity, Branch, ComplianceRule, frequency_label
from core.models import Region

Kind = Activity.Kind
Period = ComplianceRule.Period

# kind -> (period, times per period)
DEFAULT_RULES: dict[str, tuple[str, int]] = {
    Kind.GENERAL_MEETING: (Period.QUARTER, 1),
    Kind.COMMITTEE_MEETING: (Period.MONTH, 1),
    Kind.GROUP_MEETING: (Period.MONTH, 1),
    Kind.PARTY_LESSON: (Period.QUARTER, 1),
    Kind.THEME_DAY: (Period.MONTH, 1),
    Kind.ORG_LIFE_MEETING: (Period.YEAR, 1),
    Kind.MEMBER_APPRAISAL: (Period.YEAR, 1),
}
# Meetings a member must attend: an absentee is visited with the material (送学上门).
REQUIRED_KINDS: tuple[str, ...] = tuple(DEFAULT_RULES)
# 三会一课 first on the activity form.
THREE_MEETINGS_ONE_LESSON = (Kind.GENERAL_MEETING, Kind.COMMITTEE_MEETING, Kind.GROUP_MEETING, Kind.PARTY_LESSON)

DONE, DUE, OVERDUE, FUTURE = "done", "due", "overdue", "future"
STATE_LABELS = {DONE: _("已完成"), DUE: _("待办"), OVERDUE: _("逾期"), FUTURE: _("未到期")}
# What a narrow calendar cell shows; the full state is in its title and for screen readers.
STATE_SYMBOLS = {DONE: "✓", DUE: "…", OVERDUE: "!", FUTURE: "—"}
MONTHS_IN = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}


@dataclass(frozen=True)
class Requirement:
    kind: str
    period: str
    times: int

    @property
    def label(self):
        return Kind(self.kind).label

    @property
    def frequency(self) -> str:
        """How often, as one phrase: "每季度1次" / "1 per quarter"."""
        return frequency_label(self.period, self.times)


@dataclass
class Cell:
    start: dt.date
    end: dt.date
    months: range
    required: int
    count: int
    state: str

    @property
    def span(self) -> int:
        return len(self.months)

    @property
    def css(self) -> str:
        return "" if self.state == FUTURE else f"yl-{self.state}"

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def state_symbol(self) -> str:
        return STATE_SYMBOLS[self.state]

    @property
    def title(self) -> str:
        """The period: "3月" / "March", "第1季度" / "Q1", "2025年" / "2025"."""
        if self.span == 1:
            # A date format, so English gets the month's name.
            return formats.date_format(self.start, gettext("n月"))
        if self.span == 3:
            return gettext("第%(quarter)s季度") % {"quarter": (self.start.month - 1) // 3 + 1}
        return gettext("%(year)s年") % {"year": self.start.year}


@dataclass
class Row:
    requirement: Requirement
    cells: list[Cell]

    def cell_for(self, month: int) -> Cell:
        return next(c for c in self.cells if month in c.months)


@dataclass
class Calendar:
    branch: object
    year: int
    today: dt.date
    rows: list[Row] = field(default_factory=list)

    @property
    def months(self) -> list[dt.date]:
        """The first day of each month, for the column headers."""
        return [dt.date(self.year, month, 1) for month in range(1, 13)]

    @property
    def overdue_count(self) -> int:
        return sum(c.state == OVERDUE for r in self.rows for c in r.cells)

    @property
    def due_count(self) -> int:
        return sum(c.state == DUE for r in self.rows for c in r.cells)

    @property
    def done_count(self) -> int:
        return sum(c.state == DONE for r in self.rows for c in r.cells)

    def current(self) -> list[tuple[Requirement, Cell]]:
        """The period containing today, per kind (the home panel's 'this month')."""
        if self.year != self.today.year:
            return []
        return [(r.requirement, r.cell_for(self.today.month)) for r in self.rows]


# The regulations' calendar binds the standing branches. Temporary branches (a senior-
# university class) and functional ones hold their members' formal membership elsewhere,
# and a general branch's own duties differ: they are held only to the rules a county sets.
KINDS_WITH_DEFAULTS = frozenset({Branch.Kind.RETIREE, Branch.Kind.AGENCY_RETIREE})


def requirements(branch_kind: str, rules) -> list[Requirement]:
    """Defaults overridden by the county's rules for this kind of branch; times = 0 drops a kind."""
    merged = dict(DEFAULT_RULES) if branch_kind in KINDS_WITH_DEFAULTS else {}
    for rule in rules:
        if rule.branch_kind == branch_kind:
            merged[rule.activity_kind] = (rule.period, rule.times)
    order = list(Kind.values)
    return [
        Requirement(kind, period, times)
        for kind, (period, times) in sorted(merged.items(), key=lambda kv: order.index(kv[0]))
        if times > 0
    ]


def rules_for(region_codes) -> dict[str, list]:
    """County rules by county code, for the counties of these regions: one query."""
    counties = {Region.county_code_of(code) for code in region_codes}
    by_county = defaultdict(list)
    for rule in ComplianceRule.objects.filter(region_id__in=counties):
        by_county[rule.region_id].append(rule)
    return by_county


def activity_counts(branch_ids, year: int) -> dict[tuple[int, str, int], int]:
    """(branch id, kind, month) -> number of activities held: one GROUP BY query."""
    rows = (
        Activity.objects.filter(branch_id__in=list(branch_ids), held_on__year=year)
        .annotate(month=ExtractMonth("held_on"))
        .values("branch_id", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["branch_id"], r["kind"], r["month"]): r["n"] for r in rows}


@lru_cache(maxsize=1024)  # a county's calendars ask for the same few month ends thousands of times
def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, pycalendar.monthrange(year, month)[1])


def build_calendar(branch, year: int, counts, rules, today: dt.date | None = None) -> Calendar:
    """Done / due / overdue / future for each required kind and period; no queries.

    `counts` and `rules` come from `activity_counts` and `rules_for`. A period is
    in the future when it starts after today (or ends before the branch was
    founded): it shows "—". A period not yet over is "due" until done; once over,
    "overdue" unless done.
    """
    today = today or timezone.localdate()
    result = Calendar(branch=branch, year=year, today=today)
    founded = getattr(branch, "founded_on", None)
    for req in requirements(branch.kind, rules.get(Region.county_code_of(branch.region_id), [])):
        step = MONTHS_IN[req.period]
        cells = []
        for first in range(1, 13, step):
            months = range(first, first + step)
            start, end = dt.date(year, first, 1), _month_end(year, first + step - 1)
            count = sum(counts.get((branch.pk, req.kind, m), 0) for m in months)
            if count >= req.times:
                state = DONE
            elif start > today or (founded and end < founded):
                state = FUTURE
            elif end < today:
                state = OVERDUE
            else:
                state = DUE
            cells.append(Cell(start, end, months, req.times, count, state))
        result.rows.append(Row(req, cells))
    return result


def branch_calendar(branch, year: int, today: dt.date | None = None) -> Calendar:
    """The calendar of one branch for a year: two queries."""
    counts = activity_counts([branch.pk], year)
    return build_calendar(branch, year, counts, rules_for([branch.region_id]), today)


def calendars(branches, year: int, today: dt.date | None = None) -> list[Calendar]:
    """Calendars of many branches (the county overview): two queries, whatever their number."""
    branches = list(branches)
    counts = activity_counts([b.pk for b in branches], year)
    rules = rules_for([b.region_id for b in branches])
    return [build_calendar(b, year, counts, rules, today) for b in branches]


def assessed_calendars(branches, year: int, today: dt.date | None = None, *, to_hold_only: bool = False):
    """Calendars of the branches some rule assesses (two queries); with `to_hold_only`, only those with a
    meeting to hold: a period overdue, or due now and not yet done (the 待办 rule and the overview's
    `?to_hold=1` list, one definition)."""
    result = calendars(branches, year, today)
    return to_hold(result) if to_hold_only else [c for c in result if c.rows]


def to_hold(calendars: list[Calendar]) -> list[Calendar]:
    """The assessed calendars with a meeting to hold: a period overdue, or due now and not yet done."""
    return [c for c in calendars if c.rows and (c.overdue_count or c.due_count)]


@dataclass
class Totals:
    """Overdue, due and done periods of a group of assessed branches (the overview's summaries)."""

    label: str
    branches: int = 0
    overdue: int = 0
    due: int = 0
    done: int = 0

    def add(self, calendar: Calendar) -> None:
        self.branches += 1
        self.overdue += calendar.overdue_count
        self.due += calendar.due_count
        self.done += calendar.done_count


def _town_label(branch) -> str:
    """The town (乡镇/街道) a branch lies in; branches of the county itself under 县直."""
    region = branch.region
    if region.level == Region.Level.VILLAGE and region.parent is not None:
        region = region.parent
    return region.name if region.level == Region.Level.TOWN else str(_("县直"))


def totals(calendars: list[Calendar]) -> tuple[Totals, list[Totals], list[Totals]]:
    """The whole scope's totals, and those by 片组 and by town (most overdue first); no queries
    when the branches come with `region__parent` and `cluster`. Pass assessed branches only."""
    whole = Totals(label="")
    by_cluster: dict[str, Totals] = {}
    by_town: dict[str, Totals] = {}
    for calendar in calendars:
        whole.add(calendar)
        cluster = calendar.branch.cluster.name if calendar.branch.cluster_id else str(_("未分片组"))
        by_cluster.setdefault(cluster, Totals(label=cluster)).add(calendar)
        town = _town_label(calendar.branch)
        by_town.setdefault(town, Totals(label=town)).add(calendar)

    def ordered(groups):
        return sorted(groups.values(), key=lambda t: (-t.overdue, t.label))

    return whole, ordered(by_cluster), ordered(by_town)
