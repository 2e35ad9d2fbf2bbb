from django import forms

from core.forms import VersionedModelForm
from core.models import Person


class PersonForm(VersionedModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "mobile",
            "region",
            "address",
            "note",
        ]
        widgets = {
            "birth_date": forms.DateInput(
                attrs={"placeholder": "1950年1月1日 或 1950-01-01"}
            ),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
