"""List filters of the people area (django-filter; model choices narrowed to the user's scope)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, CarePair, GovernanceRole, HardshipPayment, Need, Retiree
from core import access
from core.filters import ScopedFilterSet
from core.models import Region
from core.params import FIRST_YEAR, LAST_YEAR
from core.widgets import DateInput, LookupSelect

YES_NO = [("true", _("是")), ("false", _("否"))]


def _flag(label):
    return django_filters.BooleanFilter(label=label, widget=forms.Select(choices=[("", "—"), *YES_NO]))


class RetireeFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"placeholder": _("姓名、拼音或首字母")})
    )
    branch = django_filters.ModelChoiceFilter(label=_("支部"), queryset=Branch.objects.all())
    status = django_filters.ChoiceFilter(label=_("离休/退休"), choices=Retiree.Status.choices)
    is_party_member = _flag(_("中共党员"))
    limited_mobility = _flag(_("行动不便"))
    lives_alone = _flag(_("独居"))
    in_hardship = _flag(_("生活困难"))
    advanced_age = django_filters.BooleanFilter(
        label=_("高龄（80岁以上）"),
        method="filter_advanced_age",
        widget=forms.Select(choices=[("", "—"), *YES_NO]),
    )
    skill = django_filters.ChoiceFilter(label=_("专长"), choices=Retiree.Skill.choices, method="filter_skill")
    governance_role = django_filters.ChoiceFilter(
        label=_("基层治理角色"), choices=GovernanceRole.Kind.choices, method="filter_governance_role"
    )
    # Where they live, down to the village or community (报到 and community work are local).
    lives_in = django_filters.ModelChoiceFilter(
        label=_("居住地（乡镇、村或社区）"),
        queryset=Region.objects.all(),
        method="filter_lives_in",
        widget=LookupSelect("region"),
    )
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("person__pinyin", "pinyin"), ("person__birth_date", "age"), ("retired_on", "retired_on")),
        field_labels={
            "person__pinyin": _("按姓名拼音（A→Z）"),
            "-pinyin": _("按姓名拼音（Z→A）"),
            "person__birth_date": _("按年龄（从大到小）"),
            "-age": _("按年龄（从小到大）"),
            "retired_on": _("按离退休日期（从早到晚）"),
            "-retired_on": _("按离退休日期（从晚到早）"),
        },
    )

    class Meta:
        model = Retiree
        fields = ["q", "branch", "status", "is_party_member", "limited_mobility", "lives_alone", "in_hardship"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not (request and access.can(request.user, access.VIEW, Region)):
            self.filters.pop("lives_in", None)  # secretaries pick no areas: their branch is their list

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_lives_in(self, queryset, name, value):
        return queryset.filter(person__region__code__startswith=value.prefix) if value else queryset

    def filter_advanced_age(self, queryset, name, value):
        if value is None:
            return queryset
        old = Retiree.objects.advanced_age().values("pk")
        return queryset.filter(pk__in=old) if value else queryset.exclude(pk__in=old)

    def filter_skill(self, queryset, name, value):
        return queryset.filter(skills__contains=[value]) if value else queryset

    def filter_governance_role(self, queryset, name, value):
        if not value:
            return queryset
        roles = GovernanceRole.objects.filter(person=OuterRef("person"), kind=value)
        return queryset.filter(Exists(roles))


class NeedFilter(ScopedFilterSet):
    branch = django_filters.ModelChoiceFilter(label=_("支部"), queryset=Branch.objects.all())
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("open", _("办理中")), ("resolved", _("已办结"))],
        method="filter_state",
    )
    received_from = django_filters.DateFilter(
        label=_("受理日期从"), field_name="received_on", lookup_expr="gte", widget=DateInput()
    )
    received_to = django_filters.DateFilter(
        label=_("受理日期至"), field_name="received_on", lookup_expr="lte", widget=DateInput()
    )
    open_over_days = django_filters.NumberFilter(
        label=_("办理中超过天数"), method="filter_open_over", min_value=0, max_value=36500
    )
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = Need
        fields = ["branch", "state", "received_from", "received_to", "open_over_days", "q"]

    def filter_open_over(self, queryset, name, value):
        return queryset.open_over(int(value)) if value is not None else queryset

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(resolved_on__isnull=True)
        if value == "resolved":
            return queryset.filter(resolved_on__isnull=False)
        return queryset

    def search(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(content__contains=value) | Q(retiree__in=Retiree.objects.search(value)) | Q(handler__contains=value)
        )


class CarePairFilter(ScopedFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("open", _("帮扶中")), ("ended", _("已结束"))],
        method="filter_state",
    )
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = CarePair
        fields = ["state", "q"]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(ended_on__isnull=True)
        if value == "ended":
            return queryset.filter(ended_on__isnull=False)
        return queryset

    def search(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(retiree__in=Retiree.objects.search(value)) | Q(cadre__name__contains=value))


class HardshipPaymentFilter(ScopedFilterSet):
    year = django_filters.NumberFilter(
        label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR, field_name="paid_on", lookup_expr="year"
    )
    q = django_filters.CharFilter(label=_("搜索"), method="search")

    class Meta:
        model = HardshipPayment
        fields = ["year", "q"]

    def search(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(retiree__in=Retiree.objects.search(value)) | Q(payee__contains=value))
