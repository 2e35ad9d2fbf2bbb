import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Activity, Branch, ComplianceRule
from branches.selectors.activities import late_entries
from core.filters import ScopedFilterSet
from core.widgets import DateInput

DATE = DateInput()


class ActivityFilter(ScopedFilterSet):
    branch = django_filters.ModelChoiceFilter(label=_("支部"), queryset=Branch.objects.all())
    kind = django_filters.ChoiceFilter(label=_("活动类型"), choices=Activity.Kind.choices)
    held_from = django_filters.DateFilter(label=_("开始日期"), field_name="held_on", lookup_expr="gte", widget=DATE)
    held_to = django_filters.DateFilter(label=_("截止日期"), field_name="held_on", lookup_expr="lte", widget=DATE)
    late = django_filters.BooleanFilter(
        label=_("只看补录"),
        method="filter_late",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Activity
        fields = ["branch", "kind", "held_from", "held_to", "late"]

    def filter_late(self, queryset, name, value):
        return late_entries(queryset) if value else queryset


class ComplianceRuleFilter(ScopedFilterSet):
    branch_kind = django_filters.ChoiceFilter(label=_("支部类型"), choices=Branch.Kind.choices)
    activity_kind = django_filters.ChoiceFilter(label=_("活动类型"), choices=Activity.Kind.choices)

    class Meta:
        model = ComplianceRule
        fields = ["branch_kind", "activity_kind"]
