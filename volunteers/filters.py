"""List filters of the volunteers app (model choices narrowed to the user's scope, picked by typing)."""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from branches.models import YouthCareCommittee
from core import access
from core.filters import ARCHIVED_CHOICES, ArchivedFilterMixin, ScopedFilterSet
from core.models import Region, pinyin_name_q
from core.widgets import DateInput
from volunteers.models import ServiceCertificate, ServiceRecord, Studio, Suggestion, Team, Volunteer
from volunteers.selectors import records_to_confirm

SEARCH_WIDGET = forms.TextInput(attrs={"placeholder": _("姓名、拼音、首字母或编号")})


def _region_filter():
    return django_filters.ModelChoiceFilter(label=_("区域"), queryset=Region.objects.all(), method="in_region")


class RegionMixin:
    """The region filter, for roles that pick areas (directors have their committee only)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not (request and access.can(request.user, access.VIEW, Region)):
            self.filters.pop("region", None)

    def in_region(self, queryset, name, value):
        return queryset.in_region(value) if value else queryset


class VolunteerFilter(RegionMixin, ArchivedFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", widget=SEARCH_WIDGET)
    committee = django_filters.ModelChoiceFilter(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    category = django_filters.ChoiceFilter(label=_("五老类别"), choices=Volunteer.Category.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Volunteer.Status.choices)
    specialty = django_filters.ChoiceFilter(
        label=_("专长"), choices=Volunteer.Specialty.choices, method="filter_specialty"
    )
    team = django_filters.ModelChoiceFilter(label=_("服务队"), queryset=Team.objects.all(), method="filter_team")
    region = _region_filter()
    on = django_filters.DateFilter(label=_("在册日期"), method="standing", widget=DateInput())
    archived = django_filters.ChoiceFilter(
        label=_("归档"), choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep"
    )
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("person__pinyin", "pinyin"), ("registered_on", "registered_on"), ("number", "number")),
        field_labels={
            "person__pinyin": _("按姓名拼音（A→Z）"),
            "-pinyin": _("按姓名拼音（Z→A）"),
            "registered_on": _("按登记日期（从早到晚）"),
            "-registered_on": _("按登记日期（从晚到早）"),
            "number": _("按编号（从小到大）"),
            "-number": _("按编号（从大到小）"),
        },
    )

    class Meta:
        model = Volunteer
        fields = ["q", "committee", "category", "status"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_specialty(self, queryset, name, value):
        return queryset.filter(specialties__contains=[value]) if value else queryset

    def standing(self, queryset, name, value):
        """Volunteers in the register that day (the dashboard's and the annual report's 在册)."""
        return queryset.standing(value) if value else queryset

    def filter_team(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(team_memberships__team=value, team_memberships__left_on__isnull=True).distinct()


class ServiceRecordFilter(RegionMixin, ScopedFilterSet):
    committee = django_filters.ModelChoiceFilter(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    team = django_filters.ModelChoiceFilter(label=_("服务队"), queryset=Team.objects.all())
    kind = django_filters.ChoiceFilter(label=_("服务类型"), choices=ServiceRecord.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("确认状态"), choices=ServiceRecord.Status.choices)
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year")
    volunteer = django_filters.ModelChoiceFilter(
        label=_("志愿者"), queryset=Volunteer.objects.all(), method="filter_volunteer"
    )
    region = _region_filter()
    waiting_for_me = django_filters.ChoiceFilter(
        label=_("待我确认"), choices=[("1", _("等待我确认"))], method="filter_waiting_for_me"
    )

    class Meta:
        model = ServiceRecord
        fields = ["committee", "team", "kind", "status", "waiting_for_me"]

    def filter_waiting_for_me(self, queryset, name, value):
        return records_to_confirm(self.request.user, queryset) if value else queryset

    def filter_year(self, queryset, name, value):
        return queryset.annotate(y=ExtractYear("served_on")).filter(y=value) if value else queryset

    def filter_volunteer(self, queryset, name, value):
        return queryset.filter(hours__volunteer=value) if value else queryset


class TeamFilter(RegionMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    committee = django_filters.ModelChoiceFilter(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    purpose = django_filters.ChoiceFilter(label=_("服务方向"), choices=Team.Purpose.choices)
    region = _region_filter()

    class Meta:
        model = Team
        fields = ["q", "committee", "purpose"]

    def search(self, queryset, name, value):
        return queryset.filter(pinyin_name_q(value)) if value else queryset


class StudioFilter(RegionMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    committee = django_filters.ModelChoiceFilter(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    region = _region_filter()
    plaque = django_filters.ChoiceFilter(label=_("挂牌情况"), choices=Studio.Plaque.choices)

    class Meta:
        model = Studio
        fields = ["q", "committee", "plaque"]

    def search(self, queryset, name, value):
        return queryset.filter(pinyin_name_q(value)) if value else queryset


class SuggestionFilter(RegionMixin, ScopedFilterSet):
    committee = django_filters.ModelChoiceFilter(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    adopted = django_filters.BooleanFilter(
        label=_("已采纳"), widget=forms.Select(choices=[("", "—"), ("true", _("是")), ("false", _("否"))])
    )
    decision = django_filters.BooleanFilter(
        label=_("顾问团参与决策"),
        method="filter_decision",
        widget=forms.Select(choices=[("", "—"), ("true", _("是")), ("false", _("否"))]),
    )
    region = _region_filter()

    class Meta:
        model = Suggestion
        fields = ["committee", "adopted"]

    def filter_decision(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(decision="") if value else queryset.filter(decision="")


class CertificateFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("编号或姓名"), method="search")
    committee = django_filters.ModelChoiceFilter(label=_("出具单位"), queryset=YouthCareCommittee.objects.all())

    class Meta:
        model = ServiceCertificate
        fields = ["q", "committee"]

    def search(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | pinyin_name_q(value, prefix="volunteer__person__"))
