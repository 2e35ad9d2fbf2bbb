"""Forms of the people area: retirees, their check-ins and roles, care pairs, hardship payments, needs.

Every model choice is narrowed to the user's scope, and picked by typing, through
`ScopedFormMixin` / `VersionedModelForm`. Forms that feed a service only validate their own
fields; the service raises field errors that the view puts back on the form.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import (
    Branch,
    CarePair,
    CareRecord,
    CommunityCheckIn,
    GovernanceRole,
    HardshipPayment,
    Membership,
    Need,
    Retiree,
)
from core import access
from core.forms import ScopedFormMixin, VersionedModelForm
from core.models import Person, Region
from core.validators import normalize_id_number, normalize_mobile, parse_id_number, validate_phone
from core.widgets import DateInput, PhoneInput, restrict


def _today():
    return timezone.localdate()


RETIREE_FIELDS = [
    "status",
    "former_unit",
    "former_post",
    "retired_on",
    "is_party_member",
    "joined_party_on",
    "limited_mobility",
    "lives_alone",
    "in_hardship",
    "skills",
    "specialty",
    "note",
]

RETIREE_WIDGETS = {
    "retired_on": DateInput(),
    "joined_party_on": DateInput(),
    "note": forms.Textarea(attrs={"rows": 3}),
}


class SkillsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Retiree.Skill.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("专长"))
        super().__init__(**kwargs)


class _PhoneMixin:
    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data.get("mobile") or "")
        if mobile:
            validate_phone(mobile)
        return mobile


class RetireeRegisterForm(_PhoneMixin, ScopedFormMixin, forms.ModelForm):
    """One form for a new retiree: the person, the branch they join and the retiree's data.

    The view passes `cleaned_data` to `retiree_register`, which reuses a person
    already registered with the same ID number.
    """

    name = forms.CharField(label=_("姓名"), max_length=50)
    # Longer than the column so spaces and full-width digits can be typed, then normalised.
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=40,
        required=False,
        help_text=_("性别和出生日期将按身份证号自动识别"),
    )
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Person.Gender.choices], required=False)
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=DateInput(), help_text=_("填写身份证号后可不填")
    )
    mobile = forms.CharField(label=_("联系电话"), max_length=40, required=False, widget=PhoneInput())
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    region = forms.ModelChoiceField(
        label=_("居住地区划"),
        queryset=Region.objects.order_by("code"),
        required=False,
        help_text=_("不填则为所在支部的区划"),
    )
    branch = forms.ModelChoiceField(label=_("所在支部"), queryset=Branch.objects.order_by("name"))
    joined_on = forms.DateField(label=_("加入支部日期"), initial=_today, widget=DateInput())
    skills = SkillsField()

    class Meta:
        model = Retiree
        fields = RETIREE_FIELDS
        widgets = RETIREE_WIDGETS

    field_order = ["name", "id_number", "gender", "birth_date", "mobile", "address", "region", "branch", "joined_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A retiree joins a branch the user may change, not merely one they can see.
        self.fields["branch"].queryset = access.rows(self.user, self.fields["branch"].queryset, access.CHANGE)

    def clean_id_number(self):
        number = normalize_id_number(self.cleaned_data.get("id_number") or "")
        if number:
            parse_id_number(number)
        return number

    def person_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in ("name", "id_number", "gender", "mobile", "address")}
        data = {k: v or "" for k, v in data.items()}
        data["birth_date"] = self.cleaned_data.get("birth_date")
        data["region"] = self.cleaned_data.get("region") or self.cleaned_data["branch"].region
        return data

    def retiree_fields(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in RETIREE_FIELDS}


class RetireeForm(_PhoneMixin, VersionedModelForm):
    """Edit a retiree and the person's contact details; the view saves both with `retiree_update`.

    The person's version travels in a hidden field too, so a change made on
    the person's own page since this form was opened is refused here with
    the same conflict message, never overwritten.
    """

    mobile = forms.CharField(label=_("联系电话"), max_length=40, required=False, widget=PhoneInput())
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    skills = SkillsField()
    person_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Retiree
        fields = RETIREE_FIELDS
        widgets = RETIREE_WIDGETS

    field_order = ["mobile", "address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.instance.person
        self.fields["mobile"].initial = person.mobile
        self.fields["address"].initial = person.address
        self.fields["person_version"].initial = person.version

    def clean(self):
        cleaned = super().clean()
        person = self.instance.person
        if cleaned.get("person_version") not in (None, person.version):
            raise ValidationError(self.conflict_error(person.updated_at), code="stale")
        return cleaned

    def seen_person_version(self) -> int:
        """The person's version when the form was opened (its current one when the field was not sent back)."""
        return self.cleaned_data.get("person_version") or self.instance.person.version


class RetireeTransferForm(ScopedFormMixin, forms.Form):
    to_branch = forms.ModelChoiceField(label=_("转入支部"), queryset=Branch.objects.order_by("name"))
    on = forms.DateField(
        label=_("转接日期"),
        initial=_today,
        widget=DateInput(),
        help_text=_("从这一天起计入新支部"),
    )
    reason = forms.ChoiceField(
        label=_("转接原因"),
        choices=[
            (Membership.Reason.TRANSFERRED, Membership.Reason.TRANSFERRED.label),
            (Membership.Reason.OTHER, Membership.Reason.OTHER.label),
        ],
        initial=Membership.Reason.TRANSFERRED,
    )

    def __init__(self, *args, retiree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = access.rows(self.user, self.fields["to_branch"].queryset, access.CHANGE)
        restrict(self.fields["to_branch"], exclude=retiree.branch_id)


class TransferRequestForm(ScopedFormMixin, forms.Form):
    """跨县组织关系转接: the person as the receiving staff know them, and the branch they join here."""

    id_number = forms.CharField(label=_("身份证号"), max_length=40)
    name = forms.CharField(label=_("姓名"), max_length=50, help_text=_("供登记地核对"))
    to_branch = forms.ModelChoiceField(label=_("转入支部"), queryset=Branch.objects.order_by("name"))
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如迁居原因、现居住地、联系人，便于登记地核实"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = access.rows(self.user, self.fields["to_branch"].queryset, access.CHANGE)

    def clean_id_number(self):
        number = normalize_id_number(self.cleaned_data.get("id_number") or "")
        parse_id_number(number)
        return number


class RetireeLeaveForm(forms.Form):
    on = forms.DateField(label=_("日期"), initial=_today, widget=DateInput())
    reason = forms.ChoiceField(
        label=_("原因"),
        choices=[
            ("", _("请选择")),
            *((r.value, r.label) for r in Membership.Reason.leaving()),
        ],
    )


class CommunityCheckInForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = CommunityCheckIn
        fields = ["community", "checked_in_on", "note"]
        widgets = {"checked_in_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restrict(self.fields["community"], level=Region.Level.VILLAGE)
        self.fields["checked_in_on"].initial = _today


class GovernanceRoleForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = GovernanceRole
        fields = ["kind", "organisation", "region", "start_on", "end_on"]
        widgets = {"start_on": DateInput(), "end_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restrict(self.fields["region"], level=f"{Region.Level.TOWN},{Region.Level.VILLAGE}")


class CarePairForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = CarePair
        fields = ["cadre", "retiree", "started_on", "note"]
        widgets = {"started_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restrict(self.fields["retiree"], current=1)
        self.fields["started_on"].initial = _today


class CarePairEndForm(forms.Form):
    ended_on = forms.DateField(label=_("结束日期"), initial=_today, widget=DateInput())


class CareRecordForm(forms.ModelForm):
    class Meta:
        model = CareRecord
        fields = ["happened_on", "kind", "description", "goods_value"]
        widgets = {"happened_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, care_pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.care_pair = care_pair
        self.fields["happened_on"].initial = _today
        self.fields["goods_value"].min_value = 0
        self.fields["goods_value"].widget.attrs["min"] = "0"
        self.fields["goods_value"].required = False

    def clean_goods_value(self):
        return self.cleaned_data.get("goods_value") or 0

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day < self.instance.care_pair.started_on:
            raise ValidationError(_("日期不能早于结对日期"))
        return day


class HardshipPaymentForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = HardshipPayment
        fields = ["retiree", "paid_on", "amount", "payee", "fund", "note"]
        widgets = {"paid_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(min="0.01", step="0.01")
        self.fields["paid_on"].initial = _today

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(_("发放金额必须大于0"))
        return amount

    def clean(self):
        cleaned = super().clean()
        retiree = cleaned.get("retiree")
        if retiree and retiree.branch_id is None and not cleaned.get("payee"):
            self.add_error("payee", _("该同志已去世或转出，请填写领取人（遗属）姓名"))
        return cleaned


class NeedForm(VersionedModelForm):
    """A need raised by or for a retiree, chosen among the current members of the chosen branch.

    A secretary with one branch gets it preselected (and hidden)."""

    class Meta:
        model = Need
        fields = ["branch", "retiree", "received_on", "content", "handler"]
        widgets = {"received_on": DateInput(), "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        branches = self.fields["branch"].queryset
        restrict(self.fields["retiree"], current=1)
        self.forward_to_lookup("retiree", branch="branch")
        retirees = self.fields["retiree"].queryset.filter(branch__in=branches)
        branch_ids = list(branches.values_list("pk", flat=True)[:2])  # two tell one branch from several
        if self.instance.pk:
            retirees = retirees.filter(branch_id=self.instance.branch_id) | retirees.filter(pk=self.instance.retiree_id)
        elif len(branch_ids) == 1:
            self.fields["branch"].initial = branch_ids[0]
            retirees = retirees.filter(branch_id=branch_ids[0])
            self.fields["branch"].widget = forms.HiddenInput()
        self.fields["retiree"].queryset = retirees
        self.fields["retiree"].help_text = _("由支部代为提出的需求可不选")
        if not self.instance.pk:
            self.fields["received_on"].initial = _today

    def clean(self):
        cleaned = super().clean()
        branch, retiree = cleaned.get("branch"), cleaned.get("retiree")
        if branch and retiree and retiree.branch_id != branch.pk and retiree.pk != self.instance.retiree_id:
            self.add_error("retiree", _("该同志不是所选支部的成员"))
        return cleaned


class NeedResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("办结日期"), initial=_today, widget=DateInput())
    outcome = forms.CharField(
        label=_("办理结果"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写办理结果")},
    )


class ParticipationAddForm(ScopedFormMixin, forms.Form):
    """Many people into a temporary or functional branch at once: search, tick, save."""

    people = forms.ModelMultipleChoiceField(
        label=_("参加人员"),
        queryset=Person.objects.all(),
        help_text=_("输入姓名、拼音或首字母查找，可一次选择多人"),
    )
    start_on = forms.DateField(label=_("参加日期"), widget=DateInput())
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_on"].initial = timezone.localdate()
