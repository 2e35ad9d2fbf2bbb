"""Filters of the organisation lists (branches, clusters, venues, committees, visits)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from branches.models import Branch, Cluster, GuidanceVisit, Venue, WorkCommitteeMember, YouthCareCommittee
from core.filters import ScopedFilterSet
from core.models import Region, pinyin_name_q

ARCHIVED_CHOICES = (("1", _("仅看已归档")),)


class ArchivedFilterMixin:
    """An `archived` choice for users who may restore records; the view switches the manager.

    The filter itself does nothing: `ArchivedListMixin.get_manager` reads the
    parameter, because archived rows are not in the default manager at all.
    """

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not (request and request.user.has_perm("core.restore_records")):
            self.filters.pop("archived", None)

    def keep(self, queryset, name, value):
        return queryset


def region_subtree(queryset, region_path: str, region: Region | None):
    if not region:
        return queryset
    return queryset.filter(**{f"{region_path}__code__startswith": region.prefix})


CHOICES_LIMIT = 300


class LimitedChoiceIterator(ModelChoiceIterator):
    """At most `CHOICES_LIMIT` choices; beyond that only the chosen one (see below)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = list(self.queryset[: CHOICES_LIMIT + 1])
        if len(rows) > CHOICES_LIMIT:
            chosen = getattr(self.field, "chosen", "")
            rows = list(self.queryset.filter(pk=chosen)) if chosen.isdigit() else []
        for row in rows:
            yield self.choice(row)


class LimitedChoiceField(ModelChoiceField):
    iterator = LimitedChoiceIterator


class LimitedChoiceFilter(django_filters.ModelChoiceFilter):
    """A branch (or cluster) dropdown that stays small when the scope is a province or a city.

    The filter accepts every row in the user's scope, so links such as `?branch=12`
    keep working. When the scope holds more than `CHOICES_LIMIT` rows, the dropdown
    lists only the chosen one: at province scale (7,000 branches) rendering every
    `<option>` took over a second per page (and made a list nobody scrolls); there a
    branch is found on the branch list, with its region filter and search.
    The dropdown reads at most `CHOICES_LIMIT + 1` rows, in the one query it
    took before.
    """

    field_class = LimitedChoiceField

    @property
    def field(self):
        field = super().field
        field.chosen = str(getattr(self.parent, "data", {}).get(self.field_name) or "")
        return field


class BranchFilter(ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    region = django_filters.ModelChoiceFilter(
        label=_("所在区划（含下级）"), queryset=Region.objects.exclude(level=Region.Level.VILLAGE), method="in_region"
    )
    kind = django_filters.ChoiceFilter(label=_("支部类型"), choices=Branch.Kind.choices)
    cluster = LimitedChoiceFilter(label=_("所属片组"), queryset=Cluster.objects.all())
    parent = LimitedChoiceFilter(label=_("上级党总支"), queryset=Branch.objects.filter(kind=Branch.Kind.GENERAL))
    archived = django_filters.ChoiceFilter(
        label=_("归档"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
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
        return queryset.filter(pinyin_name_q(value) | Q(host_unit__contains=value)) if value else queryset

    def in_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)


class ClusterFilter(ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    archived = django_filters.ChoiceFilter(
        label=_("归档"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
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
        return queryset.filter(pinyin_name_q(value) | Q(leading_unit__contains=value)) if value else queryset


class VenueFilter(ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Venue.Kind.choices)
    region = django_filters.ModelChoiceFilter(
        label=_("所在区划（含下级）"), queryset=Region.objects.exclude(level=Region.Level.VILLAGE), method="in_region"
    )
    archived = django_filters.ChoiceFilter(
        label=_("归档"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
    )

    class Meta:
        model = Venue
        fields = ["q", "kind", "region"]

    def search(self, queryset, name, value):
        value = value.strip()
        condition = pinyin_name_q(value) | Q(address__contains=value) | Q(owner__contains=value)
        return queryset.filter(condition) if value else queryset

    def in_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)


class CommitteeFilter(ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=YouthCareCommittee.Level.choices)
    region = django_filters.ModelChoiceFilter(
        label=_("所在区划（含下级）"), queryset=Region.objects.exclude(level=Region.Level.VILLAGE), method="in_region"
    )
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
        label=_("归档"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
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
        return queryset.filter(pinyin_name_q(value) | Q(host_unit__contains=value)) if value else queryset

    def in_region(self, queryset, name, value):
        return region_subtree(queryset, "region", value)

    def filter_one_shoulder(self, queryset, name, value):
        # The list view annotates `one_shoulder` (YouthCareCommittee.objects.with_one_shoulder()).
        return queryset.filter(one_shoulder=value == "1")

    def filter_with_branch(self, queryset, name, value):
        return queryset.filter(branch__isnull=value != "1")


class GuidanceVisitFilter(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="visited_on", lookup_expr="year")
    member = django_filters.ModelChoiceFilter(
        label=_("党工委委员"), queryset=WorkCommitteeMember.objects.select_related("person")
    )
    branch = LimitedChoiceFilter(label=_("支部"), queryset=Branch.objects.all())

    class Meta:
        model = GuidanceVisit
        fields = ["year", "member", "branch"]
