import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Activity, Branch, Cluster, ComplianceRule, WorkCommittee, YouthCareCommittee
from branches.selectors.activities import late_entries
from core.filters import ScopedFilterSet
from core.widgets import DateInput

DATE = DateInput()


class ActivityFilter(ScopedFilterSet):
    organiser_type = django_filters.ChoiceFilter(label=_("主办方类型"), choices=Activity.OrganiserType.choices)
    branch = django_filters.ModelChoiceFilter(label=_("支部"), queryset=Branch.objects.all())
    cluster = django_filters.ModelChoiceFilter(label=_("片组"), queryset=Cluster.objects.all())
    work_committee = django_filters.ModelChoiceFilter(label=_("党工委"), queryset=WorkCommittee.objects.all())
    committee = django_filters.ModelChoiceFilter(label=_("关工委"), queryset=YouthCareCommittee.objects.all())
    kind = django_filters.ChoiceFilter(label=_("活动类型"), choices=Activity.Kind.choices)
    is_online = django_filters.BooleanFilter(label=_("只看线上会议"), widget=forms.CheckboxInput, method="filter_flag")
    is_large = django_filters.BooleanFilter(label=_("只看大型活动"), widget=forms.CheckboxInput, method="filter_flag")
    held_from = django_filters.DateFilter(label=_("开始日期"), field_name="held_on", lookup_expr="gte", widget=DATE)
    held_to = django_filters.DateFilter(label=_("截止日期"), field_name="held_on", lookup_expr="lte", widget=DATE)
    late = django_filters.BooleanFilter(
        label=_("只看补录"),
        method="filter_late",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Activity
        fields = [
            "organiser_type",
            "branch",
            "cluster",
            "work_committee",
            "committee",
            "kind",
            "is_online",
            "is_large",
            "held_from",
            "held_to",
            "late",
        ]

    def filter_flag(self, queryset, name, value):
        # An unticked box means "all", not "only those without".
        return queryset.filter(**{name: True}) if value else queryset

    def filter_late(self, queryset, name, value):
        return late_entries(queryset) if value else queryset


class ComplianceRuleFilter(ScopedFilterSet):
    branch_kind = django_filters.ChoiceFilter(label=_("支部类型"), choices=Branch.Kind.choices)
    activity_kind = django_filters.ChoiceFilter(label=_("活动类型"), choices=Activity.Kind.choices)

    class Meta:
        model = ComplianceRule
        fields = ["branch_kind", "activity_kind"]
