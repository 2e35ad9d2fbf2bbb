from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedFormMixin
from core.models import Region
from core.params import FIRST_YEAR


class AnnualReportChoiceForm(ScopedFormMixin, forms.Form):
    """Which area and year to report on: any area the user may see, any year with records."""

    region = forms.ModelChoiceField(Region.objects.all(), label=_("区划"))
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]
