"""Forms of the activity log: the one-minute activity form, files, catch-up, rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches import compliance
from branches import photos as photo_files
from branches.models import Activity, ActivityPhoto, ComplianceRule
from branches.models.activities import KINDS_BY_ORGANISER, organiser_type_of
from branches.services.activities import AttendanceEntry
from core import access
from core.forms import VersionedModelForm
from core.models import Person, Region
from core.widgets import DateInput, restrict

PHOTO_ACCEPT = "image/jpeg,image/png,image/heic,image/heif,.jpg,.jpeg,.png,.heic,.heif"
ATTACHMENT_ACCEPT = ".pdf,.doc,.docx,application/pdf,application/msword"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; cleans to a list."""

    def __init__(self, *args, accept: str = "", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        single = super().clean
        return [single(f, initial) for f in files]


def kind_choices(organiser_type: str = Activity.OrganiserType.BRANCH):
    """The kinds the organiser holds: for a branch 三会一课 first, then the other required meetings."""
    first = [*compliance.THREE_MEETINGS_ONE_LESSON, *compliance.REQUIRED_KINDS]
    allowed = KINDS_BY_ORGANISER[organiser_type]
    order = [k for k in dict.fromkeys([*first, *Activity.Kind.values]) if k in allowed]
    labels = dict(Activity.Kind.choices)
    return [(k, labels[k]) for k in order]


class FilesMixin(forms.Form):
    photos = MultipleFileField(
        label=_("照片"),
        accept=PHOTO_ACCEPT,
        help_text=_("可一次选多张，最多10张；JPEG、PNG或HEIC格式，每张不超过10MB"),
    )
    attachments = MultipleFileField(
        label=_("附件"),
        accept=ATTACHMENT_ACCEPT,
        help_text=_("会议记录、签到表等，PDF或Word文件，每个不超过10MB"),
    )

    existing_photos = 0

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        left = ActivityPhoto.MAX_PER_ACTIVITY - self.existing_photos
        if len(photos) > left:
            raise ValidationError(
                _("每次活动最多上传%(max)d张照片，本次还能上传%(left)d张。")
                % {"max": ActivityPhoto.MAX_PER_ACTIVITY, "left": max(left, 0)},
                code="too_many",
            )
        errors = []
        for upload in photos:
            try:
                photo_files.check_photo(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return photos

    def clean_attachments(self):
        attachments = self.cleaned_data.get("attachments") or []
        errors = []
        for upload in attachments:
            try:
                photo_files.check_attachment(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return attachments


ACTIVITY_FIELDS = [
    "kind",
    "held_on",
    "topic",
    "start_time",
    "end_time",
    "place",
    "is_online",
    "speaker",
    "content",
    "people_reached",
    "is_large",
    "headcount",
]

# The kind a new activity of each organiser starts with.
DEFAULT_KIND = {
    Activity.OrganiserType.BRANCH: Activity.Kind.THEME_DAY,
    Activity.OrganiserType.CLUSTER: Activity.Kind.CLUSTER_MEETING,
    Activity.OrganiserType.WORK_COMMITTEE: Activity.Kind.TRAINING,
    Activity.OrganiserType.COMMITTEE: Activity.Kind.PROMOTION_MEETING,
}


class ActivityForm(FilesMixin, VersionedModelForm):
    """The activity itself; the organiser is fixed by the page, the roll is read by `read_attendance`.

    `added_people` are people outside the organiser's roll put on it from the picker
    (secretaries of other branches at a county training, volunteers, residents): only
    for roles that may look people up; the picker offers the people they may see.
    """

    added_people = forms.ModelMultipleChoiceField(
        label=_("添加名单以外的人员"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("其他支部的书记、志愿者、群众等，添加后在名单中勾选出席"),
    )

    class Meta:
        model = Activity
        fields = ACTIVITY_FIELDS
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
            "held_on": DateInput(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "content": forms.Textarea(attrs={"rows": 4}),
            "people_reached": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "headcount": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args, organiser=None, branch=None, with_files=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser = organiser or branch or (self.instance.organiser if self.instance.pk else None)
        organiser_type = organiser_type_of(self.organiser) if self.organiser else Activity.OrganiserType.BRANCH
        self.fields["kind"].choices = kind_choices(organiser_type)
        self.fields["topic"].widget.attrs["placeholder"] = _("如：学习党的二十届四中全会精神")
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()
            self.fields["kind"].initial = DEFAULT_KIND[organiser_type]
        if not with_files:
            del self.fields["photos"], self.fields["attachments"]
        if not access.can(self.user, access.VIEW, Person):
            del self.fields["added_people"]

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("活动日期不能晚于今天。"), code="future")
        return held_on

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end < start:
            self.add_error("end_time", _("结束时间不能早于开始时间"))
        if cleaned.get("is_large") and cleaned.get("headcount") is None:
            self.add_error("headcount", _("大型活动请填写参加人数"))
        if not cleaned.get("is_large"):
            cleaned["headcount"] = None
        return cleaned

    def _post_clean(self):
        # The organiser decides which kinds are valid (Activity.clean): set it before the model is checked.
        if self.organiser is not None and not self.instance.pk:
            self.instance.set_organiser(self.organiser)
        super()._post_clean()

    def activity_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ACTIVITY_FIELDS}

    def added_person_ids(self) -> list[int]:
        return [p.pk for p in self.cleaned_data.get("added_people") or []]


def read_attendance(post, person_ids, added=()) -> list[AttendanceEntry]:
    """The ticks of the people listed: ticked = present, unticked = absent with `reason_<id>`.

    People just `added` from the picker came: they are present."""
    ticked = {int(v) for v in post.getlist("present") if str(v).isdigit()} | set(added)
    return [
        AttendanceEntry(person_id=pk, present=pk in ticked, reason=post.get(f"reason_{pk}", "").strip()[:100])
        for pk in person_ids
    ]


class ActivityFilesForm(FilesMixin):
    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = activity.photos.count()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("photos") and not cleaned.get("attachments"):
            raise ValidationError(_("请选择要上传的照片或附件。"), code="empty")
        return cleaned


class CatchUpForm(forms.Form):
    on = forms.DateField(
        label=_("送学日期"),
        widget=DateInput(),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ComplianceRuleForm(VersionedModelForm):
    class Meta:
        model = ComplianceRule
        fields = ["region", "branch_kind", "activity_kind", "period", "times"]
        widgets = {"times": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restrict(self.fields["region"], level=Region.Level.COUNTY)
        self.fields["region"].label = _("县（区）")
        if not self.instance.pk and getattr(self.user, "region", None) and self.user.region.level == "county":
            self.fields["region"].initial = self.user.region.pk

    def clean(self):
        cleaned = super().clean()
        region, branch_kind, activity_kind = (cleaned.get(k) for k in ("region", "branch_kind", "activity_kind"))
        if region and branch_kind and activity_kind:
            clash = ComplianceRule.objects.filter(region=region, branch_kind=branch_kind, activity_kind=activity_kind)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(_("本县已有这类支部这项活动的频次要求，请直接编辑那一条。"), code="duplicate")
        return cleaned
