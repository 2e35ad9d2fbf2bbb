"""List filters: scoped model choices picked by typing, and the archived switch."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core import access
from core.forms import label_empty_choices
from core.models import AuditEntry, Person
from core.params import FIRST_YEAR, LAST_YEAR, PK_MAX
from core.widgets import DateInput, LookupSelect, picker_for

ARCHIVED_CHOICES = (("1", _("仅看已删除")),)


class ScopedFilterSet(django_filters.FilterSet):
    """Model choices in filters are narrowed to the user's scope, like forms.

    Those over a model with a lookup kind (`core.lookups`) are search-as-you-type
    pickers that render only the chosen row, so a province's 7,000 branches cost
    no more than a county's 30; a filter passes `widget=LookupSelect(kind, params=...)`
    to narrow its kind (its choices and the lookup's answers alike). The filter
    accepts any row in the scope, so links such as `?branch=12` keep working.

    Every dropdown's empty choice reads 全部. On a phone `core/partials/filter_form.html`
    shows the fields in `always_shown` (the search box) and folds the rest behind a
    筛选 button that counts the active ones (`active_count`).
    """

    always_shown = ("q",)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for name, f in self.filters.items():
            if isinstance(f, django_filters.NumberFilter):
                # A hand-edited ?year=99999999999 must not reach PostgreSQL: bound every number.
                is_year = name == "year" or f.lookup_expr == "year"
                f.extra.setdefault("min_value", FIRST_YEAR if is_year else -PK_MAX)
                f.extra.setdefault("max_value", LAST_YEAR if is_year else PK_MAX)
        for f in self.filters.values():
            # django-filter keeps the queryset on the filter (`f.queryset`) and copies it into
            # `f.extra` when it builds the field: narrowing only `f.extra` was undone there.
            queryset = getattr(f, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                queryset = access.readable(request.user, queryset)
                widget = f.extra.get("widget") or picker_for(queryset.model, f.field_class.widget())
                if isinstance(widget, LookupSelect):
                    f.extra["widget"] = widget
                    queryset = widget.narrow(queryset)
                f.queryset = f.extra["queryset"] = queryset

    @property
    def form(self):
        if not hasattr(self, "_form"):
            label_empty_choices(super().form, _("全部"))
        return self._form

    @property
    def folded_fields(self) -> list:
        return [field for field in self.form.visible_fields() if field.name not in self.always_shown]

    @property
    def active_count(self) -> int:
        """How many folded filters hold a value (an ordering is no filter); from the request, no query."""
        if not self.is_bound:
            return 0
        ordering = {name for name, f in self.filters.items() if isinstance(f, django_filters.OrderingFilter)}
        count = 0
        for field in self.folded_fields:
            if field.name in ordering:
                continue
            sent = field.data  # as the widget reads it: a list for multiple choices and date ranges
            values = sent if isinstance(sent, list | tuple) else [sent]
            count += any(value not in (None, "", "unknown") for value in values)
        return count


class ArchivedFilterMixin:
    """An `archived` choice for users who may restore records; the view switches the manager.

    The filter itself does nothing: the list view reads the parameter (e.g.
    `ArchivedListMixin.get_manager` in branches), because archived rows are not in
    the default manager at all. Declare the filter as
    `archived = ChoiceFilter(choices=ARCHIVED_CHOICES, empty_label=_("在用"), method="keep")`.
    """

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not (request and access.can(request.user, access.RESTORE, self._meta.model)):
            self.filters.pop("archived", None)

    def keep(self, queryset, name, value):
        return queryset


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


class AuditEntryFilter(ScopedFilterSet):
    """The audit page's filters: who (by username), what kind, between which dates."""

    always_shown = ("user",)

    user = django_filters.CharFilter(label=_("用户名"), field_name="username", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=AuditEntry.Kind.choices)
    target = django_filters.CharFilter(label=_("记录"), field_name="target_label", lookup_expr="icontains")
    since = django_filters.DateFilter(
        label=_("开始日期"), field_name="occurred_at", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
        label=_("截止日期"), field_name="occurred_at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = AuditEntry
        fields = ["user", "kind", "target", "since", "until"]
