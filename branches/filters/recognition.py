"""Filters of the honour and assessment lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from branches.models import Assessment, AssessmentScheme, Honour
from core.filters import ScopedFilterSet
from core.params import FIRST_YEAR, LAST_YEAR

RECIPIENT_CHOICES = (
    ("branch", _("党支部")),
    ("committee", _("关工委")),
    ("person", _("个人")),
)
TARGET_CHOICES = RECIPIENT_CHOICES[:2]


def _with_target(queryset, value):
    """Rows whose `branch`, `committee` or `person` (the one named by value) is set."""
    return queryset.filter(**{f"{value}__isnull": False}) if value else queryset


class HonourFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("荣誉名称"), field_name="title", lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Honour.Level.choices)
    year = django_filters.NumberFilter(
        label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR, field_name="awarded_on", lookup_expr="year"
    )
    recipient = django_filters.ChoiceFilter(label=_("获奖对象"), choices=RECIPIENT_CHOICES, method="by_recipient")
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("awarded_on", "awarded_on"), ("title", "title")),
        field_labels={
            "awarded_on": _("按授予日期（从早到晚）"),
            "-awarded_on": _("按授予日期（从晚到早）"),
            "title": _("按荣誉名称（正序）"),
            "-title": _("按荣誉名称（倒序）"),
        },
    )

    class Meta:
        model = Honour
        fields = ["q", "level", "year", "recipient"]

    def by_recipient(self, queryset, name, value):
        return _with_target(queryset, value)


class AssessmentFilter(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Assessment.Status.choices)
    scheme = django_filters.ModelChoiceFilter(label=_("评估标准"), queryset=AssessmentScheme.objects.all())
    target = django_filters.ChoiceFilter(label=_("评估对象"), choices=TARGET_CHOICES, method="by_target")

    class Meta:
        model = Assessment
        fields = ["year", "status", "scheme", "target"]

    def by_target(self, queryset, name, value):
        return _with_target(queryset, value)
