"""Filters of the case, child, sponsor, visit and drive lists (scoped choices, pinyin search)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from aid_cases.models import AidCase, CareVisit, Child, Drive, Programme, Sponsor
from aid_cases.selectors import cases_waiting_for
from branches.models import YouthCareCommittee
from core.filters import ScopedFilterSet
from core.models import Region
from core.widgets import DateInput, LookupSelect


def _area_filter():
    """The dashboard's area (a county or a town), through the rows' own `in_region`."""
    return django_filters.ModelChoiceFilter(label=_("区域"), queryset=Region.objects.all(), method="in_region")


class AreaMixin:
    def in_region(self, queryset, name, value):
        return queryset.in_region(value) if value else queryset


class CaseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索儿童"), method="search", help_text=_("姓名、拼音或首字母"))
    programme = django_filters.ModelChoiceFilter(label=_("帮扶项目"), queryset=Programme.objects.all())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AidCase.Status.choices)
    circumstance = django_filters.ChoiceFilter(
        label=_("困难情形"), choices=Child.Circumstance.choices, method="by_circumstance"
    )
    school = django_filters.CharFilter(label=_("学校"), field_name="child__school", lookup_expr="icontains")
    # A county too: the dashboard's links name the area they count (`?region=<county or town>`).
    region = django_filters.ModelChoiceFilter(
        label=_("区域"),
        queryset=Region.objects.all(),
        method="by_region",
        widget=LookupSelect("region", params={"level": "county,town"}),
    )
    sponsor = django_filters.ModelChoiceFilter(label=_("资助人"), queryset=Sponsor.objects.all(), method="by_sponsor")
    on = django_filters.DateFilter(label=_("在册日期"), method="open_on", widget=DateInput())
    waiting_for_me = django_filters.ChoiceFilter(
        label=_("待我办理"), choices=[("1", _("等待我核实或审批"))], method="by_waiting_for_me"
    )
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("registered_on", "registered_on"), ("child__person__pinyin", "pinyin")),
        field_labels={
            "registered_on": _("按登记日期（从早到晚）"),
            "-registered_on": _("按登记日期（从晚到早）"),
            "child__person__pinyin": _("按姓名拼音（A→Z）"),
            "-pinyin": _("按姓名拼音（Z→A）"),
        },
    )

    class Meta:
        model = AidCase
        fields = ["q", "programme", "status", "circumstance", "school", "region", "sponsor", "on", "waiting_for_me"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_waiting_for_me(self, queryset, name, value):
        return cases_waiting_for(self.request.user, queryset) if value else queryset

    def by_circumstance(self, queryset, name, value):
        return queryset.filter(child__circumstances__contains=[value])

    def by_region(self, queryset, name, value):
        return queryset.filter(child__region__code__startswith=value.prefix)

    def by_sponsor(self, queryset, name, value):
        return queryset.filter(pk__in=value.pairings.values("case_id"))

    def open_on(self, queryset, name, value):
        """Cases in the register that day (approved, not closed): the dashboard's 在册帮扶对象."""
        return queryset.open_on(value) if value else queryset


class ChildFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("姓名、拼音或首字母"))
    circumstance = django_filters.ChoiceFilter(
        label=_("困难情形"), choices=Child.Circumstance.choices, method="by_circumstance"
    )
    school = django_filters.CharFilter(label=_("学校"), lookup_expr="icontains")

    class Meta:
        model = Child
        fields = ["q", "circumstance", "school"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_circumstance(self, queryset, name, value):
        return queryset.filter(circumstances__contains=[value])


class SponsorFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", help_text=_("名称、拼音或首字母"))
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Sponsor.Kind.choices)

    class Meta:
        model = Sponsor
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        from core.models import pinyin_name_q

        return queryset.filter(pinyin_name_q(value))


class CareVisitFilter(AreaMixin, ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="visited_on", lookup_expr="year")
    occasion = django_filters.ChoiceFilter(label=_("慰问由头"), choices=CareVisit.Occasion.choices)
    committee = django_filters.ModelChoiceFilter(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    region = _area_filter()

    class Meta:
        model = CareVisit
        fields = ["year", "occasion", "committee", "region"]


class DriveFilter(AreaMixin, ScopedFilterSet):
    committee = django_filters.ModelChoiceFilter(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    year = django_filters.NumberFilter(label=_("年度"), field_name="launched_on", lookup_expr="year")
    region = _area_filter()

    class Meta:
        model = Drive
        fields = ["committee", "year", "region"]
