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

from branches.models import GovernanceRole
from core.models import Region
from funds.models import Category as FundCategory
from reports.numbers import clause, plain, sentence, series, yuan
from reports.selectors import annual
from reports.selectors.annual import Period
from volunteers.models import ServiceRecord, Volunteer


@dataclass(frozen=True)
class Row:
    """A figure of a section's table: a count, an amount in yuan (a Decimal), or a measure with
    decimals that is not money (`money=False`: service hours)."""

    label: str
    value: int | Decimal
    unit: str
    money: bool | None = None

    def __post_init__(self):
        object.__setattr__(self, "label", str(self.label))  # a choice's lazy label, for Word and Excel

    @property
    def is_money(self) -> bool:
        return isinstance(self.value, Decimal) if self.money is None else self.money

    @property
    def text(self) -> str:
        """The figure as a table cell shows it: "52个", "16万余元", "12.5小时"."""
        if self.is_money:
            return yuan(self.value)
        return f"{plain(Decimal(self.value))}{self.unit}"


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
    "支": pgettext_lazy("measure word", "支"),
    "起": pgettext_lazy("measure word", "起"),
    "场": pgettext_lazy("measure word", "场"),
    "小时": pgettext_lazy("measure word", "小时"),
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


def _youth_care(period: Period) -> Section:
    f = annual.youth_care(period)
    area = whole(period.region)
    kinds = ServiceRecord.Kind
    section = Section("youth_care", _("关心下一代"))
    section.add(
        sentence(
            clause(_("%(area)s登记“五老”志愿者%(volunteers)s名"), area=area, volunteers=f["volunteers"])
            if f["volunteers"]
            else None,
            clause(
                _("其中%(categories)s"),
                categories=series(
                    *((c.label, f[f"volunteers_{c.value}"]) for c in Volunteer.Category), unit=measure("名")
                ),
            ),
            clause(_("本年新登记%(new)s名"), new=f["volunteers_new"]),
        )
    )
    section.add(
        sentence(
            clause(_("组建志愿服务队%(teams)s支"), teams=f["teams"]),
            clause(_("队员%(members)s人"), members=f["team_members"]) if f["teams"] else None,
            clause(_("建成“五老”工作室%(studios)s个"), studios=f["studios"]),
        )
    )
    section.add(
        sentence(
            clause(_("开展志愿服务%(services)s次"), services=f["services"]),
            clause(_("服务时长%(hours)s小时"), hours=plain(f["hours"]) if f["hours"] else 0),
            clause(_("服务未成年人%(minors)s人次"), minors=f["minors"]),
            clause(_("服务群众%(adults)s人次"), adults=f["adults"]),
            lead=_("%(year)s年，") % {"year": period.year},
        )
    )
    section.add(
        sentence(
            clause(
                _("其中%(kinds)s"),
                kinds=series(
                    *(
                        (label, f[f"services_{kind.value}"])
                        for kind, label in (
                            (kinds.TUTORING, _("课外辅导")),
                            (kinds.AFTER_SCHOOL_CARE, _("托管")),
                            (kinds.SCHOOL_PATROL, _("护学")),
                            (kinds.DROWNING_PATROL, _("防溺水巡查")),
                            (kinds.EXAM_TRAFFIC, _("护考")),
                            (kinds.TALK, _("宣讲")),
                            (kinds.SANITATION, _("环卫")),
                            (kinds.VISIT, _("走访")),
                        )
                    ),
                    unit=measure("次"),
                ),
            ),
            clause(
                _("文艺演出%(shows)s"),
                shows=series((_("大型"), f["culture_large"]), (_("小型"), f["culture_small"]), unit=measure("场")),
            ),
        )
    )
    section.add(
        sentence(
            clause(
                _("开展课外辅导%(times)s次，辅导未成年人%(minors)s人次"),
                times=f["services_tutoring"],
                minors=f["minors_tutoring"],
            )
            if f["minors_tutoring"]
            else None,
        )
    )
    section.rows = [
        Row(_("“五老”志愿者"), f["volunteers"], measure("名")),
        *(Row(c.label, f[f"volunteers_{c.value}"], measure("名")) for c in Volunteer.Category),
        Row(_("本年新登记"), f["volunteers_new"], measure("名")),
        Row(_("志愿服务队"), f["teams"], measure("支")),
        Row(_("服务队队员"), f["team_members"], measure("人")),
        Row(_("“五老”工作室"), f["studios"], measure("个")),
        Row(_("志愿服务"), f["services"], measure("次")),
        *(Row(k.label, f[f"services_{k.value}"], measure("次")) for k in kinds),
        Row(_("服务时长"), f["hours"], measure("小时"), money=False),
        Row(_("参与服务的志愿者"), f["serving"], measure("名")),
        Row(_("服务未成年人"), f["minors"], measure("人次")),
        Row(_("服务群众"), f["adults"], measure("人次")),
    ]
    return section


def _aid(period: Period) -> Section:
    f = annual.aid(period)
    section = Section("aid", _("助学帮扶"))
    section.add(
        sentence(
            clause(_("在册帮扶个案%(cases)s个"), cases=f["cases_open"]),
            clause(_("本年新增%(new)s个"), new=f["cases_new"]),
            clause(_("结案%(closed)s个"), closed=f["cases_closed"]),
            clause(_("开展一对一结对帮扶%(pairings)s对"), pairings=f["pairings"]),
            clause(_("资助人%(sponsors)s名"), sponsors=f["sponsors"]) if f["pairings"] else None,
            lead=_("%(year)s年，") % {"year": period.year},
        )
    )
    section.add(
        sentence(
            clause(_("发放助学帮扶资金%(cash)s"), money=("cash",), cash=f["disbursed_cash"]),
            clause(_("物资折价%(goods)s"), money=("goods",), goods=f["disbursed_goods"]),
            clause(_("惠及困难儿童%(children)s名"), children=f["children_aided"]),
        )
    )
    section.add(
        sentence(
            clause(_("开展关爱“三童”慰问%(visits)s次"), visits=f["visits"]),
            clause(_("共慰问%(times)s人次"), times=f["visit_person_times"]),
            clause(_("慰问金和慰问物资累计价值%(value)s"), money=("value",), value=f["visit_value"]),
        )
    )
    section.add(
        sentence(
            clause(_("发起爱心募捐%(drives)s次"), drives=f["drives"]),
            clause(_("募集善款%(cash)s"), money=("cash",), cash=f["raised_cash"]),
            clause(_("物资折价%(goods)s"), money=("goods",), goods=f["raised_goods"]),
        )
    )
    section.rows = [
        Row(_("在册帮扶个案"), f["cases_open"], measure("个")),
        Row(_("新增个案"), f["cases_new"], measure("个")),
        Row(_("结案"), f["cases_closed"], measure("个")),
        Row(_("一对一结对"), f["pairings"], measure("对")),
        Row(_("资助人"), f["sponsors"], measure("名")),
        Row(_("发放资金"), Decimal(f["disbursed_cash"]), measure("元")),
        Row(_("发放物资折价"), Decimal(f["disbursed_goods"]), measure("元")),
        Row(_("受助儿童"), f["children_aided"], measure("名")),
        Row(_("关爱慰问"), f["visits"], measure("次")),
        Row(_("慰问"), f["visit_person_times"], measure("人次")),
        Row(_("慰问金"), Decimal(f["visit_cash"]), measure("元")),
        Row(_("慰问物资折价"), Decimal(f["visit_goods"]), measure("元")),
        Row(_("爱心募捐"), f["drives"], measure("次")),
        Row(_("募集善款"), Decimal(f["raised_cash"]), measure("元")),
        Row(_("募集物资折价"), Decimal(f["raised_goods"]), measure("元")),
    ]
    return section


def _contributions(period: Period) -> Section:
    f = annual.contributions(period)
    section = Section("contributions", _("发挥作用"))
    section.add(
        sentence(
            clause(_("“五老”和离退休干部建言献策%(suggestions)s条"), suggestions=f["suggestions"]),
            clause(_("被采纳%(adopted)s条"), adopted=f["adopted"]),
            lead=_("%(year)s年，") % {"year": period.year},
        )
    )
    section.add(
        sentence(
            clause(_("%(teams)s个顾问团参与决策%(decisions)s项"), teams=f["deciding_teams"], decisions=f["decisions"])
            if f["deciding_teams"]
            else clause(_("参与决策%(decisions)s项"), decisions=f["decisions"]),
        )
    )
    section.add(
        sentence(
            clause(_("调解矛盾纠纷%(mediations)s起"), mediations=f["mediations"]),
            clause(_("其中调解成功%(resolved)s起"), resolved=f["mediations_resolved"])
            if f["mediations_resolved"] < f["mediations"]
            else None,
        )
    )
    section.add(
        sentence(
            clause(
                _("%(people)s名老同志担任%(roles)s等基层治理角色"),
                people=f["governance_people"],
                roles=series(*((k.label, f[f"governance_{k.value}"]) for k in GovernanceRole.Kind), unit=measure("名")),
            ),
        )
    )
    section.rows = [
        Row(_("建言献策"), f["suggestions"], measure("条")),
        Row(_("被采纳"), f["adopted"], measure("条")),
        Row(_("顾问团"), f["advisory_teams"], measure("个")),
        Row(_("参与决策"), f["decisions"], measure("项")),
        Row(_("调解矛盾纠纷"), f["mediations"], measure("起")),
        Row(_("调解成功"), f["mediations_resolved"], measure("起")),
        Row(_("担任基层治理角色"), f["governance_people"], measure("名")),
    ]
    return section


def _funds(period: Period) -> Section:
    f = annual.funds(period)
    labels = dict(FundCategory.choices)
    income = [(labels[c], f[f"income_{c}"]) for c in FundCategory.income()]
    expense = [(labels[c], f[f"expense_{c}"]) for c in FundCategory.expense()]
    section = Section("funds", _("经费保障"))
    section.add(
        sentence(
            clause(_("全年筹集经费%(income)s"), money=("income",), income=f["income"]),
            clause(_("其中%(parts)s"), parts=series(*income, money=True)) if f["income"] > 0 else None,
            lead=_("%(year)s年，") % {"year": period.year},
        )
    )
    section.add(
        sentence(
            clause(_("支出经费%(expense)s"), money=("expense",), expense=f["expense"]),
            clause(_("其中%(parts)s"), parts=series(*expense, money=True)) if f["expense"] > 0 else None,
        )
    )
    section.rows = [
        Row(_("筹集经费"), Decimal(f["income"]), measure("元")),
        *(Row(label, Decimal(value), measure("元")) for label, value in income),
        Row(_("支出经费"), Decimal(f["expense"]), measure("元")),
        *(Row(label, Decimal(value), measure("元")) for label, value in expense),
    ]
    return section


# The sections in the order the seeds write them.
SECTIONS = (_organisation, _study, _member_care, _youth_care, _aid, _contributions, _funds, _honours)


def build(period: Period) -> Report:
    title = _("%(region)s%(year)s年离退休干部和关心下一代工作情况报告") % {
        "region": period.region.name,
        "year": period.year,
    }
    return Report(period=period, title=title, sections=[make(period) for make in SECTIONS])
