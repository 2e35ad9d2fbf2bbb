"""Forms of the volunteers app. Errors are Chinese and sit on the field they concern."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.forms.activities import PHOTO_ACCEPT, MultipleFileField
from branches.models import Retiree, YouthCareCommittee
from core import access
from core.forms import ScopedFormMixin, VersionedModelForm
from core.models import Person, Region
from core.validators import normalize_id_number, validate_id_number
from core.widgets import DateInput, PhoneInput
from volunteers.models import MAX_HOURS_PER_DAY, ServiceRecord, Studio, Suggestion, Team, Volunteer
from volunteers.selectors import committee_pipeline, registrations_elsewhere

DATE_FIELDS = {"widget": DateInput}


FUTURE_DATE = _("日期不能晚于今天")


def _not_future(value, message=FUTURE_DATE):
    if value and value > timezone.localdate():
        raise ValidationError(message)
    return value


def registrable_committees(user):
    """The committees where the user may register volunteers (their director's, their region's)."""
    return access.rows(user, YouthCareCommittee, access.CHANGE)


class VolunteerDetailsForm(VersionedModelForm):
    """What a registration and an edit share."""

    class Meta:
        model = Volunteer
        fields = [
            "category",
            "former_unit",
            "profession",
            "specialties",
            "specialty_note",
            "fit_for_field_work",
            "availability",
            "number",
            "note",
        ]
        widgets = {"specialties": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialties"] = forms.MultipleChoiceField(
            label=_("专长"),
            choices=Volunteer.Specialty.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=self.instance.specialties if self.instance.pk else self.initial.get("specialties"),
        )
        self.fields["number"].required = self.instance.pk is not None


class VolunteerRegisterForm(VolunteerDetailsForm):
    """登记五老志愿者: for a retiree of the pipeline (prefilled) or for a person entered here.

    A person already registered with another committee of the county is shown where, and
    registering them here too needs a tick; twice in one committee is refused.
    """

    committee = forms.ModelChoiceField(label=_("登记关工委"), queryset=YouthCareCommittee.objects.all())
    retiree_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, required=False, help_text=_("已有人员档案的按身份证号关联，不重复建档")
    )
    gender = forms.ChoiceField(label=_("性别"), choices=[("", _("请选择")), *Person.Gender.choices], required=False)
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DateInput)
    mobile = forms.CharField(label=_("联系电话"), max_length=20, required=False, widget=PhoneInput())
    registered_on = forms.DateField(label=_("登记日期"), widget=DateInput)
    confirm_elsewhere = forms.BooleanField(
        label=_("此人已在本县（区）其他关工委登记，确认在本关工委再登记"), required=False
    )

    field_order = ["committee", "name", "id_number", "gender", "birth_date", "mobile", "category", "registered_on"]

    def __init__(self, *args, retiree: Retiree | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = registrable_committees(self.user).order_by("pinyin")
        self.retiree = retiree
        self.elsewhere = []
        if retiree is not None:
            for name in ("name", "id_number", "gender", "birth_date", "mobile"):
                del self.fields[name]
            self.fields["retiree_id"].initial = retiree.pk
        self.fields["registered_on"].initial = timezone.localdate()

    def clean_registered_on(self):
        return _not_future(self.cleaned_data["registered_on"])

    def clean_id_number(self):
        number = normalize_id_number(self.cleaned_data.get("id_number") or "")
        if number:
            validate_id_number(number)
        return number

    def person(self) -> Person | None:
        """The existing Person this registration is for (the retiree's, or the one with the ID number)."""
        if self.retiree is not None:
            return self.retiree.person
        number = self.cleaned_data.get("id_number")
        return Person.all_objects.filter(id_number=number).first() if number else None

    def clean(self):
        cleaned = super().clean()
        committee = cleaned.get("committee")
        if committee is None:
            return cleaned
        if self.retiree is not None:
            if not committee_pipeline(committee).filter(pk=self.retiree.pk).exists():
                raise ValidationError(_("该离退休干部不在本关工委的待登记名单中（可能已经登记）"))
        elif not cleaned.get("name") and not cleaned.get("id_number"):
            self.add_error("name", _("请填写姓名"))
            return cleaned
        person = self.person()
        if person is not None:
            if Volunteer.all_objects.filter(person=person, committee=committee).exists():
                raise ValidationError(_("此人已在本关工委登记为五老志愿者"))
            self.elsewhere = list(
                registrations_elsewhere(person, Region.county_code_of(committee.region_id), committee)
            )
            if self.elsewhere and not cleaned.get("confirm_elsewhere"):
                places = "、".join(f"{v.committee.name}（{v.number}）" for v in self.elsewhere)
                self.add_error(
                    "confirm_elsewhere",
                    _("此人已在%(places)s登记为志愿者；如确需在本关工委再登记，请勾选确认") % {"places": places},
                )
        return cleaned

    def new_person(self):
        from volunteers.services import NewPerson

        if self.retiree is not None or self.person() is not None:
            return None
        data = self.cleaned_data
        return NewPerson(
            name=data["name"],
            id_number=data.get("id_number", ""),
            gender=data.get("gender", ""),
            birth_date=data.get("birth_date"),
            mobile=data.get("mobile", ""),
        )

    def volunteer(self) -> Volunteer:
        volunteer = self.instance
        volunteer.committee = self.cleaned_data["committee"]
        volunteer.registered_on = self.cleaned_data["registered_on"]
        volunteer.specialties = list(self.cleaned_data.get("specialties") or [])
        volunteer.retiree = self.retiree
        person = self.person()
        if person is not None:
            volunteer.person = person
        return volunteer


def registration_initial(retiree: Retiree | None) -> dict:
    """What a pipeline registration starts with: the retiree's unit, post and skills."""
    if retiree is None:
        return {}
    return {
        "category": Volunteer.Category.CADRE,
        "former_unit": retiree.former_unit,
        "profession": retiree.former_post,
        "specialties": list(retiree.skills),
        "specialty_note": retiree.specialty,
        "fit_for_field_work": not retiree.limited_mobility,
    }


class VolunteerStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Volunteer.Status.choices)
    on = forms.DateField(label=_("日期"), widget=DateInput)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def clean_on(self):
        return _not_future(self.cleaned_data["on"])


# --- Service records ------------------------------------------------------------------------


def parse_hours(value) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if str(value).strip() else None
    except InvalidOperation:
        return None


class ServiceRecordForm(VersionedModelForm):
    """One piece of work by several volunteers: tick each one, one hours value for all or per volunteer."""

    hours = forms.DecimalField(
        label=_("每人服务时长（小时）"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=MAX_HOURS_PER_DAY,
        required=False,
        help_text=_("勾选的每位志愿者都按此时长计；个别人不同时在其姓名旁填写"),
    )
    volunteers = forms.ModelMultipleChoiceField(
        label=_("参与志愿者"), queryset=Volunteer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    photos = MultipleFileField(
        label=_("照片"), accept=PHOTO_ACCEPT, help_text=_("最多10张；JPEG、PNG或HEIC格式，每张不超过10MB")
    )

    class Meta:
        model = ServiceRecord
        fields = [
            "team",
            "served_on",
            "kind",
            "culture_scale",
            "place",
            "minors_served",
            "adults_served",
            "description",
            "dispute_kind",
            "outcome",
        ]
        widgets = {"served_on": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, committee: YouthCareCommittee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.instance.committee = committee
        members = access.readable(self.user, Volunteer).filter(committee=committee)
        members = members.exclude(status=Volunteer.Status.APPLICANT).select_related("person")
        self.fields["volunteers"].queryset = members.order_by("person__pinyin")
        self.fields["team"].queryset = access.readable(self.user, Team).filter(committee=committee)
        self.fields["team"].widget = forms.Select(choices=self.fields["team"].choices)
        if not self.instance.pk:
            self.fields["served_on"].initial = timezone.localdate()
        else:
            rows = list(self.instance.hours.all())
            self.fields["volunteers"].initial = [row.volunteer_id for row in rows]
            values = {row.hours for row in rows}
            self.fields["hours"].initial = values.pop() if len(values) == 1 else None
            self.initial_hours = {row.volunteer_id: row.hours for row in rows}
        self.per_volunteer = {}

    def clean_served_on(self):
        return _not_future(self.cleaned_data["served_on"], _("服务日期不能晚于今天"))

    def clean(self):
        cleaned = super().clean()
        ticked = cleaned.get("volunteers") or []
        common = cleaned.get("hours")
        errors = []
        for volunteer in ticked:
            raw = self.data.get(f"hours_{volunteer.pk}", "")
            value = parse_hours(raw) if raw.strip() else common
            if value is None:
                errors.append(_("请填写%(name)s的服务时长") % {"name": volunteer.person.name})
            elif value <= 0 or value > MAX_HOURS_PER_DAY:
                errors.append(_("%(name)s的服务时长须大于0且不超过24小时") % {"name": volunteer.person.name})
            else:
                self.per_volunteer[volunteer] = value
        if errors:
            self.add_error("volunteers", errors)
        kind = cleaned.get("kind")
        if kind != ServiceRecord.Kind.MEDIATION:
            cleaned["dispute_kind"] = cleaned["outcome"] = ""
        elif not cleaned.get("outcome"):
            self.add_error("outcome", _("调解记录请选择调解结果"))
        if kind != ServiceRecord.Kind.CULTURE:
            cleaned["culture_scale"] = ""
        return cleaned

    def rows(self):
        """(volunteer, per-volunteer value or '') for the tick list."""
        values = (
            self.data if self.is_bound else {f"hours_{k}": v for k, v in getattr(self, "initial_hours", {}).items()}
        )
        chosen = {str(v) for v in (self["volunteers"].value() or [])}
        common = self["hours"].value()
        return [
            {
                "volunteer": v,
                "checked": str(v.pk) in chosen,
                "hours": ""
                if str(values.get(f"hours_{v.pk}", "")) == str(common or "")
                else values.get(f"hours_{v.pk}", ""),
            }
            for v in self.fields["volunteers"].queryset
        ]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=200)


# --- Certificates ---------------------------------------------------------------------------


class CertificateForm(forms.Form):
    period_start = forms.DateField(label=_("服务起始日期"), widget=DateInput)
    period_end = forms.DateField(label=_("服务截止日期"), widget=DateInput)
    person_in_charge = forms.CharField(label=_("单位负责人"), max_length=50)
    handler = forms.CharField(label=_("经办人"), max_length=50)
    contact = forms.CharField(label=_("联系电话"), max_length=50)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("截止日期不能早于起始日期"))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("截止日期不能晚于今天"))
        return cleaned


# --- Teams, studios, suggestions ------------------------------------------------------------


class TeamForm(VersionedModelForm):
    class Meta:
        model = Team
        fields = ["name", "purpose", "description", "committee", "branch", "leader", "founded_on", "disbanded_on"]
        widgets = {"founded_on": DateInput, "disbanded_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        committee, branch = cleaned.get("committee"), cleaned.get("branch")
        if bool(committee) == bool(branch):
            raise ValidationError(_("请选择服务队所属的关工委或支部（二选一）"))
        return cleaned


class TeamMembersForm(ScopedFormMixin, forms.Form):
    volunteers = forms.ModelMultipleChoiceField(label=_("志愿者"), queryset=Volunteer.objects.all())
    joined_on = forms.DateField(label=_("加入日期"), widget=DateInput)

    def clean_joined_on(self):
        return _not_future(self.cleaned_data["joined_on"])


class LeaveTeamForm(forms.Form):
    left_on = forms.DateField(
        label=_("离队日期"),
        widget=DateInput(attrs={"class": "form-control form-control-sm", "aria-label": _("离队日期")}),
    )

    def clean_left_on(self):
        return _not_future(self.cleaned_data["left_on"])


class StudioForm(VersionedModelForm):
    class Meta:
        model = Studio
        fields = ["name", "theme", "committee", "leader", "venue", "members", "founded_on", "plaque", "plaque_on"]
        widgets = {"founded_on": DateInput, "plaque_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plaque_on") and cleaned.get("plaque") != Studio.Plaque.HUNG:
            self.add_error("plaque_on", _("只有已挂牌的工作室填写挂牌日期"))
        return cleaned


class SuggestionForm(VersionedModelForm):
    class Meta:
        model = Suggestion
        fields = [
            "committee",
            "team",
            "topic",
            "content",
            "addressed_to",
            "proposed_on",
            "volunteers",
            "retirees",
            "decision",
            "adopted",
            "adopted_on",
        ]
        widgets = {"proposed_on": DateInput, "adopted_on": DateInput, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not access.can(self.user, access.VIEW, Retiree):
            del self.fields["retirees"]  # directors name volunteers; retirees' records are the branches'

    def clean_proposed_on(self):
        return _not_future(self.cleaned_data["proposed_on"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("adopted_on") and not cleaned.get("adopted"):
            self.add_error("adopted_on", _("只有已采纳的建议填写采纳日期"))
        if cleaned.get("adopted_on") and cleaned.get("proposed_on") and cleaned["adopted_on"] < cleaned["proposed_on"]:
            self.add_error("adopted_on", _("采纳日期不能早于提出日期"))
        if not cleaned.get("volunteers") and not cleaned.get("retirees"):
            self.add_error("volunteers", _("请至少选择一名提出人"))
        return cleaned
