from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VersionedModelForm
from core.models import Person
from core.validators import normalize_id_number, normalize_mobile
from core.widgets import DateInput, PhoneInput


class PersonForm(VersionedModelForm):
    # Longer than the column so spaces and full-width digits can be typed, then normalised.
    id_number = forms.CharField(label=_("身份证号"), max_length=40, required=False)
    mobile = forms.CharField(label=_("联系电话"), max_length=40, required=False, widget=PhoneInput())

    class Meta:
        model = Person
        fields = ["name", "id_number", "gender", "birth_date", "mobile", "region", "address", "note"]
        widgets = {
            "birth_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"birth_date": _("填写身份证号后可不填，将自动识别")}

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_mobile(self):
        return normalize_mobile(self.cleaned_data["mobile"])


class RevealIdNumberForm(forms.Form):
    """Why the whole ID number is needed: required, kept in the audit trail with the request."""

    reason = forms.CharField(
        label=_("查看理由"),
        max_length=200,
        error_messages={"required": _("请填写查看完整号码的理由")},
        help_text=_("如：办理待遇需核对身份证号。理由将记入审计记录"),
    )
