"""The annual report (年度工作报告): sections of sentences and tables, built from the figures.

`build(period)` asks `reports.selectors.annual` for the numbers (a fixed number of
queries) and writes each section the way the seeds write it: Chinese sentences
whose zero figures are left out (reports.numbers), then a table of the figures.
The page, the Word document and the Excel workbook all render this one object,
so they always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.models import Region
from reports.numbers import clause, sentence, series, yuan
from reports.selectors import annual
from reports.selectors.annual import Period


@dataclass(frozen=True)
class Row:
    label: str
    value: int | Decimal
    unit: str

    @property
    def is_money(self) -> bool:
        return isinstance(self.value, Decimal)

    @property
    def text(self) -> str:
        """The figure as a table cell shows it: "52个", "16万余元"."""
        return yuan(self.value) if self.is_money else f"{int(self.value)}{self.unit}"


@dataclass
class Section:
    key: str
    title: str
    sentences: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text:
            self.sentences.append(text)

    @property
    def is_empty(self) -> bool:
        return not self.sentences and not any(row.value for row in self.rows)


@dataclass
class Report:
    period: Period
    title: str
    sections: list[Section]


def measure(word: str) -> str:
    """A measure word after a figure (个, 名, 人次 …), translated in a context of its own."""
    return str(MEASURE_WORDS[word])


# Spelled out one by one so that makemessages finds them.
MEASURE_WORDS = {
    "个": pgettext_lazy("measure word", "个"),
    "名": pgettext_lazy("measure word", "名"),
    "次": pgettext_lazy("measure word", "次"),
    "期次": pgettext_lazy("measure word", "期次"),
    "人次": pgettext_lazy("measure word", "人次"),
    "对": pgettext_lazy("measure word", "对"),
    "条": pgettext_lazy("measure word", "条"),
    "处": pgettext_lazy("measure word", "处"),
    "项": pgettext_lazy("measure word", "项"),
    "人": pgettext_lazy("measure word", "人"),
    "元": pgettext_lazy("measure word", "元"),
    "个（名）": pgettext_lazy("measure word", "个（名）"),
}


def whole(region: Region) -> str:
    """How the reports name the area they speak of: 全县, 全区, 全镇, 全街道 …"""
    if region.level == Region.Level.PROVINCE:
        return _("全省")
    if region.level == Region.Level.CITY:
        return _("全市")
    if region.level == Region.Level.COUNTY:
        return _("全区") if region.name.endswith("区") else _("全县")
    if region.level == Region.Level.TOWN:
        if region.name.endswith("街道"):
            return _("全街道")
        return _("全乡") if region.name.endswith("乡") else _("全镇")
    return _("全社区") if region.name.endswith("社区") else _("全村")


def _organisation(period: Period) -> Section:
    f = annual.organisation(period)
    area = whole(period.region)
    section = Section("organisation", _("组织建设"))
    section.add(
        sentence(
            clause(_("按照“四近”原则设置离退休干部党支部%(branches)s个"), branches=f["standing"]),
            clause(_("覆盖%(covered)s名离退休干部"), covered=f["covered"]) if f["standing"] else None,
        )
    )
    section.add(
        sentence(
            clause(
                _("%(area)s%(branches)s个离退休干部党支部划分为%(clusters)s个片组"),
                area=area,
                branches=f["clustered"],
                clusters=f["clusters"],
            )
            if f["clusters"] and f["clustered"]
            else None,
        )
    )
    section.add(
        sentence(
            clause(
                _("另设%(kinds)s"),
                kinds=series(
                    (_("党总支"), f["general"]),
                    (_("临时党支部"), f["temporary"]),
                    (_("功能性党支部"), f["functional"]),
                    unit=measure("个"),
                ),
            ),
        )
    )
    section.add(
        sentence(
            clause(_("离退休干部党工委设委员%(members)s名"), members=f["work_committee_members"]),
        )
    )
    section.add(
        sentence(
            clause(_("建立关工委组织%(committees)s个"), committees=f["committees"]),
            clause(
                _("其中%(levels)s"),
                levels=series(
                    (_("县级"), f["committees_county"]),
                    (_("乡镇（街道）"), f["committees_town"]),
                    (_("村（社区）"), f["committees_village"]),
                    (_("学校"), f["committees_school"]),
                    (_("部门"), f["committees_department"]),
                    unit=measure("个"),
                ),
            ),
            clause(_("%(five_good)s个达到“五好”基层关工委标准"), five_good=f["five_good"]),
            clause(_("%(one_shoulder)s个由党支部班子成员兼任执行主任，实现“一肩挑”"), one_shoulder=f["one_shoulder"]),
        )
    )
    section.add(sentence(clause(_("建有党员活动室等活动场所%(venues)s处"), venues=f["venues"])))
    section.rows = [
        Row(_("离退休干部党支部"), f["standing"], measure("个")),
        Row(_("覆盖离退休干部"), f["covered"], measure("名")),
        Row(_("其中党员"), f["covered_party_members"], measure("名")),
        Row(_("片组"), f["clusters"], measure("个")),
        Row(_("党总支"), f["general"], measure("个")),
        Row(_("临时党支部"), f["temporary"], measure("个")),
        Row(_("功能性党支部"), f["functional"], measure("个")),
        Row(_("党工委委员"), f["work_committee_members"], measure("名")),
        Row(_("关工委组织"), f["committees"], measure("个")),
        Row(_("“五好”基层关工委"), f["five_good"], measure("个")),
        Row(_("“一肩挑”关工委"), f["one_shoulder"], measure("个")),
        Row(_("活动场所"), f["venues"], measure("处")),
    ]
    return section


def _study(period: Period) -> Section:
    f = annual.study(period)
    section = Section("study", _("学习教育"))
    section.add(
        sentence(
            clause(_("各支部开展“三会一课”%(meetings)s次"), meetings=f["three_meetings_one_lesson"]),
            clause(_("其中党课%(lessons)s次"), lessons=f["party_lessons"]),
            clause(_("开展主题党日活动%(days)s次"), days=f["theme_days"]),
            clause(_("召开线上会议%(online)s次"), online=f["online"]),
            lead=_("%(year)s年，") % {"year": period.year},
        )
    )
    section.add(
        sentence(
            clause(_("举办报告会、读书会、培训班及专题党课%(trainings)s期次"), trainings=f["trainings"]),
            clause(_("培训离退休干部党员骨干%(times)s人次"), times=f["training_person_times"])
            if f["trainings"]
            else None,
        )
    )
    section.add(
        sentence(
            clause(_("举办报告会、讲座及集中学习%(lectures)s期次"), lectures=f["lectures"]),
            clause(_("参学%(times)s人次"), times=f["lecture_person_times"]) if f["lectures"] else None,
        )
    )
    section.add(
        sentence(
            clause(_("对行动不便的老同志开展送学上门%(visits)s次"), visits=f["home_study"]),
            clause(_("补学%(caught_up)s人次"), caught_up=f["caught_up"]),
            clause(_("组织现场教学%(field)s次"), field=f["field_teaching"]),
        )
    )
    section.add(sentence(clause(_("各片组召开片组会议%(meetings)s次"), meetings=f["cluster_meetings"])))
    section.add(
        sentence(
            clause(
                _("召开“关心下一代工作推进会”“成绩总结表彰会”等大型会议%(meetings)s次"),
                meetings=f["committee_meetings"],
            ),
            clause(_("开展助学表彰、文艺汇演、宣讲等活动%(events)s次"), events=f["committee_events"]),
        )
    )
    section.add(
        sentence(
            clause(
                _("全年各类活动共%(activities)s次、参与%(times)s人次"),
                activities=f["activities"],
                times=f["person_times"],
            )
        )
    )
    section.rows = [
        Row(_("“三会一课”"), f["three_meetings_one_lesson"], measure("次")),
        Row(_("党课"), f["party_lessons"], measure("次")),
        Row(_("主题党日"), f["theme_days"], measure("次")),
        Row(_("线上会议"), f["online"], measure("次")),
        Row(_("报告会、读书会、培训班及专题党课"), f["trainings"], measure("期次")),
        Row(_("培训人次"), f["training_person_times"], measure("人次")),
        Row(_("报告会、讲座及集中学习"), f["lectures"], measure("期次")),
        Row(_("报告会、讲座及集中学习参学"), f["lecture_person_times"], measure("人次")),
        Row(_("送学上门"), f["home_study"], measure("次")),
        Row(_("补学"), f["caught_up"], measure("人次")),
        Row(_("现场教学"), f["field_teaching"], measure("次")),
        Row(_("片组会议"), f["cluster_meetings"], measure("次")),
        Row(_("关工委大型会议"), f["committee_meetings"], measure("次")),
        Row(_("助学表彰、文艺汇演、宣讲等活动"), f["committee_events"], measure("次")),
        Row(_("大型活动"), f["large"], measure("次")),
        Row(_("各类活动"), f["activities"], measure("次")),
        Row(_("参与"), f["person_times"], measure("人次")),
    ]
    return section


def _member_care(period: Period) -> Section:
    f = annual.member_care(period)
    section = Section("member_care", _("服务管理"))
    section.add(
        sentence(
            clause(_("与生活困难、独居、老弱病残离退休干部结成帮扶对子%(pairs)s对"), pairs=f["care_pairs"]),
            clause(_("开展结对帮扶%(records)s次"), records=f["care_records"]),
            clause(_("送去物品折价%(value)s"), money=("value",), value=f["care_goods_value"]),
        )
    )
    if f["needs_received"] and f["needs_resolved"] >= f["needs_received"] and not f["needs_open"]:
        section.add(sentence(clause(_("收集个性需求%(needs)s条，已全部解决"), needs=f["needs_received"])))
    else:
        section.add(
            sentence(
                clause(_("收集个性需求%(needs)s条"), needs=f["needs_received"]),
                clause(_("办结%(resolved)s条"), resolved=f["needs_resolved"]),
            )
        )
    section.add(
        sentence(
            clause(_("发放特殊困难帮扶资金%(amount)s"), money=("amount",), amount=f["hardship_amount"]),
            clause(_("惠及%(people)s人"), people=f["hardship_recipients"]),
        )
    )
    section.rows = [
        Row(_("帮扶对子"), f["care_pairs"], measure("对")),
        Row(_("结对帮扶"), f["care_records"], measure("次")),
        Row(_("帮扶物品折价"), Decimal(f["care_goods_value"]), measure("元")),
        Row(_("收集个性需求"), f["needs_received"], measure("条")),
        Row(_("办结个性需求"), f["needs_resolved"], measure("条")),
        Row(_("特殊困难帮扶资金"), Decimal(f["hardship_amount"]), measure("元")),
        Row(_("帮扶资金惠及"), f["hardship_recipients"], measure("人")),
    ]
    return section


def _honours(period: Period) -> Section:
    f = annual.honours(period)
    section = Section("honours", _("荣誉表彰"))
    section.add(
        sentence(
            clause(_("获得各级表彰%(honours)s项"), honours=f["honours"]),
            clause(
                _("其中%(levels)s"),
                levels=series(
                    (_("国家级"), f["honours_national"]),
                    (_("省级"), f["honours_province"]),
                    (_("市级"), f["honours_city"]),
                    (_("县级"), f["honours_county"]),
                    (_("乡镇级"), f["honours_town"]),
                    unit=measure("项"),
                ),
            ),
            clause(
                _("%(targets)s受到表彰"),
                targets=series(
                    (_("先进集体"), f["honours_branches"] + f["honours_committees"]),
                    (_("先进个人"), f["honours_people"]),
                    unit=measure("个（名）"),
                ),
            ),
            lead=_("%(year)s年，") % {"year": period.year},
        )
    )
    section.rows = [
        Row(_("各级表彰"), f["honours"], measure("项")),
        Row(_("国家级"), f["honours_national"], measure("项")),
        Row(_("省级"), f["honours_province"], measure("项")),
        Row(_("市级"), f["honours_city"], measure("项")),
        Row(_("县级"), f["honours_county"], measure("项")),
        Row(_("乡镇级"), f["honours_town"], measure("项")),
    ]
    return section


# The sections in the order the seeds write them; apps that land add theirs here.
SECTIONS = (_organisation, _study, _member_care, _honours)


def build(period: Period) -> Report:
    title = _("%(region)s%(year)s年离退休干部和关心下一代工作情况报告") % {
        "region": period.region.name,
        "year": period.year,
    }
    return Report(period=period, title=title, sections=[make(period) for make in SECTIONS])
