"""The ledger page's filters: year, month, category and direction."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from core.params import recent_years
from funds.models import Category, Direction, FundEntry

MONTHS = [(str(m), _("%(month)s月") % {"month": m}) for m in range(1, 13)]


class EntryFilter(ScopedFilterSet):
    year = django_filters.ChoiceFilter(label=_("年度"), field_name="occurred_on__year", empty_label=_("全部年度"))
    month = django_filters.ChoiceFilter(
        label=_("月份"), field_name="occurred_on__month", choices=MONTHS, empty_label=_("全年")
    )
    category = django_filters.ChoiceFilter(label=_("科目"), choices=Category.choices, empty_label=_("全部科目"))
    direction = django_filters.ChoiceFilter(label=_("收支"), choices=Direction.choices, empty_label=_("收入和支出"))

    class Meta:
        model = FundEntry
        fields = ["year", "month", "category", "direction"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "year" not in data:
            data = data.copy()
            data["year"] = str(timezone.localdate().year)  # this year unless another is asked for
        super().__init__(data, *args, **kwargs)
        selected = self.data.get("year") if self.data else None
        try:
            selected = int(selected)
        except (TypeError, ValueError):
            selected = timezone.localdate().year
        self.filters["year"].extra["choices"] = [
            (str(y), _("%(year)s年") % {"year": y}) for y in recent_years(selected)
        ]
