import django_filters
from django.utils.translation import gettext_lazy as _

from core import access
from core.models import Person


class ScopedFilterSet(django_filters.FilterSet):
    """Model choices in filters are narrowed to the user's scope, like forms."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for f in self.filters.values():
            # django-filter keeps the queryset on the filter (`f.queryset`) and copies it into
            # `f.extra` when it builds the field: narrowing only `f.extra` was undone there.
            queryset = getattr(f, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                f.queryset = f.extra["queryset"] = access.readable(request.user, queryset)


class PersonFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    gender = django_filters.ChoiceFilter(label=_("性别"), choices=Person.Gender.choices)
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("pinyin", "pinyin"),
            ("birth_date", "birth_date"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "pinyin": _("按姓名拼音（A→Z）"),
            "-pinyin": _("按姓名拼音（Z→A）"),
            "birth_date": _("按出生日期（从早到晚）"),
            "-birth_date": _("按出生日期（从晚到早）"),
            "created_at": _("按登记时间（从早到晚）"),
            "-created_at": _("按登记时间（从晚到早）"),
        },
    )

    class Meta:
        model = Person
        fields = ["q", "gender"]

    def search(self, queryset, name, value):
        return queryset.search(value)
