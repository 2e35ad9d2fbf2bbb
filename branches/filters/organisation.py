"""Filters of the organisation lists (branches, clusters, venues, committees, visits).

Branch, cluster, member and area choices are pickers (core.filters.ScopedFilterSet).
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Cluster, GuidanceVisit, Venue, WorkCommitteeMember, YouthCareCommittee
from core.filters import ARCHIVED_CHOICES, ArchivedFilterMixin, ScopedFilterSet
from core.models import Region
from core.params import FIRST_YEAR, LAST_YEAR
from core.search import search_by_name
from core.widgets import LookupSelect


def region_filter():
    """Any area down to a village or community (堰岭社区's temporary branches are filed there)."""
    return django_filters.ModelChoiceFilter(
        label=_("所在区划（含下级）"),
        queryset=Region.objects.all(),
        method="in_region",
        widget=LookupSelect("region"),
    )


def region_subtree(queryset, region_path: str, region: Region | None):
    if not region:
        return queryset
    return queryset.filter(**{f"{region_path}__code__startswith": region.prefix})


class BranchFilter(ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    region = region_filter()
    kind = django_filters.ChoiceFilter(label=_("支部类型"), choices=Branch.Kind.choices)
    cluster = django_filters.ModelChoiceFilter(label=_("所属片组"), queryset=Cluster.objects.all())
    parent = django_filters.ModelChoiceFilter(
        label=_("上级党总支"),
        queryset=Branch.objects.all(),
        widget=LookupSelect("branch", params={"kind": Branch.Kind.GENERAL}),
    )
    archived = django_filters.ChoiceFilter(
        label=_("记录状态"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
    )
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("pinyin", "name"), ("kind", "kind"), ("member_count", "member_count"), ("founded_on", "founded_on")),
        field_labels={
            "pinyin": _("按支部名称（正序）"),
            "-name": _("按支部名称（倒序）"),
            "kind": _("按支部类型（正序）"),
            "-kind": _("按支部类型（倒序）"),
            "member_count": _("按人数（从少到多）"),
            "-member_count": _("按人数（从多到少）"),
            "founded_on": _("按成立日期（从早到晚）"),
            "-founded_on": _("按成立日期（从晚到早）"),
        },
    )

    class Meta:
        model = Branch
        fields = ["q", "region", "kind", "cluster", "parent"]

    def search(self, queryset, name, value):
        value = value.strip()
        return search_by_name(queryset, value, also=Q(host_unit__contains=value))

    def in_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)


class ClusterFilter(ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    archived = django_filters.ChoiceFilter(
        label=_("记录状态"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
    )
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("pinyin", "name"), ("branch_count", "branch_count"), ("member_count", "member_count")),
        field_labels={
            "pinyin": _("按片组名称（正序）"),
            "-name": _("按片组名称（倒序）"),
            "branch_count": _("按支部数（从少到多）"),
            "-branch_count": _("按支部数（从多到少）"),
            "member_count": _("按人数（从少到多）"),
            "-member_count": _("按人数（从多到少）"),
        },
    )

    class Meta:
        model = Cluster
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        return search_by_name(queryset, value, also=Q(leading_unit__contains=value))


class VenueFilter(ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Venue.Kind.choices)
    region = region_filter()
    archived = django_filters.ChoiceFilter(
        label=_("记录状态"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
    )

    class Meta:
        model = Venue
        fields = ["q", "kind", "region"]

    def search(self, queryset, name, value):
        value = value.strip()
        return search_by_name(queryset, value, also=Q(address__contains=value) | Q(owner__contains=value))

    def in_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)


class CommitteeFilter(ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=YouthCareCommittee.Level.choices)
    region = region_filter()
    five_good_status = django_filters.ChoiceFilter(
        label=_("五好基层关工委创建"), choices=YouthCareCommittee.FiveGoodStatus.choices
    )
    one_shoulder = django_filters.ChoiceFilter(
        label=_("一肩挑"),
        choices=(("1", _("执行主任兼任支部职务")), ("0", _("非一肩挑"))),
        method="filter_one_shoulder",
    )
    with_branch = django_filters.ChoiceFilter(
        label=_("党支部+关工委"),
        choices=(("1", _("与党支部共建")), ("0", _("未与党支部共建"))),
        method="filter_with_branch",
    )
    archived = django_filters.ChoiceFilter(
        label=_("记录状态"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
    )
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("pinyin", "name"), ("level", "level"), ("founded_on", "founded_on")),
        field_labels={
            "pinyin": _("按名称（正序）"),
            "-name": _("按名称（倒序）"),
            "level": _("按层级（正序）"),
            "-level": _("按层级（倒序）"),
            "founded_on": _("按成立日期（从早到晚）"),
            "-founded_on": _("按成立日期（从晚到早）"),
        },
    )

    class Meta:
        model = YouthCareCommittee
        fields = ["q", "level", "region", "five_good_status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return search_by_name(queryset, value, also=Q(host_unit__contains=value))

    def in_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)

    def filter_one_shoulder(self, queryset, name, value):
        # The list view annotates `one_shoulder` (YouthCareCommittee.objects.with_one_shoulder()).
        return queryset.filter(one_shoulder=value == "1")

    def filter_with_branch(self, queryset, name, value):
        return queryset.filter(branch__isnull=value != "1")


class GuidanceVisitFilter(ScopedFilterSet):
    year = django_filters.NumberFilter(
        label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR, field_name="visited_on", lookup_expr="year"
    )
    member = django_filters.ModelChoiceFilter(label=_("党工委委员"), queryset=WorkCommitteeMember.objects.all())
    branch = django_filters.ModelChoiceFilter(label=_("支部"), queryset=Branch.objects.all())

    class Meta:
        model = GuidanceVisit
        fields = ["year", "member", "branch"]
